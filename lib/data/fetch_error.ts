/**
 * Why a download failed:
 * - `http`: the server answered with an error status that retrying will not fix (404, 403, …),
 *   or a retryable one (5xx, 429) on the last attempt;
 * - `checksum`: the file arrived but its sha256 is not the pinned one;
 * - `network`: the connection failed or broke off on every attempt;
 * - `offline`: the first connection to a host failed, so the whole run stopped at once.
 */
export type FetchErrorKind = "http" | "checksum" | "network" | "offline";

/** Structured fields of a {@linkcode FetchError}. */
export interface FetchErrorDetails {
  /** Why it failed. */
  kind: FetchErrorKind;
  /** Path of the file under the data root. */
  path: string;
  /** URL that was requested. */
  url: string;
  /** HTTP status, for `http` errors. */
  status?: number;
  /** Pinned sha256, for `checksum` errors. */
  expected?: string;
  /** Computed sha256, for `checksum` errors. */
  actual?: string;
}

/**
 * Raised (or reported) when an upstream file cannot be downloaded. The message
 * names the file and what went wrong; the fields say the same for code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FetchError } from "./fetch_error.ts";
 * const error = new FetchError('Cannot download "q.jsonl": HTTP 404', {
 *   kind: "http",
 *   path: "q.jsonl",
 *   url: "https://example.com/q.jsonl",
 *   status: 404,
 * });
 * assert.equal(error.kind, "http");
 * assert.equal(error.status, 404);
 * ```
 */
export class FetchError extends Error {
  /** Why it failed. */
  readonly kind: FetchErrorKind;
  /** Path of the file under the data root. */
  readonly path: string;
  /** URL that was requested. */
  readonly url: string;
  /** HTTP status, for `http` errors. */
  readonly status: number | undefined;
  /** Pinned sha256, for `checksum` errors. */
  readonly expected: string | undefined;
  /** Computed sha256, for `checksum` errors. */
  readonly actual: string | undefined;

  /** Makes an error with a full message and the structured fields. */
  constructor(message: string, details: FetchErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = "FetchError";
    this.kind = details.kind;
    this.path = details.path;
    this.url = details.url;
    this.status = details.status;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}
