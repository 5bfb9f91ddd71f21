import assert from "node:assert/strict";
import type { SingleJudgment } from "../../lib/data/types.ts";
import {
  type ScoreCount,
  type ScoreDistributionMeta,
  scoreDistributionSpec,
} from "../../lib/plot/mod.ts";
import type { Spec } from "npm:vega@5.33.1";
import type { TopLevelSpec } from "../../lib/plot/mod.ts";
import { compileSpec } from "./_compile.ts";

interface Encoding {
  x: { type: string; scale: { domain: number[] }; axis: { values: number[] } };
  y: { type: string; scale: { domainMax: number } };
}

/** The bars as Vega computes them: each model's start and end on the score axis. */
async function drawnBars(spec: TopLevelSpec) {
  const { vega } = compileSpec(spec);
  const { View, parse } = await import("npm:vega@5.33.1");
  const view = new View(parse(vega as Spec), { renderer: "none" });
  await view.runAsync();
  const rows = view.data("data_0") as {
    model: string;
    score: number;
    barStart: number;
    barEnd: number;
  }[];
  view.finalize();
  const round = (value: number) => Math.round(value * 1e9) / 1e9;
  return rows
    .map((row) => ({
      model: row.model,
      score: row.score,
      start: round(row.barStart),
      end: round(row.barEnd),
    }))
    .sort((a, b) => a.model.localeCompare(b.model) || a.score - b.score);
}

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

  await t.step("puts scores on a quantitative 1-10 axis with headroom", () => {
    const spec = scoreDistributionSpec(
      records.filter((record) => record.score !== 8.5),
      categories,
    );
    const { encoding } = (spec as unknown as { spec: { encoding: Encoding } }).spec;
    assert.equal(encoding.x.type, "quantitative");
    assert.deepEqual(encoding.x.scale.domain, [0.5, 10.5]);
    assert.deepEqual(encoding.x.axis.values, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(encoding.y.type, "quantitative");
    assert.ok(encoding.y.scale.domainMax > 2, "the tallest bar (2) touches the top");
  });

  await t.step("places each model's bar beside the score, a fractional score between", async () => {
    const spec = scoreDistributionSpec(records, categories);
    const bars = await drawnBars(spec);
    // Models a and b share each score's group; 8.5 is half a point from 8, so groups are 0.4 wide.
    assert.deepEqual(bars, [
      { model: "a", score: 8, start: 7.8, end: 8 },
      { model: "a", score: 8.5, start: 8.3, end: 8.5 },
      { model: "b", score: 3, start: 3, end: 3.2 },
    ]);
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
