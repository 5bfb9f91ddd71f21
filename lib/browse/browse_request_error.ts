/**
 * A request the QA browser cannot answer: an unknown bench, question, model or
 * judge (`not_found`, HTTP 404) or a bad query parameter (`request`, HTTP 400).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BrowseRequestError } from "./browse_request_error.ts";
 * const error = new BrowseRequestError("not_found", 'unknown bench "nope"');
 * assert.equal(error.status, 404);
 * ```
 */
export class BrowseRequestError extends Error {
  /** What went wrong. */
  readonly kind: "request" | "not_found";
  /** The HTTP status the API answers with. */
  readonly status: 400 | 404;

  /**
   * Creates the error; `status` follows from `kind`.
   * @param kind `not_found` (HTTP 404) or `request` (HTTP 400).
   * @param message What was asked for and why it cannot be answered.
   * @param options The error's `cause`, if any.
   */
  constructor(kind: "request" | "not_found", message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BrowseRequestError";
    this.kind = kind;
    this.status = kind === "not_found" ? 404 : 400;
  }
}
