import assert from "node:assert/strict";
import { type WinRateChartMeta, winRateChartSpec } from "../../lib/plot/mod.ts";
import { pairwiseWinRates } from "../../lib/score/pairwise_win_rates.ts";
import { compileSpec } from "./_compile.ts";

type Row = Record<string, number | string | null>;

Deno.test("winRateChartSpec()", async (t) => {
  await t.step("sorts bars best first and keeps the intervals", () => {
    const spec = winRateChartSpec([
      {
        model: "b",
        winRateAdjusted: 0.4,
        lower: 0.3,
        upper: 0.5,
        win: 4,
        loss: 6,
        tie: 0,
        games: 10,
      },
      { model: "a", winRateAdjusted: 0.7, lower: 0.6, upper: 0.8 },
      { model: "c", winRateAdjusted: 0.4 },
    ], { baseline: "gpt-3.5-turbo" });
    const meta = spec.usermeta!.llmJudge as WinRateChartMeta;
    assert.deepEqual(meta, {
      kind: "winrate",
      models: ["a", "b", "c"],
      baseline: "gpt-3.5-turbo",
      intervals: true,
    });
    const rates = (spec.datasets as Record<string, Row[]>).rates!;
    assert.deepEqual(rates[1], {
      model: "b",
      winRateAdjusted: 0.4,
      lower: 0.3,
      upper: 0.5,
      win: 4,
      loss: 6,
      tie: 0,
      games: 10,
    });
    assert.ok(!("lower" in rates[2]!));
    assert.equal((spec.title as { text: string }).text, "Win rate against gpt-3.5-turbo");
    const layers = (spec as { layer: { mark: { type: string } }[] }).layer;
    assert.deepEqual(layers.map((layer) => layer.mark.type), ["bar", "errorbar", "rule"]);
    assert.deepEqual(compileSpec(spec).warnings, []);
  });

  await t.step("takes pairwiseWinRates() rows as they are", () => {
    const judge: [string, string] = ["gpt-4", "pair-v2"];
    const table = pairwiseWinRates([
      {
        question_id: 81,
        model_1: "a",
        model_2: "b",
        g1_winner: "model_1",
        g2_winner: "model_1",
        judge,
        turn: 1,
      },
      {
        question_id: 82,
        model_1: "a",
        model_2: "b",
        g1_winner: "tie",
        g2_winner: "tie",
        judge,
        turn: 1,
      },
    ], { rounds: 50 });
    const spec = winRateChartSpec(table.rows, { baseline: table.baseline });
    const meta = spec.usermeta!.llmJudge as WinRateChartMeta;
    assert.deepEqual(meta.models, ["a", "b"]);
    assert.equal(meta.baseline, null);
    assert.equal((spec.title as { text: string }).text, "Win rate (pairwise, all models)");
    const rates = (spec.datasets as Record<string, Row[]>).rates!;
    assert.equal(rates[0]!.winRateAdjusted, 0.75);
  });

  await t.step("says there are no error bars when no row has an interval", () => {
    const spec = winRateChartSpec([{ model: "a", winRateAdjusted: 0.5 }]);
    assert.equal((spec.usermeta!.llmJudge as WinRateChartMeta).intervals, false);
    assert.equal((spec.title as { subtitle: string }).subtitle, "ties count half");
  });

  await t.step("rejects a rate that is not a number", () => {
    assert.throws(
      () => winRateChartSpec([{ model: "a", winRateAdjusted: NaN }]),
      /winRateAdjusted of model "a" is NaN/,
    );
  });
});
