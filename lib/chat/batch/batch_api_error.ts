/** Fields of a {@linkcode BatchApiError}. */
export interface BatchApiErrorInit {
  /** HTTP status, when the server answered. */
  status?: number | undefined;
  /** Whether trying again may succeed (429, 408, 409, 5xx, connection failures). */
  retryable: boolean;
  /** The server's `Retry-After`, in ms. */
  retryAfterMs?: number | undefined;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * A failed call to a provider's Files or Batches API (upload, create, poll,
 * download, cancel). Messages name the call and never contain the key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BatchApiError } from "./batch_api_error.ts";
 * const error = new BatchApiError("GET /batches/b1: HTTP 503", { status: 503, retryable: true });
 * assert.ok(error.retryable && error.status === 503);
 * ```
 */
export class BatchApiError extends Error {
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  /** The server's `Retry-After`, in ms. */
  readonly retryAfterMs: number | undefined;

  /** An error with its message and fields. */
  constructor(message: string, init: BatchApiErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "BatchApiError";
    this.status = init.status;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }
}
