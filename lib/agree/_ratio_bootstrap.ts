import { quantile } from "../stats/bootstrap.ts";
import { seededRandom } from "../stats/random.ts";

/** Per-unit numerators and denominators of one ratio. */
export interface RatioSeries {
  agree: Float64Array;
  total: Float64Array;
}

/**
 * Percentile bootstrap intervals of several ratios sum(agree) / sum(total)
 * over the same units, from one set of resamples: the draws are those
 * `bootstrapInterval` makes with the same seed (units drawn with
 * replacement, rounds whose total is 0 left out), so the intervals are the
 * ones it gives for each ratio alone (the sums are of whole counts, exact in
 * any order). One pass per round serves every ratio; with ties and without
 * ties used to be two bootstraps each.
 */
export function ratioIntervals(
  series: readonly RatioSeries[],
  options: { rounds: number; seed: number; confidence: number },
): ({ lower: number; upper: number } | null)[] {
  const size = series[0]?.agree.length ?? 0;
  if (size === 0 || options.rounds < 1) return series.map(() => null);
  const count = series.length;
  const values = series.map(() => new Float64Array(options.rounds));
  const kept = new Int32Array(count);
  const agreeSums = new Float64Array(count);
  const totalSums = new Float64Array(count);
  const random = seededRandom(options.seed);
  for (let round = 0; round < options.rounds; round++) {
    agreeSums.fill(0);
    totalSums.fill(0);
    for (let draw = 0; draw < size; draw++) {
      const unit = Math.floor(random() * size);
      for (let index = 0; index < count; index++) {
        agreeSums[index]! += series[index]!.agree[unit]!;
        totalSums[index]! += series[index]!.total[unit]!;
      }
    }
    for (let index = 0; index < count; index++) {
      if (totalSums[index] !== 0) {
        values[index]![kept[index]!++] = agreeSums[index]! / totalSums[index]!;
      }
    }
  }
  const alpha = (1 - options.confidence) / 2;
  return values.map((all, index) => {
    if (kept[index] === 0) return null;
    const sorted = Array.from(all.subarray(0, kept[index]!)).sort((a, b) => a - b);
    return { lower: quantile(sorted, alpha), upper: quantile(sorted, 1 - alpha) };
  });
}
