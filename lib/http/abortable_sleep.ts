/**
 * Waits `ms` milliseconds, or rejects with the signal's reason as soon as
 * `signal` aborts (at once when it already has): the wait between retries,
 * polls and rate-limit slots, which a stopped run must not sit out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { abortableSleep } from "./abortable_sleep.ts";
 * await abortableSleep(1);
 * const stop = new AbortController();
 * stop.abort(new Error("stopped"));
 * await assert.rejects(abortableSleep(60_000, stop.signal), /stopped/);
 * ```
 */
export function abortableSleep(ms: number, signal?: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
