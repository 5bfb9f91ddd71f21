import { seededRandom } from "./random.ts";

/** A point estimate with a bootstrap percentile interval. */
export interface Interval {
  /** The statistic on the original sample. */
  estimate: number;
  /** Lower bound of the interval. */
  lower: number;
  /** Upper bound of the interval. */
  upper: number;
}

/** Options for {@linkcode bootstrapInterval}. */
export interface BootstrapOptions {
  /**
   * Number of resamples.
   * @default {1000}
   */
  rounds?: number;
  /**
   * Seed of the generator, so intervals are reproducible.
   * @default {0}
   */
  seed?: number;
  /**
   * Confidence level of the two-sided percentile interval.
   * @default {0.95}
   */
  confidence?: number;
}

/**
 * Percentile bootstrap interval of a statistic over `size` units. The statistic
 * receives, per unit, how many times the resample drew it (the original sample is
 * all ones), which lets callers resample clusters (questions) as cheaply as rows.
 * Resamples where the statistic is NaN (e.g. an empty denominator) are skipped.
 *
 * @example Mean of five numbers
 * ```ts
 * import assert from "node:assert/strict";
 * import { bootstrapInterval } from "./bootstrap.ts";
 * const xs = [1, 2, 3, 4, 5];
 * const mean = (weights: Uint32Array) => {
 *   let sum = 0, n = 0;
 *   weights.forEach((w, i) => { sum += w * xs[i]!; n += w; });
 *   return sum / n;
 * };
 * const interval = bootstrapInterval(xs.length, mean, { seed: 1 });
 * assert.equal(interval.estimate, 3);
 * assert.ok(interval.lower <= 3);
 * assert.ok(interval.upper >= 3);
 * ```
 */
export function bootstrapInterval(
  size: number,
  statistic: (weights: Uint32Array) => number,
  options: BootstrapOptions = {},
): Interval {
  const rounds = options.rounds ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError(`Cannot bootstrap: rounds must be a positive integer, got ${rounds}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`Cannot bootstrap: confidence must be in (0, 1), got ${confidence}`);
  }
  const weights = new Uint32Array(size).fill(1);
  const estimate = statistic(weights);
  if (size === 0) return { estimate, lower: NaN, upper: NaN };
  const random = seededRandom(options.seed ?? 0);
  const values: number[] = [];
  for (let round = 0; round < rounds; round++) {
    weights.fill(0);
    for (let draw = 0; draw < size; draw++) weights[Math.floor(random() * size)]!++;
    const value = statistic(weights);
    if (!Number.isNaN(value)) values.push(value);
  }
  if (values.length === 0) return { estimate, lower: NaN, upper: NaN };
  values.sort((a, b) => a - b);
  const alpha = (1 - confidence) / 2;
  return { estimate, lower: quantile(values, alpha), upper: quantile(values, 1 - alpha) };
}

/** Linear-interpolated quantile of sorted values (numpy's default method). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  return sorted[below]! + (sorted[above]! - sorted[below]!) * fraction;
}
