import assert from "node:assert/strict";
import { SeededDraws } from "../../lib/stats/seeded_draws.ts";
import { seededRandom } from "../../lib/stats/random.ts";

Deno.test("SeededDraws", async (t) => {
  await t.step("draws what Math.floor(seededRandom(seed)() * size) draws, across fills", () => {
    for (const [seed, size] of [[0, 1], [0, 80], [42, 1000], [-3, 7], [2 ** 31, 160_000]]) {
      const random = seededRandom(seed!);
      const draws = new SeededDraws(seed!);
      for (const length of [1, 17, 1000]) {
        const expected = Array.from({ length }, () => Math.floor(random() * size!));
        assert.deepEqual([...draws.fill(new Int32Array(length), size!)], expected);
      }
    }
  });

  await t.step("stays in [0, size) and fills an empty array without drawing", () => {
    const draws = new SeededDraws(1);
    assert.equal(draws.fill(new Int32Array(0), 5).length, 0);
    const values = draws.fill(new Int32Array(10_000), 5);
    assert.ok(values.every((value) => value >= 0 && value < 5));
    assert.deepEqual(new Set(values), new Set([0, 1, 2, 3, 4]));
    const again = new SeededDraws(1).fill(new Int32Array(10_000), 5);
    assert.deepEqual(again, values);
  });
});
