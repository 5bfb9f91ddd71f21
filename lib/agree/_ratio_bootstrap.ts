import { quantile } from "../stats/bootstrap.ts";
import { SeededDraws } from "../stats/seeded_draws.ts";

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
  const draws = new SeededDraws(options.seed);
  // How often each unit was drawn this round; the sums weigh each unit by it
  // (whole counts: the same sums as adding draw by draw).
  const weights = new Uint32Array(size);
  for (let round = 0; round < options.rounds; round++) {
    draws.count(weights.fill(0), size, size);
    for (let index = 0; index < count; index++) {
      const { agree, total } = series[index]!;
      let agreeSum = 0;
      let totalSum = 0;
      for (let unit = 0; unit < size; unit++) {
        const weight = weights[unit]!;
        agreeSum += weight * agree[unit]!;
        totalSum += weight * total[unit]!;
      }
      agreeSums[index] = agreeSum;
      totalSums[index] = totalSum;
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
