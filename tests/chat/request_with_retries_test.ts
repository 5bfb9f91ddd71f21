import assert from "node:assert/strict";
import type { ChatResponse } from "../../lib/chat/chat_client.ts";
import { ChatRequestError } from "../../lib/chat/chat_request_error.ts";
import {
  requestWithRetries,
  type RetryEvent,
  retryPolicy,
} from "../../lib/chat/request_with_retries.ts";

const OK: ChatResponse = {
  content: "fine",
  usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 },
} as ChatResponse;

function httpError(status: number, retryAfterMs?: number): ChatRequestError {
  return new ChatRequestError(`HTTP ${status}`, {
    kind: "http",
    status,
    retryable: status === 429 || status >= 500,
    retryAfterMs,
  });
}

/** A sender that plays `steps` in order: a response, or an error to throw. */
function scripted(steps: (ChatResponse | Error)[]) {
  const calls: AbortSignal[] = [];
  const send = (signal: AbortSignal) => {
    calls.push(signal);
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]!;
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  return { send, calls };
}

const FAST = { backoffBaseMs: 1, backoffMaxMs: 2, random: () => 0.5 };

Deno.test("requestWithRetries()", async (t) => {
  const signal = new AbortController().signal;

  await t.step("returns the first good response with its attempt count", async () => {
    const { send, calls } = scripted([OK]);
    const usages: number[] = [];
    const outcome = await requestWithRetries(send, {
      signal,
      onUsage: (usage) => usages.push(usage.totalTokens),
    });
    assert.equal(outcome.kind, "ok");
    assert.ok(outcome.kind === "ok" && outcome.attempts === 1 && outcome.latencyMs >= 0);
    assert.equal(calls.length, 1);
    assert.deepEqual(usages, [5]);
  });

  await t.step("retries 5xx, 429 and connection failures, then succeeds", async () => {
    const { send, calls } = scripted([httpError(500), httpError(429), new TypeError("reset"), OK]);
    const retries: RetryEvent[] = [];
    const outcome = await requestWithRetries(send, {
      signal,
      ...FAST,
      onRetry: (event) => retries.push(event),
    });
    assert.ok(outcome.kind === "ok" && outcome.attempts === 4);
    assert.equal(calls.length, 4);
    assert.deepEqual(retries.map((event) => [event.attempt, event.error.kind]), [
      [1, "http"],
      [2, "http"],
      [3, "connection"],
    ]);
    assert.match(retries[2]!.error.message, /the request failed: reset/);
  });

  await t.step("treats empty content as a retryable failure", async () => {
    const { send } = scripted([{ ...OK, content: "  " }, OK]);
    const retries: RetryEvent[] = [];
    const outcome = await requestWithRetries(send, {
      signal,
      ...FAST,
      onRetry: (event) => retries.push(event),
    });
    assert.ok(outcome.kind === "ok" && outcome.attempts === 2);
    assert.equal(retries[0]!.error.kind, "empty");
  });

  await t.step("gives up after maxAttempts with the last error", async () => {
    const { send, calls } = scripted([httpError(503)]);
    const outcome = await requestWithRetries(send, { signal, ...FAST, maxAttempts: 3 });
    assert.equal(outcome.kind, "failed");
    assert.ok(outcome.kind === "failed" && outcome.attempts === 3 && outcome.error.status === 503);
    assert.equal(calls.length, 3);
  });

  await t.step("stops at once on a non-retryable error", async () => {
    const { send, calls } = scripted([httpError(401), OK]);
    const outcome = await requestWithRetries(send, { signal, ...FAST });
    assert.ok(outcome.kind === "fatal" && outcome.attempts === 1 && outcome.error.status === 401);
    assert.equal(calls.length, 1);
  });

  await t.step("waits the server's Retry-After", async () => {
    const { send } = scripted([httpError(429, 40), OK]);
    const retries: RetryEvent[] = [];
    const start = performance.now();
    await requestWithRetries(send, { signal, ...FAST, onRetry: (event) => retries.push(event) });
    assert.ok(retries[0]!.delayMs >= 40, `waited ${retries[0]!.delayMs} ms`);
    assert.ok(performance.now() - start >= 35);
  });

  await t.step("times an attempt out and says so", async () => {
    let attempts = 0;
    const outcome = await requestWithRetries(
      (attemptSignal) => {
        attempts++;
        return new Promise((_, reject) =>
          attemptSignal.addEventListener("abort", () => reject(attemptSignal.reason))
        );
      },
      { signal, ...FAST, timeoutMs: 20, maxAttempts: 2 },
    );
    assert.ok(outcome.kind === "failed" && outcome.error.kind === "timeout");
    assert.match(outcome.kind === "failed" ? outcome.error.message : "", /timed out after 20 ms/);
    assert.equal(attempts, 2);
  });

  await t.step("is aborted by the signal while backing off", async () => {
    const controller = new AbortController();
    const { send, calls } = scripted([httpError(500)]);
    const outcome = requestWithRetries(send, {
      signal: controller.signal,
      backoffBaseMs: 60_000,
      backoffMaxMs: 60_000,
      random: () => 0.5,
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    assert.deepEqual(await outcome, { kind: "aborted" });
    assert.equal(calls.length, 1);
  });

  await t.step("does not send when already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const { send, calls } = scripted([OK]);
    assert.deepEqual(await requestWithRetries(send, { signal: controller.signal }), {
      kind: "aborted",
    });
    assert.equal(calls.length, 0);
  });
});

Deno.test("retryPolicy() keeps only the retry fields", () => {
  const random = () => 0;
  const policy = retryPolicy(
    { maxAttempts: 2, timeoutMs: 5, random, parallel: 8 } as Parameters<typeof retryPolicy>[0],
  );
  assert.deepEqual(policy, {
    maxAttempts: 2,
    timeoutMs: 5,
    backoffBaseMs: undefined,
    backoffMaxMs: undefined,
    maxRetryWaitMs: undefined,
    random,
  });
});
