import assert from "node:assert/strict";
import type { SingleJudgment } from "../../lib/data/types.ts";
import {
  modelColors,
  radarChartSpec,
  scoreDistributionSpec,
  type TopLevelSpec,
  winRateChartSpec,
} from "../../lib/plot/mod.ts";
import { CATEGORIES } from "./_compile.ts";

/** The model → color mapping of a spec's color scales (every layer, facet spec included). */
function colorsOf(spec: TopLevelSpec): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    const color = (record.encoding as { color?: { scale?: { domain: string[]; range: string[] } } })
      ?.color;
    if (color?.scale !== undefined) {
      color.scale.domain.forEach((model, index) => {
        const previous = found.get(model);
        const value = color.scale!.range[index]!;
        assert.ok(previous === undefined || previous === value, `two colors for ${model}`);
        found.set(model, value);
      });
    }
    for (const value of Object.values(record)) visit(value);
  };
  visit(spec);
  return found;
}

Deno.test("modelColors()", async (t) => {
  await t.step("colors models by name, whatever their order", () => {
    const colors = modelColors(["vicuna-13b", "gpt-4", "claude-v1"]);
    assert.deepEqual([...colors], [
      ["vicuna-13b", "#e45756"],
      ["gpt-4", "#f58518"],
      ["claude-v1", "#4c78a8"],
    ]);
    assert.deepEqual(
      modelColors(["claude-v1", "gpt-4", "vicuna-13b"]).get("vicuna-13b"),
      "#e45756",
    );
  });

  await t.step("takes the color domain of the report, and puts unknown models after it", () => {
    const domain = ["b", "a", "c"];
    assert.equal(modelColors(["c"], { colorDomain: domain }).get("c"), "#e45756");
    assert.equal(modelColors(["z", "a"], { colorDomain: domain }).get("z"), "#72b7b2");
  });

  await t.step("switches to 20 colors for 11 models and repeats after 20", () => {
    const many = Array.from({ length: 21 }, (_, index) => `m${String(index).padStart(2, "0")}`);
    const colors = modelColors(many);
    assert.equal(colors.get("m01"), "#9ecae9");
    assert.equal(new Set(colors.values()).size, 20);
    assert.equal(colors.get("m20"), colors.get("m00"));
    assert.equal(modelColors(many.slice(0, 10)).get("m01"), "#f58518");
  });
});

Deno.test("every chart gives one model one color", async (t) => {
  const models = ["vicuna-13b", "gpt-4", "claude-v1"];
  const judge: [string, string] = ["gpt-4", "single-v1"];
  const radar = radarChartSpec(
    models.flatMap((model) => CATEGORIES.map((category) => ({ model, category, score: 5 }))),
  );
  const records: SingleJudgment[] = models.toReversed().map((model, index) => ({
    question_id: 81 + index,
    model,
    judge,
    score: 5,
    turn: 1,
  }));
  const distribution = scoreDistributionSpec(
    records,
    new Map([[81, "writing"], [82, "writing"], [
      83,
      "writing",
    ]]),
  );
  const winRate = winRateChartSpec([
    { model: "vicuna-13b", winRateAdjusted: 0.2 },
    { model: "claude-v1", winRateAdjusted: 0.6 },
  ], { baseline: "gpt-4" });

  await t.step("radar, distribution and win rate agree", () => {
    const expected = modelColors(models);
    for (const [name, spec] of [["radar", radar], ["distribution", distribution]] as const) {
      assert.deepEqual(
        Object.fromEntries(colorsOf(spec)),
        Object.fromEntries([...expected].sort()),
        name,
      );
    }
    // The baseline has no bar but keeps its place in the palette.
    assert.equal(colorsOf(winRate).get("vicuna-13b"), expected.get("vicuna-13b"));
    assert.equal(colorsOf(winRate).get("claude-v1"), expected.get("claude-v1"));
  });

  await t.step("a subset keeps its colors with the report's color domain", () => {
    const subset = radarChartSpec(
      CATEGORIES.map((category) => ({ model: "vicuna-13b", category, score: 5 })),
      { colorDomain: models },
    );
    assert.equal(colorsOf(subset).get("vicuna-13b"), modelColors(models).get("vicuna-13b"));
  });
});
