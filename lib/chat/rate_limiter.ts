/** Options for {@linkcode RateLimiter}. */
export interface RateLimiterOptions {
  /**
   * Requests per minute; requests are spaced evenly, 60 000 / rpm ms apart.
   * @default {undefined} (no limit)
   */
  rpm?: number | undefined;
  /**
   * Tokens per minute: a bucket holding one minute of tokens, refilled continuously.
   * @default {undefined} (no limit)
   */
  tpm?: number | undefined;
  /**
   * Clock in ms.
   * @default {performance.now}
   */
  now?: () => number;
}

/**
 * Client-side request and token budgets (`--rpm`, `--tpm`). Requests start
 * in arrival order. Requests are paced evenly rather than in bursts, so a
 * server that counts requests in a rolling minute never sees more than
 * `rpm`. Tokens are taken from a bucket holding a minute's worth; the
 * estimate is corrected with the real usage afterwards. A 429 with
 * `Retry-After` can pause everyone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RateLimiter } from "./rate_limiter.ts";
 * const limiter = new RateLimiter({ rpm: 6000 }); // one request every 10 ms
 * const start = performance.now();
 * for (let i = 0; i < 3; i++) await limiter.acquire(1);
 * assert.ok(performance.now() - start >= 19);
 * ```
 */
export class RateLimiter {
  readonly #intervalMs: number;
  readonly #tpm: number | undefined;
  readonly #now: () => number;
  #nextStart = Number.NEGATIVE_INFINITY;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #tokens: number;
  #refilledAt: number;
  #queue: Promise<void> = Promise.resolve();

  /**
   * Creates a limiter; a limit left out is not enforced.
   * @param options Requests and tokens per minute, and the clock.
   * @throws {RangeError} When `rpm` or `tpm` is not a positive number.
   */
  constructor(options: RateLimiterOptions = {}) {
    for (const [name, value] of [["rpm", options.rpm], ["tpm", options.tpm]] as const) {
      if (value !== undefined && !(value > 0)) {
        throw new RangeError(
          `Cannot create a rate limiter: ${name} must be positive, got ${value}`,
        );
      }
    }
    this.#intervalMs = options.rpm === undefined ? 0 : 60_000 / options.rpm;
    this.#tpm = options.tpm;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = options.tpm ?? 0;
    this.#refilledAt = this.#now();
  }

  /** Waits until a request estimated at `tokens` may start, then takes its share. */
  acquire(tokens: number, signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#wait(tokens, signal));
    this.#queue = turn.catch(() => {});
    return turn;
  }

  /** Corrects the token bucket once the real usage of a request is known. */
  settle(estimatedTokens: number, actualTokens: number): void {
    if (this.#tpm === undefined) return;
    this.#refill();
    this.#tokens = Math.min(this.#tpm, this.#tokens + estimatedTokens - actualTokens);
  }

  /** No request starts for the next `ms` (a server's `Retry-After`). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }

  async #wait(tokens: number, signal: AbortSignal | undefined): Promise<void> {
    while (true) {
      signal?.throwIfAborted();
      const now = this.#now();
      this.#refill();
      const need = this.#tpm === undefined ? 0 : Math.min(tokens, this.#tpm);
      const tokenWait = this.#tpm === undefined || this.#tokens >= need
        ? 0
        : ((need - this.#tokens) * 60_000) / this.#tpm;
      const wait = Math.max(this.#pausedUntil - now, this.#nextStart - now, tokenWait);
      if (wait <= 0) {
        this.#nextStart = now + this.#intervalMs;
        if (this.#tpm !== undefined) this.#tokens -= need;
        return;
      }
      // Re-check at least every 250 ms: a pause or a settle() may change the wait.
      await sleep(Math.min(wait, 250), signal);
    }
  }

  #refill(): void {
    if (this.#tpm === undefined) return;
    const now = this.#now();
    this.#tokens = Math.min(
      this.#tpm,
      this.#tokens + ((now - this.#refilledAt) * this.#tpm) / 60_000,
    );
    this.#refilledAt = now;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(1, Math.ceil(ms)));
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
