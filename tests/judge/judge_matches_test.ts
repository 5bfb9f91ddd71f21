import assert from "node:assert/strict";
import {
  type BuiltRecord,
  judgeMatches,
  type JudgeMatchesOptions,
  type PreparedMatch,
} from "../../lib/judge/mod.ts";
import { createMockClient, type MockScript } from "../../lib/chat/mod.ts";
import type { PairJudgment, SingleJudgment } from "../../lib/data/types.ts";
import { testMatches } from "./_fixtures.ts";

async function judge(
  matches: PreparedMatch[],
  script: MockScript | undefined,
  options: Partial<JudgeMatchesOptions> = {},
) {
  const client = createMockClient(script ? { script } : {});
  const records: BuiltRecord[] = [];
  const result = await judgeMatches(matches, {
    client,
    bench: "test_bench",
    backoffBaseMs: 1,
    backoffMaxMs: 5,
    onRecord: (built) => {
      records.push(built);
    },
    ...options,
  });
  return { client, records, result };
}

Deno.test("judgeMatches()", async (t) => {
  await t.step("writes single records with FastChat's fields, order and provenance", async () => {
    const matches = testMatches({ models: ["model-a"], questions: 3 });
    const { records, result } = await judge(matches, () => ({
      reply: "Good. [[8.5]]",
      usage: { promptTokens: 100, completionTokens: 10, totalTokens: 110 },
    }));
    assert.equal(result.done, matches.length);
    assert.equal(result.errors, 0);
    const record = records[0]!.record as SingleJudgment;
    assert.deepEqual(Object.keys(record), [
      "question_id",
      "model",
      "judge",
      "user_prompt",
      "judgment",
      "score",
      "turn",
      "tstamp",
      "provenance",
    ]);
    assert.deepEqual(record.judge, ["mock-judge", "single-v1"]);
    assert.equal(record.score, 8.5);
    assert.equal(record.user_prompt, matches[0]!.games[0]!.user);
    const provenance = record.provenance as Record<string, unknown>;
    assert.equal(provenance.provider, "mock");
    assert.equal(provenance.bench, "test_bench");
    assert.deepEqual(provenance.parameters, { temperature: 0, max_tokens: 2048, n: 1 });
    assert.deepEqual(provenance.usage, {
      prompt_tokens: 100,
      completion_tokens: 10,
      total_tokens: 110,
    });
    assert.equal(provenance.answer_sha256, matches[0]!.answerSha256);
    assert.equal(provenance.attempts, 1);
    assert.equal(typeof provenance.latency_ms, "number");
    assert.equal(result.promptTokens, 100 * matches.length);
  });

  await t.step("plays pairs in both orders and maps A/B per game", async () => {
    const matches = testMatches({
      models: ["model-a", "model-b"],
      questions: 1,
      mode: "pairwise-all",
    });
    const { client, records } = await judge(matches, ({ index }) => ({
      reply: index % 2 === 0 ? "[[A]]" : "[[B]]",
    }));
    assert.equal(client.requests.length, 2 * matches.length);
    const first = client.requests[0]!.messages.at(-1)!.content;
    const second = client.requests[1]!.messages.at(-1)!.content;
    assert.match(first, /Assistant A:model-a/);
    assert.match(second, /Assistant A:model-b/);
    const record = records[0]!.record as PairJudgment;
    assert.deepEqual(Object.keys(record).slice(0, 12), [
      "question_id",
      "model_1",
      "model_2",
      "g1_winner",
      "g2_winner",
      "judge",
      "g1_user_prompt",
      "g1_judgment",
      "g2_user_prompt",
      "g2_judgment",
      "turn",
      "tstamp",
    ]);
    assert.equal(record.g1_winner, "model_1");
    assert.equal(record.g2_winner, "model_1");
  });

  await t.step("retries 500, resets, malformed and empty answers, then succeeds", async () => {
    const failures = [{ status: 500 }, { fail: "reset" }, { fail: "malformed" }, {
      fail: "empty",
    }] as const;
    const matches = testMatches({ models: ["model-a"], questions: 1 }).slice(0, 1);
    const { records, result } = await judge(
      matches,
      ({ index }) => failures[index] ?? { reply: "[[6]]" },
    );
    assert.equal(result.retries, 4);
    const record = records[0]!.record as SingleJudgment;
    assert.equal(record.score, 6);
    assert.equal((record.provenance as Record<string, unknown>).attempts, 5);
  });

  await t.step("retries a timed-out request", async () => {
    const matches = testMatches({ models: ["model-a"], questions: 1 }).slice(0, 1);
    const { records, result } = await judge(
      matches,
      ({ index }) => index === 0 ? { fail: "timeout" } : { reply: "[[4]]" },
      { timeoutMs: 50 },
    );
    assert.equal(result.retries, 1);
    assert.equal((records[0]!.record as SingleJudgment).score, 4);
  });

  await t.step("waits at least Retry-After after a 429", async () => {
    const matches = testMatches({ models: ["model-a"], questions: 1 }).slice(0, 1);
    const started = performance.now();
    const { result } = await judge(
      matches,
      ({ index }) => index === 0 ? { status: 429, retryAfterSeconds: 0.2 } : { reply: "[[5]]" },
    );
    assert.ok(performance.now() - started >= 190, "waited for Retry-After");
    assert.equal(result.retries, 1);
  });

  await t.step("writes an error record after the last attempt fails", async () => {
    const matches = testMatches({ models: ["model-a"], questions: 1 }).slice(0, 1);
    const { records, result } = await judge(matches, () => ({ status: 503 }), { maxAttempts: 3 });
    const record = records[0]!.record as SingleJudgment;
    assert.equal(record.score, -1);
    assert.equal(record.judgment, "$ERROR$");
    assert.match(record.error!, /failed after 3 attempt\(s\): HTTP 503/);
    assert.equal(result.errors, 1);
    assert.equal(result.retries, 2);
  });

  await t.step("writes an error record with the raw text when no verdict is found", async () => {
    const matches = testMatches({
      models: ["model-a", "model-b"],
      questions: 1,
      mode: "pairwise-all",
    });
    const { records } = await judge(matches, ({ index }) => ({
      reply: index === 0 ? "I cannot decide." : "<think>[[A]]",
    }));
    const record = records[0]!.record as PairJudgment;
    assert.equal(record.g1_winner, "error");
    assert.equal(record.g2_winner, "error");
    assert.equal(record.g1_judgment, "I cannot decide.");
    assert.match(record.error!, /g1: no verdict found.*g2: unclosed <think>/);
  });

  await t.step("stops early on a non-retryable error, writing nothing more", async () => {
    const matches = testMatches({ models: ["model-a"], questions: 6 });
    const { client, records, result } = await judge(matches, () => ({
      status: 401,
      message: "invalid key",
    }));
    assert.equal(result.fatal?.status, 401);
    assert.equal(records.length, 0);
    assert.equal(client.requests.length, 1);
  });

  await t.step("keeps at most `parallel` requests in flight", async () => {
    const matches = testMatches({ models: ["model-a", "model-b"], questions: 6 });
    let inFlight = 0;
    let peak = 0;
    const { result } = await judge(matches, async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
      return { reply: "[[7]]" };
    }, { parallel: 4 });
    assert.equal(result.done, matches.length);
    assert.equal(peak, 4);
  });

  await t.step("paces requests by --rpm", async () => {
    const matches = testMatches({ models: ["model-a"], questions: 3 }).slice(0, 5);
    const started = performance.now();
    await judge(matches, undefined, { rpm: 600, parallel: 5 });
    assert.ok(performance.now() - started >= 390, "5 requests at 600/min take 400 ms");
  });

  await t.step("stops on abort without writing in-flight matches", async () => {
    const matches = testMatches({ models: ["model-a"], questions: 6 });
    const controller = new AbortController();
    const { records, result } = await judge(matches, async ({ index }) => {
      if (index === 2) controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { reply: "[[7]]" };
    }, { signal: controller.signal });
    assert.equal(result.aborted, true);
    assert.equal(records.length, 2);
  });

  await t.step("reports progress with tokens, ETA and cost", async () => {
    const matches = testMatches({ models: ["model-a"], questions: 2 });
    const seen: number[] = [];
    const { result } = await judge(matches, () => ({
      reply: "[[7]]",
      usage: { promptTokens: 1_000_000, completionTokens: 0, totalTokens: 1_000_000 },
    }), {
      price: { input: 2, output: 8 },
      onProgress: (progress) => seen.push(progress.done),
    });
    assert.deepEqual(seen, matches.map((_, index) => index + 1));
    assert.equal(result.costUsd, 2 * matches.length);
    assert.equal(result.etaMs, 0);
  });
});
