import assert from "node:assert/strict";
import { type RadarChartMeta, radarChartSpec, type RadarScore } from "../../lib/plot/mod.ts";
import { CATEGORIES, compileSpec } from "./_compile.ts";

type Row = Record<string, number | string>;

function scores(models: string[]): RadarScore[] {
  return models.flatMap((model, index) =>
    CATEGORIES.map((category, axis) => ({ model, category, score: 2 + index + axis / 2 }))
  );
}

Deno.test("radarChartSpec()", async (t) => {
  const spec = radarChartSpec(scores(["gpt-4", "claude-v1", "vicuna"]), { subtitle: "turn 1" });
  const datasets = spec.datasets as Record<string, Row[]>;

  await t.step("puts the eight categories on eight labeled axes, in order", () => {
    const meta = spec.usermeta!.llmJudge as RadarChartMeta;
    assert.equal(meta.kind, "radar");
    assert.deepEqual(meta.categories, [...CATEGORIES]);
    assert.deepEqual(datasets.axes!.map((axis) => axis.category), [
      "Writing",
      "Roleplay",
      "Reasoning",
      "Math",
      "Coding",
      "Extraction",
      "STEM",
      "Humanities",
    ]);
  });

  await t.step("places axes clockwise from the top, at the outer ring", () => {
    const [top, , right, , bottom, , left] = datasets.axes!;
    assert.deepEqual([top!.x, top!.y], [0, 10]);
    assert.deepEqual([right!.x, right!.y], [10, 0]);
    assert.deepEqual([bottom!.x, bottom!.y], [0, -10]);
    assert.deepEqual([left!.x, left!.y], [-10, 0]);
    assert.deepEqual(datasets.axes!.map((axis) => axis.side), [
      "center",
      "left",
      "left",
      "left",
      "center",
      "right",
      "right",
      "right",
    ]);
  });

  await t.step("draws one closed polygon per model with a legend", () => {
    const byModel = Map.groupBy(datasets.scores!, (row) => row.model as string);
    assert.deepEqual([...byModel.keys()], ["gpt-4", "claude-v1", "vicuna"]);
    for (const rows of byModel.values()) {
      assert.equal(rows.length, 9);
      const first = rows[0]!;
      const last = rows[8]!;
      assert.equal(last.closing, 1);
      assert.deepEqual([last.x, last.y, last.category], [first.x, first.y, first.category]);
    }
    const gpt4Writing = datasets.scores!.find((row) =>
      row.model === "gpt-4" && row.category === "Writing"
    )!;
    assert.deepEqual([gpt4Writing.x, gpt4Writing.y, gpt4Writing.score], [0, 2, 2]);
    const layers = (spec as { layer: { mark: { type: string }; encoding?: Row }[] }).layer;
    const line = layers.find((layer) =>
      layer.mark.type === "line" && "color" in (layer.encoding ?? {})
    )!;
    const color = line.encoding!.color as unknown as { field: string; legend: { title: string } };
    assert.equal(color.field, "model");
    assert.equal(color.legend.title, "Model");
  });

  await t.step("labels the rings and keeps the title and subtitle", () => {
    assert.deepEqual(datasets.ringLabels!.map((ring) => ring.text), ["2", "4", "6", "8", "10"]);
    assert.deepEqual(spec.title, { text: "MT-Bench score per category", subtitle: "turn 1" });
  });

  await t.step("puts the ring labels between the first two spokes, off every spoke", () => {
    const spoke = (2 * Math.PI) / CATEGORIES.length;
    for (const label of datasets.ringLabels!) {
      // Clockwise from the top, as the spokes are counted.
      const angle = Math.atan2(label.x as number, label.y as number);
      assert.ok(angle > 0.3 * spoke && angle < 0.7 * spoke, `ring label ${label.text} at ${angle}`);
      const radius = Math.hypot(label.x as number, label.y as number);
      assert.ok(radius < (label.ring as number), `ring label ${label.text} outside its ring`);
      assert.ok(radius > (label.ring as number) - 2, `ring label ${label.text} far from its ring`);
    }
  });

  await t.step("is as wide as the category labels need, and no wider", () => {
    // The widest need: "Reasoning" (9 characters of 13 px) beside the right spoke's tip.
    const size = 420;
    const unit = size / 24;
    const needed = 2 * (11 * unit + 9 * 0.6 * 13 + 8);
    const sized = spec as { width: number; height: number };
    assert.equal(sized.height, size);
    assert.ok(Math.abs(sized.width - needed) < 2, `width ${sized.width}, needed ${needed}`);
    const short = radarChartSpec([
      { model: "a", category: "x", score: 1 },
      { model: "a", category: "y", score: 1 },
      { model: "a", category: "z", score: 1 },
    ]);
    assert.ok((short as { width: number }).width < sized.width);
  });

  await t.step("compiles with vega-lite without warnings", () => {
    assert.deepEqual(compileSpec(spec).warnings, []);
  });

  await t.step("follows the given category and model order and skips the rest", () => {
    const chosen = radarChartSpec(scores(["a", "b", "c"]), {
      categories: ["math", "coding", "stem"],
      models: ["c", "a"],
    });
    const meta = chosen.usermeta!.llmJudge as RadarChartMeta;
    assert.deepEqual(meta.categories, ["math", "coding", "stem"]);
    assert.deepEqual(meta.models, ["c", "a"]);
    const rows = (chosen.datasets as Record<string, Row[]>).scores!;
    assert.deepEqual([...new Set(rows.map((row) => row.model))], ["c", "a"]);
    assert.equal(rows.length, 2 * 4);
  });

  await t.step("leaves a missing category out of that model's polygon", () => {
    const partial = scores(["a"]).filter((row) => row.category !== "math");
    const rows = (radarChartSpec(partial, { categories: [...CATEGORIES] }).datasets as Record<
      string,
      Row[]
    >).scores!;
    assert.equal(rows.length, 7 + 1);
    assert.ok(!rows.some((row) => row.category === "Math"));
  });

  await t.step("clamps points to the outer ring but keeps the score", () => {
    const rows = (radarChartSpec([
      { model: "a", category: "x", score: 12 },
      { model: "a", category: "y", score: 5 },
      { model: "a", category: "z", score: 5 },
    ]).datasets as Record<string, Row[]>).scores!;
    assert.deepEqual([rows[0]!.y, rows[0]!.score], [10, 12]);
  });

  await t.step("rejects fewer than 3 categories and bad numbers", () => {
    assert.throws(
      () => radarChartSpec([{ model: "a", category: "x", score: 1 }]),
      (error: unknown) =>
        error instanceof RangeError && /at least 3 categories, got \["x"\]/.test(error.message),
    );
    assert.throws(
      () => radarChartSpec(scores(["a"]), { max: 0 }),
      /max must be a positive number, got 0/,
    );
    assert.throws(
      () =>
        radarChartSpec([
          { model: "a", category: "x", score: NaN },
          { model: "a", category: "y", score: 1 },
          { model: "a", category: "z", score: 1 },
        ]),
      /score of model "a" in "x" is NaN/,
    );
  });
});
