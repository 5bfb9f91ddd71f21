/** Options for {@linkcode backoffDelay}. */
export interface BackoffOptions {
  /**
   * Delay before the second attempt, before jitter, in ms.
   * @default {1000}
   */
  baseMs?: number;
  /**
   * Largest delay, before jitter, in ms.
   * @default {60000}
   */
  maxMs?: number;
  /**
   * The server's `Retry-After`, in ms: the delay is never shorter.
   * @default {undefined}
   */
  retryAfterMs?: number | undefined;
  /**
   * Source of randomness in [0, 1).
   * @default {Math.random}
   */
  random?: () => number;
}

/**
 * How long to wait after failed attempt `attempt` (1-based): exponential
 * backoff `baseMs · 2^(attempt-1)`, capped at `maxMs`, with "equal jitter"
 * (between half and all of it), and never less than the server's
 * `Retry-After`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffDelay } from "./backoff_delay.ts";
 * assert.ok(backoffDelay(3, { baseMs: 1000, random: () => 0.999999 }) <= 4000);
 * assert.equal(backoffDelay(3, { baseMs: 1000, random: () => 0 }), 2000);
 * assert.equal(backoffDelay(1, { retryAfterMs: 7000, random: () => 0 }), 7000);
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`Cannot compute a backoff: attempt must be 1 or more, got ${attempt}`);
  }
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const random = options.random ?? Math.random;
  const exponential = Math.min(max, base * 2 ** (attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(options.retryAfterMs ?? 0, jittered);
}
