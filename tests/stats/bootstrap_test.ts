import assert from "node:assert/strict";
import { bootstrapInterval, quantile } from "../../lib/stats/bootstrap.ts";

/** The weighted mean of `xs`, as a bootstrap statistic. */
function meanOf(xs: number[]) {
  return (weights: Uint32Array) => {
    let sum = 0;
    let count = 0;
    weights.forEach((weight, index) => {
      sum += weight * xs[index]!;
      count += weight;
    });
    return count === 0 ? NaN : sum / count;
  };
}

Deno.test("quantile()", async (t) => {
  await t.step("interpolates linearly between ranks, as numpy does", () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
    assert.equal(quantile([10], 0.9), 10);
    assert.equal(quantile([0, 10], 0), 0);
    assert.equal(quantile([0, 10], 1), 10);
  });

  await t.step("is NaN for no values", () => {
    assert.ok(Number.isNaN(quantile([], 0.5)));
  });
});

Deno.test("bootstrapInterval()", async (t) => {
  const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  await t.step("gives the statistic on the sample and an interval around it", () => {
    const interval = bootstrapInterval(xs.length, meanOf(xs), { seed: 1 });
    assert.equal(interval.estimate, 5.5);
    assert.ok(interval.lower < 5.5 && interval.upper > 5.5, JSON.stringify(interval));
    assert.ok(interval.lower >= 1 && interval.upper <= 10);
  });

  await t.step("is reproducible for a seed and differs between seeds", () => {
    const first = bootstrapInterval(xs.length, meanOf(xs), { seed: 7 });
    assert.deepEqual(bootstrapInterval(xs.length, meanOf(xs), { seed: 7 }), first);
    const draws = (seed: number) => {
      const seen: number[][] = [];
      bootstrapInterval(xs.length, (weights) => {
        seen.push([...weights]);
        return 0;
      }, { seed, rounds: 3 });
      return seen.slice(1); // the first call is the original sample
    };
    assert.deepEqual(draws(7), draws(7));
    assert.notDeepEqual(draws(7), draws(8));
  });

  await t.step("narrows with a lower confidence", () => {
    const wide = bootstrapInterval(xs.length, meanOf(xs), { confidence: 0.99 });
    const narrow = bootstrapInterval(xs.length, meanOf(xs), { confidence: 0.5 });
    assert.ok(narrow.upper - narrow.lower < wide.upper - wide.lower);
  });

  await t.step("gives every resample weights that sum to the sample size", () => {
    const sums = new Set<number>();
    bootstrapInterval(4, (weights) => {
      sums.add(weights.reduce((sum, weight) => sum + weight, 0));
      return 0;
    }, { rounds: 50 });
    assert.deepEqual([...sums], [4]);
  });

  await t.step("is a point interval for a constant sample", () => {
    const interval = bootstrapInterval(5, meanOf([3, 3, 3, 3, 3]), { rounds: 100 });
    assert.deepEqual(interval, { estimate: 3, lower: 3, upper: 3 });
  });

  await t.step("skips NaN resamples and is NaN when all are", () => {
    let calls = 0;
    const sometimes = bootstrapInterval(3, () => (calls++ % 2 === 0 ? 1 : NaN), { rounds: 10 });
    assert.deepEqual(sometimes, { estimate: 1, lower: 1, upper: 1 });
    const never = bootstrapInterval(3, (weights) => weights[0] === 1 ? 2 : NaN, { rounds: 1 });
    assert.equal(never.estimate, 2);
  });

  await t.step("has no interval for an empty sample", () => {
    const interval = bootstrapInterval(0, () => 0);
    assert.equal(interval.estimate, 0);
    assert.ok(Number.isNaN(interval.lower) && Number.isNaN(interval.upper));
  });

  await t.step("rejects bad rounds and confidence with a RangeError", () => {
    assert.throws(() => bootstrapInterval(3, () => 0, { rounds: 0 }), RangeError);
    assert.throws(() => bootstrapInterval(3, () => 0, { rounds: 1.5 }), RangeError);
    assert.throws(() => bootstrapInterval(3, () => 0, { confidence: 1 }), /confidence/);
    assert.throws(() => bootstrapInterval(3, () => 0, { confidence: 0 }), /confidence/);
  });
});
