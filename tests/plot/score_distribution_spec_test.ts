import assert from "node:assert/strict";
import type { SingleJudgment } from "../../lib/data/types.ts";
import {
  type ScoreCount,
  type ScoreDistributionMeta,
  scoreDistributionSpec,
} from "../../lib/plot/mod.ts";
import { compileSpec } from "./_compile.ts";

const judge: [string, string] = ["gpt-4", "single-v1"];
const records: SingleJudgment[] = [
  { question_id: 81, model: "a", judge, score: 8, turn: 1 },
  { question_id: 82, model: "a", judge, score: 8, turn: 2 },
  { question_id: 111, model: "a", judge, score: 8.5, turn: 1 },
  { question_id: 111, model: "b", judge, score: 3, turn: 1 },
  { question_id: 81, model: "b", judge, score: -1, turn: 1 },
  { question_id: 82, model: "b", judge, score: 5, turn: 1, error: "timeout" },
];
const categories = new Map<number, string>([[81, "writing"], [82, "writing"], [111, "math"], [
  121,
  "coding",
]]);

Deno.test("scoreDistributionSpec()", async (t) => {
  await t.step("counts kept scores per category, model and score", () => {
    const spec = scoreDistributionSpec(records, categories);
    const counts = (spec.datasets as Record<string, ScoreCount[]>).counts!;
    assert.deepEqual(counts, [
      { category: "Writing", model: "a", score: 8, count: 2 },
      { category: "Math", model: "a", score: 8.5, count: 1 },
      { category: "Math", model: "b", score: 3, count: 1 },
    ]);
    const meta = spec.usermeta!.llmJudge as ScoreDistributionMeta;
    assert.deepEqual(meta, {
      kind: "score-distribution",
      categories: ["writing", "math"],
      models: ["a", "b"],
      records: 4,
      excluded: 2,
    });
    assert.deepEqual(compileSpec(spec).warnings, []);
  });

  await t.step("gives fractional scores a slot of their own", () => {
    const spec = scoreDistributionSpec(records, categories);
    const x = (spec as unknown as { spec: { encoding: { x: { scale: { domain: number[] } } } } })
      .spec.encoding.x;
    assert.deepEqual(x.scale.domain, [1, 2, 3, 4, 5, 6, 7, 8, 8.5, 9, 10]);
  });

  await t.step("keeps one turn and the listed models", () => {
    const spec = scoreDistributionSpec(records, categories, { turn: 1, models: ["a"] });
    const counts = (spec.datasets as Record<string, ScoreCount[]>).counts!;
    assert.deepEqual(counts.map((row) => `${row.model}:${row.score}:${row.count}`), [
      "a:8:1",
      "a:8.5:1",
    ]);
  });

  await t.step("rejects a question without a category", () => {
    assert.throws(
      () =>
        scoreDistributionSpec(
          [{ question_id: 999, model: "a", judge, score: 5, turn: 1 }],
          categories,
        ),
      /question_id 999 of model "a" has no category/,
    );
  });
});
