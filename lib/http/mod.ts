/**
 * HTTP helpers shared by every client of the project (the chat layer, the
 * data downloader): exponential backoff with jitter, the server's
 * `Retry-After`, and the redaction of credentials from every text that is
 * printed or written.
 *
 * @example Back off, but never less than the server asks
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffDelay, retryAfterMs } from "./mod.ts";
 * const wait = retryAfterMs(new Headers({ "retry-after": "3" }));
 * assert.equal(wait, 3000);
 * assert.equal(backoffDelay(1, { retryAfterMs: wait, random: () => 0 }), 3000);
 * ```
 * @module
 */
export * from "./backoff_delay.ts";
export * from "./retry_after.ts";
export * from "./redact.ts";
export * from "./abortable_sleep.ts";
