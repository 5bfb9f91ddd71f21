import assert from "node:assert/strict";
import { bootstrapBounds, bootstrapSettings } from "../../lib/score/_bootstrap.ts";
import { bootstrapInterval } from "../../lib/stats/bootstrap.ts";

const xs = Array.from({ length: 40 }, (_, index) => (index * 7919) % 13);
const cells = Int32Array.from(xs, (x) => x % 5);

/** Mean of xs under per-unit weights. */
function mean(weights: Uint32Array): number {
  let sum = 0, n = 0;
  weights.forEach((weight, unit) => {
    sum += weight * xs[unit]!;
    n += weight;
  });
  return sum / n;
}

/** Mean of each cell's share under per-cell weights (two statistics). */
function shares(weights: Uint32Array, out: Float64Array): void {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  out[0] = weights[0]! / total;
  out[1] = weights[4]! / total;
}

Deno.test("bootstrapBounds()", async (t) => {
  await t.step("gives bootstrapInterval's bounds for one statistic over units", () => {
    for (const seed of [0, 3]) {
      const settings = bootstrapSettings({ rounds: 200, seed }, "a test");
      const [bounds] = bootstrapBounds(xs.length, 1, (w, out) => (out[0] = mean(w)), settings);
      const interval = bootstrapInterval(xs.length, mean, { rounds: 200, seed });
      assert.deepEqual(bounds, { lower: interval.lower, upper: interval.upper });
    }
  });

  await t.step("counts draws per cell as the per-unit draws grouped", () => {
    const settings = bootstrapSettings({ rounds: 150, seed: 9 }, "a test");
    const perUnit = bootstrapBounds(xs.length, 2, (weights, out) => {
      const grouped = new Uint32Array(5);
      weights.forEach((weight, unit) => (grouped[cells[unit]!]! += weight));
      shares(grouped, out);
    }, settings);
    // Twice: the second call reuses the kept counts of the first and must agree.
    for (let time = 0; time < 2; time++) {
      assert.deepEqual(bootstrapBounds(xs.length, 2, shares, settings, cells), perUnit);
    }
  });

  await t.step("draws anew for another seed, round count or grouping", () => {
    const base = bootstrapSettings({ rounds: 150, seed: 9 }, "a test");
    const first = bootstrapBounds(xs.length, 2, shares, base, cells);
    const otherSeed = bootstrapBounds(
      xs.length,
      2,
      shares,
      bootstrapSettings({ rounds: 150, seed: 10 }, "a test"),
      cells,
    );
    assert.notDeepEqual(otherSeed, first);
    const regrouped = Int32Array.from(cells, (cell) => 4 - cell);
    const swapped = bootstrapBounds(xs.length, 2, shares, base, regrouped);
    assert.deepEqual(swapped, [first[1], first[0]]);
    assert.deepEqual(bootstrapBounds(xs.length, 2, shares, base, cells), first);
  });
});
