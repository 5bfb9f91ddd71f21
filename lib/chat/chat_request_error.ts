/** How a judge request failed. */
export type ChatFailureKind =
  | "http"
  | "connection"
  | "timeout"
  | "malformed"
  | "empty"
  | "aborted"
  | "context_length"
  | "retry_wait";

/** Fields of a {@linkcode ChatRequestError}. */
export interface ChatRequestErrorInit {
  /** How it failed. */
  kind: ChatFailureKind;
  /** HTTP status, for `http` failures. */
  status?: number | undefined;
  /** Whether trying again may succeed (429, 408, 409, 5xx, connection, timeout, malformed, empty). */
  retryable: boolean;
  /** Server's `Retry-After`, in milliseconds. */
  retryAfterMs?: number | undefined;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * A failed judge request, with what the runner needs to decide: retry (with
 * the server's `Retry-After`) or stop. Messages never contain credentials;
 * clients redact them before building one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChatRequestError } from "./chat_request_error.ts";
 * const error = new ChatRequestError("HTTP 429: slow down", { kind: "http", status: 429, retryable: true, retryAfterMs: 2000 });
 * assert.ok(error.retryable);
 * assert.equal(error.retryAfterMs, 2000);
 * ```
 */
export class ChatRequestError extends Error {
  /** How it failed. */
  readonly kind: ChatFailureKind;
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  /** Server's `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  /**
   * Creates the error.
   * @param message What failed; already free of credentials.
   * @param init How it failed, whether to retry, and the cause.
   */
  constructor(message: string, init: ChatRequestErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ChatRequestError";
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * Whether a 400 answer says the input is longer than the model takes: the
 * error code `context_length_exceeded`, or a message about the maximum
 * context length, too many tokens or a prompt too long. Such a request fails
 * alone (an error record), while other 400s concern the whole run's setup.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isContextLengthError } from "./chat_request_error.ts";
 * assert.equal(isContextLengthError("context_length_exceeded", ""), true);
 * assert.equal(isContextLengthError("", "This model's maximum context length is 8192 tokens"), true);
 * assert.equal(isContextLengthError("invalid_api_key", "Incorrect API key provided"), false);
 * ```
 */
export function isContextLengthError(code: string, message: string): boolean {
  if (/context_length_exceeded|string_above_max_length|tokens_exceeded/i.test(code)) return true;
  return /maximum context length|context length|context window|too many tokens|prompt is too long|input is too long|too long for|reduce the length|exceeds? the (?:model'?s? )?(?:maximum|max|context)/i
    .test(message);
}

/** Whether an HTTP status is worth retrying: 408, 409, 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
