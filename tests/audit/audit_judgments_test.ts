import assert from "node:assert/strict";
import type { PairJudgment, SingleJudgment } from "../../lib/data/types.ts";
import {
  auditJudgments,
  errorRate,
  judgeFamily,
  repeatAgreement,
  scoreSignificance,
  selfPreference,
} from "../../lib/audit/mod.ts";

const single: [string, string] = ["llama-3-70b", "single-v1"];
const pair: [string, string] = ["gpt-4", "pair-v2"];

function grades(model: string, scores: number[]): SingleJudgment[] {
  return scores.map((score, index) => ({
    question_id: 81 + index,
    model,
    judge: single,
    score,
    turn: 1,
  }));
}

Deno.test("errorRate() reads FastChat's records, which have no error field", () => {
  const record: PairJudgment = {
    question_id: 81,
    model_1: "a",
    model_2: "b",
    g1_winner: "error",
    g2_winner: "model_1",
    judge: pair,
    turn: 1,
    g1_judgment: "I think both are fine.",
  };
  const rate = errorRate([record]);
  assert.equal(rate.requests, 2);
  assert.equal(rate.failed, 1);
  assert.equal(rate.parseFailures, 1);
  assert.deepEqual(rate.causes, [{ cause: "no verdict", count: 1 }]);
});

Deno.test("selfPreference() and judgeFamily()", async (t) => {
  await t.step("matches a family by name and measures the score gap", () => {
    assert.equal(judgeFamily("groq:llama-3.3-70b-versatile"), "llama");
    const preference = selfPreference(
      [...grades("llama-13b", [8, 8]), ...grades("alpaca-13b", [6, 6])],
      ["llama"],
    );
    assert.deepEqual(preference.familyModels, ["llama-13b"]);
    assert.equal(preference.scoreGap, 2);
    assert.equal(preference.matches, 0);
  });
});

Deno.test("repeatAgreement() over repeated single runs", () => {
  const first = [...grades("a", [7, 8, 9]), ...grades("b", [5, 5, 5])];
  const second = [...grades("a", [7, 8, 6]), ...grades("b", [5, 5, 5])];
  const result = repeatAgreement([first, second]);
  assert.equal(result.items, 6);
  assert.equal(result.unanimous, 5);
  const a = result.models.find((entry) => entry.model === "a")!;
  assert.deepEqual(a.means, [8, 7]);
  assert.equal(a.std, 0.5);
});

Deno.test("scoreSignificance() marks only resolvable neighbours", () => {
  // Noise of ±2 that differs between models per question (a paired difference that is not constant).
  const noisy = (base: number, step: number) =>
    Array.from({ length: 20 }, (_, index) => base + ((index * step) % 5) - 2);
  const records = [
    ...grades("top", noisy(9, 1)),
    ...grades("close", noisy(8.9, 3)),
    ...grades("far", noisy(3, 2)),
  ];
  const result = scoreSignificance(records, { rounds: 300 });
  assert.deepEqual(result.ranking.map((entry) => entry.model), ["top", "close", "far"]);
  assert.equal(result.ranking[0]!.significant, false, "0.1 apart with noise ±2 is not resolvable");
  assert.equal(result.ranking[1]!.significant, true);
  assert.ok(result.minimumSignificantDifference > 0.1);
});

Deno.test("auditJudgments() runs every figure on a pairwise file", () => {
  const records: PairJudgment[] = [81, 82, 83, 84].map((question_id) => ({
    question_id,
    model_1: "gpt-4",
    model_2: "llama-13b",
    g1_winner: "model_1",
    g2_winner: question_id % 2 === 0 ? "model_1" : "model_2",
    judge: pair,
    turn: 1,
  }));
  const report = auditJudgments([records], {
    lengthOf: (_question, model) => (model === "gpt-4" ? 1000 : 100),
    rounds: 0,
  });
  assert.equal(report.kind, "pairwise");
  assert.equal(report.positionBias!.consistency, 0.5);
  assert.equal(report.lengthBias!.longerWinRate, 6 / 8);
  assert.equal(report.selfPreference.familyWinRate, 0.75);
  assert.equal(report.distribution.kind, "pairwise");
  assert.equal(report.repeats, null);
  assert.equal(report.significance, null);
});
