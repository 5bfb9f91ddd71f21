import assert from "node:assert/strict";
import type { PairJudgment } from "../../lib/data/mod.ts";
import { bradleyTerry } from "../../lib/score/mod.ts";
import { seededRandom } from "../../lib/stats/mod.ts";
import { near, numbersIn, pair, samplePairs } from "./_records.ts";
import { onSharedData } from "../_helpers.ts";

const NO_BOOTSTRAP = { rounds: 0 };

/** Random games among models of increasing strength. */
function randomGames(seed: number, count: number, models: number): PairJudgment[] {
  const random = seededRandom(seed);
  const games: PairJudgment[] = [];
  for (let index = 0; index < count; index++) {
    const a = Math.floor(random() * models);
    let b = Math.floor(random() * (models - 1));
    if (b >= a) b++;
    const draw = random();
    const aWins = draw < (a + 1) / (a + b + 2);
    const verdict = random() < 0.2 ? "tie" : aWins ? "model_1" : "model_2";
    games.push(pair(`m${a}`, `m${b}`, verdict, random() < 0.1 ? "tie" : verdict));
  }
  return games;
}

Deno.test("bradleyTerry() fits Bradley–Terry strengths", async (t) => {
  await t.step({
    name: "two models: the rating gap is 400·log10 of the half-tie win ratio",
    ...onSharedData,
    fn: async () => {
      const records = await samplePairs("Stefanstud__FastChat", "gpt-4_pair.jsonl");
      const { rows, games } = bradleyTerry(records, { prior: 0, rounds: 0 });
      assert.equal(games, 73);
      assert.deepEqual(rows.map((row) => row.model), ["phi-3-dpo", "phi-3"]);
      const gap = 400 * Math.log10(37.5 / 35.5);
      near(rows[0]!.rating, 1000 + gap / 2, "phi-3-dpo");
      near(rows[1]!.rating, 1000 - gap / 2, "phi-3");
    },
  });

  await t.step("at the maximum-likelihood fit every model's expected wins equal its wins", () => {
    const records = randomGames(1, 400, 5);
    const { rows, converged } = bradleyTerry(records, { prior: 0, rounds: 0 });
    assert.ok(converged);
    const rating = new Map(rows.map((row) => [row.model, row.rating]));
    const gaps = new Map<string, number>();
    for (const game of records) {
      const a = game.model_1;
      const b = game.model_2;
      const p = 1 / (1 + 10 ** ((rating.get(b)! - rating.get(a)!) / 400));
      const tie = game.g1_winner === "tie" || game.g1_winner !== game.g2_winner;
      const scoreA = tie ? 0.5 : game.g1_winner === "model_1" ? 1 : 0;
      gaps.set(a, (gaps.get(a) ?? 0) + scoreA - p);
      gaps.set(b, (gaps.get(b) ?? 0) + (1 - scoreA) - (1 - p));
    }
    for (const [model, gap] of gaps) assert.ok(Math.abs(gap) < 1e-6, `${model}: ${gap}`);
    near(rows.reduce((sum, row) => sum + row.rating, 0) / rows.length, 1000, "mean rating");
    assert.equal(rows[0]!.model, "m4");
    assert.equal(rows[rows.length - 1]!.model, "m0");
  });

  await t.step("the prior keeps a model that lost every game finite; prior 0 refuses", () => {
    const games = [
      pair("a", "b", "model_1", "model_1"),
      pair("a", "b", "model_1", "model_1"),
      pair("c", "b", "tie", "tie"),
    ];
    const { rows } = bradleyTerry(games);
    assert.ok(numbersIn(rows).every(Number.isFinite));
    assert.deepEqual(rows.map((row) => row.model), ["a", "c", "b"]);
    assert.throws(() => bradleyTerry(games, { prior: 0 }), RangeError);
  });

  await t.step("the prior pulls ratings slightly together", () => {
    const records = randomGames(2, 300, 4);
    const plain = bradleyTerry(records, { prior: 0, rounds: 0 }).rows;
    const shrunk = bradleyTerry(records, { rounds: 0 }).rows;
    const spread = (rows: typeof plain) => rows[0]!.rating - rows[rows.length - 1]!.rating;
    assert.ok(spread(shrunk) < spread(plain));
    assert.ok(spread(plain) - spread(shrunk) < 0.05 * spread(plain));
  });

  await t.step("error games are left out, the model list keeps games of a listed model_1", () => {
    const games = [
      pair("a", "b", "model_1", "model_1"),
      pair("a", "b", "error", "model_1"),
      pair("a", "c", "model_2", "model_2"),
      pair("b", "c", "tie", "tie"),
    ];
    const all = bradleyTerry(games, NO_BOOTSTRAP);
    assert.equal(all.games, 3);
    const listed = bradleyTerry(games, { modelList: ["a"], rounds: 0 });
    assert.equal(listed.games, 2);
    assert.deepEqual(listed.rows.map((row) => row.model).sort(), ["a", "b", "c"]);
  });

  await t.step("no games: no rows", () => {
    assert.deepEqual(bradleyTerry([]).rows, []);
  });

  await t.step("bootstrap intervals contain the estimate and are seeded", () => {
    const records = randomGames(3, 300, 4);
    const fit = bradleyTerry(records);
    for (const row of fit.rows) assert.ok(row.lower! <= row.rating && row.rating <= row.upper!);
    assert.deepEqual(bradleyTerry(records), fit);
    assert.notDeepEqual(bradleyTerry(records, { seed: 5 }).rows, fit.rows);
    assert.ok(bradleyTerry(records, NO_BOOTSTRAP).rows.every((row) => row.lower === undefined));
  });

  await t.step("bad options are RangeErrors", () => {
    assert.throws(() => bradleyTerry([], { prior: -1 }), RangeError);
    assert.throws(() => bradleyTerry([], { maxIterations: 0 }), RangeError);
  });
});
