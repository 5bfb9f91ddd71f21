import assert from "node:assert/strict";
import { SHARED_DATA, SHARED_DATA_MISSING } from "../_helpers.ts";
import type { PairJudgment } from "../../lib/data/types.ts";
import { computeCalibration, loadHumanBench, sampleItems } from "../../lib/calibrate/mod.ts";
import { answerLengths, lengthPoints, positionBias } from "../../lib/audit/mod.ts";
import {
  calibrationChartSpec,
  lengthBiasChartSpec,
  positionBiasChartSpec,
  renderSvg,
} from "../../lib/plot/mod.ts";
import { compileSpec } from "./_compile.ts";

// Everything here reads the upstream data: without it, one skipped test says so.
if (SHARED_DATA_MISSING) {
  Deno.test({ name: "calibration charts on the upstream human judgments", ignore: true, fn() {} });
} else {
  await register();
}

async function register(): Promise<void> {
  const { bench, humanVotes, gpt4Votes } = await loadHumanBench(SHARED_DATA);
  const items = sampleItems(bench.items, 60, 4);
  const judge: [string, string] = ["mock", "pair-v2"];
  /** A judge that prefers the model that sorts first, in both orders. */
  const records: PairJudgment[] = items.map((item) => ({
    question_id: item.question_id,
    model_1: item.model_a,
    model_2: item.model_b,
    g1_winner: "model_1",
    g2_winner: item.question_id % 3 === 0 ? "model_2" : "model_1",
    judge,
    turn: item.turn,
  }));

  Deno.test("calibrationChartSpec()", async (t) => {
    const report = computeCalibration({
      judge: "mock",
      items,
      humanVotes,
      gpt4Votes,
      questions: bench.questions,
      pairRecords: records,
    }, { rounds: 100 });
    const spec = calibrationChartSpec([report]);

    await t.step("has GPT-4, the judge and the experts' ceiling for both setups", () => {
      const bars = spec.datasets!.bars as { judge: string; kind: string; ratio: number }[];
      assert.deepEqual([...new Set(bars.map((bar) => bar.judge))], [
        "GPT-4 (paper)",
        "mock",
        "experts vs each other",
      ]);
      assert.equal(bars.length, 6);
      const gpt4 = bars.find((bar) => bar.judge === "GPT-4 (paper)")!;
      assert.equal(gpt4.ratio, 886 / 1343);
    });

    await t.step("compiles without warnings and renders", async () => {
      assert.deepEqual(compileSpec(spec).warnings, []);
      const svg = await renderSvg(spec);
      assert.match(svg, /GPT-4 \(paper\)/);
    });
  });

  Deno.test("positionBiasChartSpec() and lengthBiasChartSpec()", async (t) => {
    await t.step("position bias: one bar per figure and judge", async () => {
      const spec = positionBiasChartSpec([{ label: "mock", bias: positionBias(records) }]);
      const bars = spec.datasets!.bars as { figure: string; value: number }[];
      assert.equal(bars.length, 4);
      assert.deepEqual(compileSpec(spec).warnings, []);
      assert.match(await renderSvg(spec), /first-position preference/);
    });

    await t.step("length bias: one point per game, with a fit line", async () => {
      const points = lengthPoints(records, answerLengths(bench.answers));
      assert.equal(points.length, 2 * records.length);
      const spec = lengthBiasChartSpec(points);
      assert.deepEqual(compileSpec(spec).warnings, []);
      assert.match(await renderSvg(spec), /<svg/);
    });
  });
}
