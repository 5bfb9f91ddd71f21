// Percentile bootstrap of several statistics that share one resample per round.
// It draws exactly as lib/stats bootstrapInterval does (same generator, same
// `floor(random() * size)` draws, same quantile rule, NaN resamples skipped per
// statistic), so one statistic gives the same interval as bootstrapInterval;
// several statistics (every model's win rate, every Bradley–Terry rating) cost
// one resample per round instead of one per statistic.
import type { Interval } from "../stats/bootstrap.ts";
import { SeededDraws } from "../stats/seeded_draws.ts";

/** Settings of a bootstrap run, after defaults. */
export interface BootstrapSettings {
  /** Number of resamples; 0 disables the bootstrap. */
  rounds: number;
  /** Seed of the generator. */
  seed: number;
  /** Confidence level of the two-sided percentile interval. */
  confidence: number;
}

/** Checks and fills in bootstrap options. */
export function bootstrapSettings(
  options: { rounds?: number; seed?: number; confidence?: number },
  caller: string,
): BootstrapSettings {
  const rounds = options.rounds ?? 1000;
  const seed = options.seed ?? 0;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(rounds) || rounds < 0) {
    throw new RangeError(
      `Cannot run ${caller}: rounds must be a non-negative integer, got ${rounds}`,
    );
  }
  if (!Number.isInteger(seed)) {
    throw new RangeError(`Cannot run ${caller}: seed must be an integer, got ${seed}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`Cannot run ${caller}: confidence must be in (0, 1), got ${confidence}`);
  }
  return { rounds, seed, confidence };
}

/**
 * Percentile intervals of `count` statistics over `size` resampled units. The
 * statistic gets per-unit draw counts and writes its `count` values into `out`
 * (which starts as NaN each round). Returns only the bounds; NaN bounds where
 * no resample gave a number. With `cells` (the group of each unit, groups
 * numbered from 0), the statistic gets draw counts per group instead: the
 * draws are the same, and a statistic that only depends on the group sums
 * gives the same bounds for much less work per round. The statistic must not
 * change the counts it gets (they may be kept for the next call).
 */
export function bootstrapBounds(
  size: number,
  count: number,
  statistic: (weights: Uint32Array, out: Float64Array) => void,
  settings: BootstrapSettings,
  cells?: Int32Array,
): Omit<Interval, "estimate">[] {
  const rounds = size > 0 ? settings.rounds : 0;
  // values[index * rounds + round]
  const values = new Float64Array(count * rounds);
  let cellCount = 0;
  for (let unit = 0; unit < (cells?.length ?? 0); unit++) {
    cellCount = Math.max(cellCount, cells![unit]! + 1);
  }
  const width = cells === undefined ? size : cellCount;
  const drawn = rounds > 0 ? roundCounts(size, width, settings, cells) : undefined;
  const out = new Float64Array(count);
  for (let round = 0; round < rounds; round++) {
    const weights = drawn!(round);
    out.fill(NaN);
    statistic(weights, out);
    for (let index = 0; index < count; index++) values[index * rounds + round] = out[index]!;
  }
  return Array.from(
    { length: count },
    (_, index) =>
      percentileBounds(values.subarray(index * rounds, (index + 1) * rounds), settings.confidence),
  );
}

/** Per-round counts up to this many numbers are kept for the next call with the same draws. */
const KEPT_COUNTS = 1 << 22;

/** The per-round counts of the last bootstrap whose counts fitted in {@linkcode KEPT_COUNTS}. */
let kept:
  | { size: number; seed: number; rounds: number; cells: Int32Array | undefined; all: Uint32Array }
  | undefined;

/**
 * The draw counts of each round (per unit, or per group with `cells`), as a
 * function of the round; the function's array is only valid until the next
 * call. When all rounds fit in {@linkcode KEPT_COUNTS}, they are drawn at
 * once and kept: a second statistic over the same units, seed and rounds
 * (win rates, then Bradley–Terry ratings of the same games) reuses them
 * instead of drawing again.
 */
function roundCounts(
  size: number,
  width: number,
  settings: BootstrapSettings,
  cells: Int32Array | undefined,
): (round: number) => Uint32Array {
  const { rounds, seed } = settings;
  const draws = new SeededDraws(seed);
  if (rounds * width > KEPT_COUNTS) {
    const weights = new Uint32Array(width);
    return () => draws.count(weights.fill(0), size, size, cells);
  }
  if (
    kept === undefined || kept.size !== size || kept.seed !== seed || kept.rounds !== rounds ||
    !sameCells(kept.cells, cells)
  ) {
    const all = new Uint32Array(rounds * width);
    for (let round = 0; round < rounds; round++) {
      draws.count(all, size, size, cells, round * width);
    }
    kept = { size, seed, rounds, cells: cells?.slice(), all };
  }
  const all = kept.all;
  return (round) => all.subarray(round * width, (round + 1) * width);
}

function sameCells(a: Int32Array | undefined, b: Int32Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * Lower and upper percentile bounds of resampled values, NaN ones skipped;
 * reorders the array. Linear interpolation between order statistics, as
 * lib/stats `quantile` (numpy's default). Only the two order statistics
 * around each bound are needed, so they are found with small heaps in one
 * pass each rather than by sorting.
 */
export function percentileBounds(
  values: Float64Array,
  confidence: number,
): Omit<Interval, "estimate"> {
  let valid = 0;
  for (let index = 0; index < values.length; index++) {
    if (!Number.isNaN(values[index]!)) values[valid++] = values[index]!;
  }
  if (valid === 0) return { lower: NaN, upper: NaN };
  const alpha = (1 - confidence) / 2;
  return { lower: interpolate(values, valid, alpha), upper: interpolate(values, valid, 1 - alpha) };
}

/** The q-quantile of values[0 .. length), interpolating between the two order statistics around it. */
function interpolate(values: Float64Array, length: number, q: number): number {
  const last = length - 1;
  const position = last * q;
  const below = Math.floor(position);
  const fraction = position - below;
  let low: number, high: number;
  if (below < last - below) {
    // Near the bottom (so below + 1 <= last): order statistics `below` and
    // `below + 1` are the two largest of the below + 2 smallest.
    twoExtremes(values, length, below + 2, 1);
    high = extremes.first;
    low = extremes.second;
  } else {
    // Near the top: the two smallest of the last - below + 1 largest (negated back).
    twoExtremes(values, length, last - below + 1, -1);
    low = -extremes.first;
    high = below + 1 > last ? low : -extremes.second;
  }
  return low + (high - low) * fraction;
}

/** Heap storage reused by {@linkcode twoExtremes}. */
let scratch = new Float64Array(64);
/** Results of {@linkcode twoExtremes} (kept here to avoid an allocation per call). */
const extremes = { first: 0, second: 0 };

/**
 * Sets `extremes` to the largest and second-largest of the `count` smallest
 * of `sign × values[0 .. length)`: a max-heap of the `count` smallest, in one pass.
 */
function twoExtremes(
  values: Float64Array,
  length: number,
  count: number,
  sign: number,
): void {
  if (scratch.length < count) scratch = new Float64Array(count);
  const heap = scratch;
  for (let size = 0; size < count; size++) {
    // Sift up.
    const value = sign * values[size]!;
    let child = size;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (heap[parent]! >= value) break;
      heap[child] = heap[parent]!;
      child = parent;
    }
    heap[child] = value;
  }
  let top = heap[0]!;
  for (let index = count; index < length; index++) {
    const value = sign * values[index]!;
    if (value >= top) continue;
    // Replace the largest and sift down.
    let parent = 0;
    while (true) {
      let child = 2 * parent + 1;
      if (child >= count) break;
      if (child + 1 < count && heap[child + 1]! > heap[child]!) child++;
      if (heap[child]! <= value) break;
      heap[parent] = heap[child]!;
      parent = child;
    }
    heap[parent] = value;
    top = heap[0]!;
  }
  extremes.first = top;
  extremes.second = count < 2 ? top : count < 3 ? heap[1]! : Math.max(heap[1]!, heap[2]!);
}

/** Orders rows by a value, highest first, then by model name (code-point order). */
export function byValueThenModel<T extends { model: string }>(
  value: (row: T) => number,
): (a: T, b: T) => number {
  return (a, b) => {
    const difference = value(b) - value(a);
    if (difference !== 0) return difference;
    return a.model < b.model ? -1 : a.model > b.model ? 1 : 0;
  };
}
