import { backoffDelay } from "../http/backoff_delay.ts";
import type { ChatResponse, TokenUsage } from "./chat_client.ts";
import { ChatRequestError } from "./chat_request_error.ts";
import type { RateLimiter } from "./rate_limiter.ts";
import { abortableSleep } from "../http/abortable_sleep.ts";

/** A retry about to happen; passed to `onRetry`. */
export interface RetryEvent {
  /** The failed attempt (1-based). */
  attempt: number;
  /** Attempts allowed. */
  maxAttempts: number;
  /** Why it failed (credentials redacted). */
  error: ChatRequestError;
  /** Wait before the next attempt, in ms. */
  delayMs: number;
}

/** How a request is retried; shared by `judge` and `gen-api`. */
export interface RetryPolicy {
  /**
   * Attempts, the first included.
   * @default {6}
   */
  maxAttempts?: number;
  /**
   * Per-attempt timeout in ms.
   * @default {120000}
   */
  timeoutMs?: number;
  /**
   * First backoff delay in ms (doubles per attempt, with jitter).
   * @default {1000}
   */
  backoffBaseMs?: number;
  /**
   * Longest backoff delay in ms.
   * @default {60000}
   */
  backoffMaxMs?: number;
  /**
   * Longest wait a server's `Retry-After` may ask for, in ms; a longer demand
   * ends the request as failed, with the demand in the message.
   * @default {60000}
   */
  maxRetryWaitMs?: number;
  /**
   * Randomness for jitter.
   * @default {Math.random}
   */
  random?: () => number;
}

/**
 * The {@linkcode RetryPolicy} fields of a larger options object, and nothing else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { retryPolicy } from "./request_with_retries.ts";
 * const policy = retryPolicy({ maxAttempts: 3, parallel: 8 } as { maxAttempts: number });
 * assert.equal(policy.maxAttempts, 3);
 * assert.ok(!("parallel" in policy));
 * ```
 */
export function retryPolicy(options: RetryPolicy): RetryPolicy {
  const { maxAttempts, timeoutMs, backoffBaseMs, backoffMaxMs, maxRetryWaitMs, random } = options;
  return { maxAttempts, timeoutMs, backoffBaseMs, backoffMaxMs, maxRetryWaitMs, random };
}

/** Options for {@linkcode requestWithRetries}. */
export interface RequestWithRetriesOptions extends RetryPolicy {
  /** Stops waiting and abandons the request (run stopped). */
  signal: AbortSignal;
  /**
   * Client-side request and token budgets.
   * @default {undefined} (no pacing)
   */
  limiter?: RateLimiter | undefined;
  /**
   * Tokens the request is expected to use, taken from the token budget before it starts.
   * @default {0}
   */
  estimatedTokens?: number;
  /**
   * Called with the usage of every response that reports one, failed attempts included.
   * @default {undefined}
   */
  onUsage?: ((usage: TokenUsage) => void) | undefined;
  /**
   * Called before each retry.
   * @default {undefined}
   */
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

/** How {@linkcode requestWithRetries} ended. */
export type RequestOutcome =
  | {
    kind: "ok";
    response: ChatResponse;
    /** Attempts made (1-based). */
    attempts: number;
    /** Latency of the successful attempt, in ms. */
    latencyMs: number;
  }
  /** Every attempt failed with a retryable error; `error` is the last one. */
  | { kind: "failed"; error: ChatRequestError; attempts: number }
  /**
   * A non-retryable error that concerns the run's setup (400, 401, 403, 404,
   * …): the caller should stop the run. A prompt over the model's context
   * (`context_length`) is `failed` instead: it concerns that request alone.
   */
  | { kind: "fatal"; error: ChatRequestError; attempts: number }
  /** `signal` stopped it. */
  | { kind: "aborted" };

/**
 * Sends one chat request with the judge runner's policy, shared by `judge`
 * and `gen-api`: paced by the limiter, each attempt under a timeout, retried
 * on 429, 5xx, timeouts, connection failures, malformed or empty answers
 * with exponential backoff and jitter, honouring `Retry-After` (a 429 with
 * it also pauses the limiter, so every worker waits).
 *
 * @example Retry a 500 once, then succeed
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestWithRetries } from "./request_with_retries.ts";
 * import { createMockClient } from "./providers/mock.ts";
 * const client = createMockClient({ script: ({ index }) => index === 0 ? { status: 500 } : { reply: "ok" } });
 * const outcome = await requestWithRetries(
 *   (signal) => client.complete({ messages: [{ role: "user", content: "hi" }], temperature: 0, maxTokens: 8, signal }),
 *   { signal: new AbortController().signal, backoffBaseMs: 1 },
 * );
 * assert.equal(outcome.kind, "ok");
 * assert.equal(outcome.attempts, 2);
 * ```
 */
export async function requestWithRetries(
  send: (signal: AbortSignal) => Promise<ChatResponse>,
  options: RequestWithRetriesOptions,
): Promise<RequestOutcome> {
  const maxAttempts = options.maxAttempts ?? 6;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const estimate = options.estimatedTokens ?? 0;
  const { signal: stop, limiter } = options;
  let lastError: ChatRequestError | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (limiter) {
      try {
        await limiter.acquire(estimate, stop);
      } catch {
        return { kind: "aborted" };
      }
    }
    if (stop.aborted) return { kind: "aborted" };
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([stop, timeout]);
    const start = performance.now();
    try {
      const response = await send(signal);
      const latencyMs = performance.now() - start;
      if (response.usage) options.onUsage?.(response.usage);
      limiter?.settle(estimate, response.usage?.totalTokens ?? estimate);
      if (response.content.trim() === "") {
        throw new ChatRequestError("the server returned empty content", {
          kind: "empty",
          retryable: true,
        });
      }
      return { kind: "ok", response, attempts: attempt, latencyMs };
    } catch (caught) {
      if (stop.aborted) return { kind: "aborted" };
      let error = caught instanceof ChatRequestError ? caught : new ChatRequestError(
        `the request failed: ${caught instanceof Error ? caught.message : String(caught)}`,
        { kind: "connection", retryable: true },
      );
      if (timeout.aborted) {
        error = new ChatRequestError(`the request timed out after ${timeoutMs} ms`, {
          kind: "timeout",
          retryable: true,
        });
      }
      if (error.kind === "context_length") return { kind: "failed", error, attempts: attempt };
      if (!error.retryable) return { kind: "fatal", error, attempts: attempt };
      lastError = error;
      if (attempt === maxAttempts) break;
      const maxWaitMs = options.maxRetryWaitMs ?? 60_000;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > maxWaitMs) {
        const demand = new ChatRequestError(
          `${error.message}; the server asked to wait ${
            seconds(error.retryAfterMs)
          } before retrying (Retry-After), longer than the limit of ${
            seconds(maxWaitMs)
          } (--max-retry-wait)`,
          { kind: "retry_wait", status: error.status, retryable: false, cause: error },
        );
        return { kind: "failed", error: demand, attempts: attempt };
      }
      if (error.retryAfterMs !== undefined && error.status === 429) {
        limiter?.pause(error.retryAfterMs);
      }
      const delayMs = backoffDelay(attempt, {
        baseMs: options.backoffBaseMs ?? 1000,
        maxMs: options.backoffMaxMs ?? 60_000,
        retryAfterMs: error.retryAfterMs,
        random: options.random ?? Math.random,
      });
      options.onRetry?.({ attempt, maxAttempts, error, delayMs });
      try {
        await abortableSleep(delayMs, stop);
      } catch {
        return { kind: "aborted" };
      }
    }
  }
  return { kind: "failed", error: lastError!, attempts: maxAttempts };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
