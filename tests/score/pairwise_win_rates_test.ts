import assert from "node:assert/strict";
import { PairGameCollector, pairwiseWinRates } from "../../lib/score/mod.ts";
import { bootstrapInterval } from "../../lib/stats/mod.ts";
import { near, numbersIn, pair, samplePairs } from "./_records.ts";
import { onSharedData } from "../_helpers.ts";

const NO_BOOTSTRAP = { rounds: 0 };

Deno.test("pairwiseWinRates() reproduces FastChat's show_result.py", onSharedData, async (t) => {
  const records = await samplePairs("Stefanstud__FastChat", "gpt-4_pair.jsonl");

  await t.step("Stefanstud__FastChat gpt-4_pair.jsonl, pairwise-all", () => {
    const table = pairwiseWinRates(records, NO_BOOTSTRAP);
    assert.deepEqual(table.rows.map((row) => row.model), ["phi-3-dpo", "phi-3"]);
    const [dpo, phi3] = table.rows;
    assert.deepEqual([dpo!.win, dpo!.loss, dpo!.tie], [20, 18, 35]);
    assert.deepEqual([phi3!.win, phi3!.loss, phi3!.tie], [18, 20, 35]);
    near(dpo!.winRate, 20 / 73, "win_rate");
    near(dpo!.lossRate, 18 / 73, "loss_rate");
    near(dpo!.winRateAdjusted, 37.5 / 73, "win_rate_adjusted");
    near(phi3!.winRateAdjusted, 35.5 / 73, "phi-3 win_rate_adjusted");
    assert.equal(table.errorVerdicts, 2);
    assert.equal(table.games, 73);
    assert.equal(table.baseline, null);
  });

  await t.step("pairwise-baseline with phi-3: only phi-3-dpo, same numbers", () => {
    const table = pairwiseWinRates(records, { baseline: "phi-3", rounds: 0 });
    assert.equal(table.rows.length, 1);
    const row = table.rows[0]!;
    assert.equal(row.model, "phi-3-dpo");
    assert.deepEqual([row.win, row.loss, row.tie], [20, 18, 35]);
    near(row.winRateAdjusted, 37.5 / 73, "win_rate_adjusted");
    assert.equal(table.errorVerdicts, 2);
    assert.deepEqual(table.excluded, [{ model: "phi-3-dpo", errorVerdicts: 2, errorFields: 0 }]);
  });
});

Deno.test("pairwiseWinRates() outcomes and filters", async (t) => {
  await t.step("a tie when g1 is tie or the two orders disagree; errors dropped", () => {
    const table = pairwiseWinRates([
      pair("a", "b", "model_1", "model_1"), // a wins
      pair("a", "b", "model_2", "model_2"), // b wins
      pair("a", "b", "tie", "tie"),
      pair("a", "b", "tie", "model_1"), // g1 tie
      pair("a", "b", "model_1", "model_2"), // inconsistent
      pair("a", "b", "model_1", "error"),
      pair("a", "b", "error", "error"),
      pair("a", "b", "model_1", "model_1", { error: "rate limited" }),
    ], NO_BOOTSTRAP);
    const a = table.rows.find((row) => row.model === "a")!;
    assert.deepEqual([a.win, a.loss, a.tie, a.games], [1, 1, 3, 5]);
    assert.equal(table.errorVerdicts, 2);
    assert.equal(table.errorFields, 1);
    assert.deepEqual(table.excluded.find((row) => row.model === "b"), {
      model: "b",
      errorVerdicts: 2,
      errorFields: 1,
    });
  });

  await t.step("pairwise-all with a model list keeps games whose model_1 is listed", () => {
    // FastChat's show_result.py checks only model_1; the opponent gets a row too.
    const games = [
      pair("a", "b", "model_1", "model_1"),
      pair("a", "c", "model_1", "model_1"),
      pair("c", "b", "model_1", "model_1"),
    ];
    const table = pairwiseWinRates(games, { modelList: ["a", "b"], rounds: 0 });
    assert.deepEqual(table.rows.map((row) => [row.model, row.games]), [
      ["a", 2],
      ["b", 1],
      ["c", 1],
    ]);
    assert.equal(table.outsideFilters, 1);
  });

  await t.step(
    "pairwise-baseline keeps games against the baseline whose model_1 is listed",
    () => {
      const games = [
        pair("a", "base", "model_1", "model_1"),
        pair("base", "b", "model_1", "model_1"),
        pair("c", "base", "model_1", "model_1"),
        pair("a", "b", "model_1", "model_1"), // no baseline: skipped
      ];
      const all = pairwiseWinRates(games, { baseline: "base", rounds: 0 });
      assert.deepEqual(all.rows.map((row) => row.model), ["a", "c", "b"]);
      assert.equal(all.outsideFilters, 1);
      // As FastChat: base-b counts only when "base" (its model_1) is listed.
      const onlyB = pairwiseWinRates(games, { baseline: "base", modelList: ["b"], rounds: 0 });
      assert.deepEqual(onlyB.rows, []);
      assert.equal(onlyB.outsideFilters, 4);
      const listed = pairwiseWinRates(games, {
        baseline: "base",
        modelList: ["a", "base"],
        rounds: 0,
      });
      assert.deepEqual(listed.rows.map((row) => [row.model, row.loss]), [["a", 0], ["b", 1]]);
      assert.equal(listed.outsideFilters, 2);
    },
  );

  await t.step("an absent baseline gives no rows", () => {
    const table = pairwiseWinRates([pair("a", "b", "tie", "tie")], { baseline: "x" });
    assert.deepEqual(table.rows, []);
    assert.equal(table.outsideFilters, 1);
  });

  await t.step("equal adjusted win rates sort by model name", () => {
    const table = pairwiseWinRates([
      pair("zeta", "alpha", "tie", "tie"),
      pair("mid", "zeta", "tie", "tie"),
    ], NO_BOOTSTRAP);
    assert.deepEqual(table.rows.map((row) => row.model), ["alpha", "mid", "zeta"]);
  });

  await t.step("names in the model list without games are reported", () => {
    const table = pairwiseWinRates([pair("a", "b", "tie", "tie")], {
      modelList: ["a", "b", "ghost"],
    });
    assert.deepEqual(table.missingModels, ["ghost"]);
  });
});

Deno.test("pairwiseWinRates() bootstrap intervals", onSharedData, async (t) => {
  const records = await samplePairs("Stefanstud__FastChat", "gpt-4_pair.jsonl");

  await t.step("equal lib/stats bootstrapInterval over games for a baseline table", () => {
    const table = pairwiseWinRates(records, { baseline: "phi-3", seed: 3 });
    const games = records.filter((record) =>
      record.g1_winner !== "error" && record.g2_winner !== "error"
    );
    const points = games.map((game) => {
      const dpoFirst = game.model_1 === "phi-3-dpo";
      if (game.g1_winner === "tie" || game.g1_winner !== game.g2_winner) return 0.5;
      return (game.g1_winner === "model_1") === dpoFirst ? 1 : 0;
    });
    const expected = bootstrapInterval(games.length, (weights) => {
      let credit = 0;
      let total = 0;
      weights.forEach((weight, index) => {
        credit += weight * points[index]!;
        total += weight;
      });
      return credit / total;
    }, { seed: 3 });
    near(table.rows[0]!.lower, expected.lower, "lower");
    near(table.rows[0]!.upper, expected.upper, "upper");
  });

  await t.step("intervals contain the estimate, are seeded, and absent when off", () => {
    const table = pairwiseWinRates(records);
    for (const row of table.rows) {
      assert.ok(row.lower! <= row.winRateAdjusted && row.winRateAdjusted <= row.upper!);
    }
    assert.deepEqual(pairwiseWinRates(records), table);
    assert.ok(pairwiseWinRates(records, NO_BOOTSTRAP).rows.every((row) => row.lower === undefined));
    assert.ok(numbersIn(table).every(Number.isFinite));
  });

  await t.step("a collector gives the same table as the records", () => {
    const collector = new PairGameCollector().addAll(records);
    assert.deepEqual(pairwiseWinRates(collector), pairwiseWinRates(records));
  });
});
