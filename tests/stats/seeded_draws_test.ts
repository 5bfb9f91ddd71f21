import assert from "node:assert/strict";
import { SeededDraws } from "../../lib/stats/seeded_draws.ts";
import { seededRandom } from "../../lib/stats/random.ts";

/** How often each of `[0, size)` occurs in `values`. */
function histogram(values: readonly number[], size: number): Uint32Array {
  const counts = new Uint32Array(size);
  for (const value of values) counts[value]!++;
  return counts;
}

Deno.test("SeededDraws", async (t) => {
  await t.step("draws what Math.floor(seededRandom(seed)() * size) draws, across calls", () => {
    for (const [seed, size] of [[0, 1], [0, 80], [42, 1000], [-3, 7], [2 ** 31, 160_000]]) {
      const random = seededRandom(seed!);
      const draws = new SeededDraws(seed!);
      for (const length of [1, 17, 1000]) {
        const expected = Array.from({ length }, () => Math.floor(random() * size!));
        const counts = draws.count(new Uint32Array(size!), length, size!);
        assert.deepEqual(counts, histogram(expected, size!));
      }
    }
  });

  await t.step("stays in [0, size), draws nothing for 0 draws, repeats for a seed", () => {
    const draws = new SeededDraws(1);
    assert.deepEqual(draws.count(new Uint32Array(5), 0, 5), new Uint32Array(5));
    const counts = draws.count(new Uint32Array(5), 10_000, 5);
    assert.equal(counts.reduce((sum, count) => sum + count, 0), 10_000);
    assert.ok(counts.every((count) => count > 0));
    assert.deepEqual(new SeededDraws(1).count(new Uint32Array(5), 10_000, 5), counts);
  });

  await t.step("counts into groups, at an offset", () => {
    const random = seededRandom(5);
    const groupOf = Int32Array.from({ length: 12 }, (_, value) => value % 3);
    const expected = Array.from({ length: 500 }, () => groupOf[Math.floor(random() * 12)]!);
    const counts = new SeededDraws(5).count(new Uint32Array(5), 500, 12, groupOf, 2);
    assert.deepEqual([...counts], [0, 0, ...histogram(expected, 3)]);
  });
});
