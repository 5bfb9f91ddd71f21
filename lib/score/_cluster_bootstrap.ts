// Bootstrap intervals of per-model mean scores, resampling each model's
// questions (clusters). Every model is resampled with the same seed and the
// same draws as lib/stats bootstrapInterval makes, so models with the same
// number of questions get the same resamples: the draws are made once for a
// block of models and a block of rounds, as per-question weights (counts), and
// each resampled sum is a dot product of a weight row with a column of sums.
//
// Speed (a 1M-record file has ~500k (model, question) pairs, times 1000
// rounds): only the columns that vary are kept (see `layoutOf`), and when the
// sums are small non-negative integers (or halves, scaled by 2), the columns of
// a block of models are packed several to a double, as bit fields wide enough
// that no field's resampled sum can carry into the next. One multiply-add then
// adds up several columns at once, and exactly (every value stays an integer
// below 2^52).
import { SeededDraws } from "../stats/seeded_draws.ts";
import { type BootstrapSettings, percentileBounds } from "./_bootstrap.ts";

/**
 * One model's questions, interleaved: per question, turn-1 sum, turn-1 count,
 * turn-2 sum, turn-2 count, total sum, total count of its kept scores.
 */
export type ClusterSums = Float64Array;

/** Numbers stored per question in {@linkcode ClusterSums}. */
export const STRIDE = 6;

/** Lower and upper bounds; NaN when no resample gave a value. */
export interface Bounds {
  lower: number;
  upper: number;
}

/** Models resampled together (bounds the memory of their resampled sums, keeps them in cache). */
const MODEL_BLOCK = 32;
/** Resample weights held at once, rounds × questions (bounds memory, keeps data in cache). */
const WEIGHT_BLOCK = 1 << 18;
/** Bits of a double's mantissa that hold integers exactly. */
const EXACT_BITS = 52;

/**
 * Bounds of the turn-1, turn-2 and total means of each model, in that order.
 * A resample where a mean has no score (0 / 0) is skipped for that mean.
 */
export function clusterMeanBounds(
  models: readonly ClusterSums[],
  settings: BootstrapSettings,
): [Bounds, Bounds, Bounds][] {
  const result: [Bounds, Bounds, Bounds][] = new Array(models.length);
  const groups = new Map<number, number[]>();
  models.forEach((model, index) => {
    const size = model.length / STRIDE;
    const group = groups.get(size);
    if (group === undefined) groups.set(size, [index]);
    else group.push(index);
  });
  const rounds = settings.rounds;
  for (const [size, members] of groups) {
    const roundsPerBlock = Math.max(1, Math.min(rounds, Math.floor(WEIGHT_BLOCK / size)));
    const weights = new Uint32Array(roundsPerBlock * size);
    for (let start = 0; start < members.length; start += MODEL_BLOCK) {
      const block = members.slice(start, start + MODEL_BLOCK).map((member) => models[member]!);
      const packing = pack(block, size);
      // columnSums[column * roundsPerBlock + round], columns numbered across the block
      const columnSums = new Float64Array(packing.columnCount * roundsPerBlock);
      // means[(member * 3 + statistic) * rounds + round]
      const means = new Float64Array(block.length * 3 * rounds);
      // Every block restarts the generator, so each model sees the same draws;
      // when one weight block holds all rounds it is drawn once for the group.
      const draws = new SeededDraws(settings.seed);
      for (let first = 0; first < rounds; first += roundsPerBlock) {
        const count = Math.min(roundsPerBlock, rounds - first);
        if (start === 0 || count < rounds) {
          weights.fill(0);
          for (let round = 0; round < count; round++) {
            draws.count(weights, size, size, undefined, round * size);
          }
        }
        sumColumns(packing, weights, count, size, columnSums, roundsPerBlock);
        block.forEach((_, member) => {
          const at = member * 3 * rounds + first;
          writeMeans(
            packing.layouts[member]!,
            columnSums,
            roundsPerBlock,
            count,
            size,
            means,
            at,
            rounds,
          );
        });
      }
      block.forEach((_, member) => {
        const bounds = [0, 1, 2].map((statistic) => {
          const from = (member * 3 + statistic) * rounds;
          return percentileBounds(means.subarray(from, from + rounds), settings.confidence);
        });
        result[members[start + member]!] = bounds as [Bounds, Bounds, Bounds];
      });
    }
  }
  return result;
}

/**
 * Which of a model's six columns vary. "paired": every question has exactly
 * one turn-1 and one turn-2 score and nothing else, so only the two turn sums
 * vary (each count is the number of draws); "turns": no other turn has
 * scores, so the totals are the turn columns added (4 columns); "all": the 6.
 */
interface Layout {
  kind: "paired" | "turns" | "all";
  /** Columns kept, as offsets into the interleaved sums. */
  offsets: number[];
  /** Index of the model's first column among the block's columns. */
  first: number;
  /** Factor that made the kept columns integers for packing; 0 when they are not packed. */
  scale: number;
}

/** A block's columns laid out as words: packed bit fields, or one plain column each. */
interface Packing {
  layouts: Layout[];
  columnCount: number;
  /** One value per question each. */
  words: Float64Array[];
  /** Per word, the block columns of its fields, lowest field first. */
  wordColumns: number[][];
  /** Per word, bits per field; 0 for a plain (unpacked) column. */
  wordBits: number[];
}

function layoutOf(sums: ClusterSums, first: number): Layout {
  let turnsOnly = true;
  let paired = true;
  for (let at = 0; at < sums.length; at += STRIDE) {
    const count1 = sums[at + 1]!;
    const count2 = sums[at + 3]!;
    if (sums[at + 5]! !== count1 + count2) turnsOnly = false;
    if (count1 !== 1 || count2 !== 1) paired = false;
  }
  const kind = !turnsOnly ? "all" : paired ? "paired" : "turns";
  const offsets = kind === "paired" ? [0, 2] : kind === "turns" ? [0, 1, 2, 3] : [0, 1, 2, 3, 4, 5];
  // Packing needs non-negative integers, after scaling by 1 or 2.
  const scale = [1, 2].find((factor) => {
    for (let at = 0; at < sums.length; at += STRIDE) {
      for (const offset of offsets) {
        const value = sums[at + offset]! * factor;
        if (!(value >= 0 && Number.isInteger(value))) return false;
      }
    }
    return true;
  }) ?? 0;
  return { kind, offsets, first, scale };
}

function pack(block: readonly ClusterSums[], size: number): Packing {
  const layouts: Layout[] = [];
  let columnCount = 0;
  for (const sums of block) {
    const layout = layoutOf(sums, columnCount);
    layouts.push(layout);
    columnCount += layout.offsets.length;
  }
  // A field must hold the largest resampled sum: size × the largest value (the weights add up to size).
  let largest = 0;
  block.forEach((sums, member) => {
    const { offsets, scale } = layouts[member]!;
    if (scale === 0) return;
    for (let at = 0; at < sums.length; at += STRIDE) {
      for (const offset of offsets) largest = Math.max(largest, sums[at + offset]! * scale);
    }
  });
  const bits = Math.max(1, Math.ceil(Math.log2(size * largest + 1)));
  const perWord = Math.floor(EXACT_BITS / bits);

  const words: Float64Array[] = [];
  const wordColumns: number[][] = [];
  const wordBits: number[] = [];
  let open: { word: Float64Array; columns: number[] } | undefined;
  block.forEach((sums, member) => {
    const { offsets, scale, first } = layouts[member]!;
    offsets.forEach((offset, index) => {
      const column = first + index;
      if (scale === 0 || perWord < 2) {
        const word = new Float64Array(size);
        for (let question = 0; question < size; question++) {
          word[question] = sums[question * STRIDE + offset]!;
        }
        words.push(word);
        wordColumns.push([column]);
        wordBits.push(0);
        return;
      }
      if (open === undefined || open.columns.length === perWord) {
        open = { word: new Float64Array(size), columns: [] };
        words.push(open.word);
        wordColumns.push(open.columns);
        wordBits.push(bits);
      }
      const shift = 2 ** (bits * open.columns.length);
      for (let question = 0; question < size; question++) {
        open.word[question]! += sums[question * STRIDE + offset]! * scale * shift;
      }
      open.columns.push(column);
    });
  });
  return { layouts, columnCount, words, wordColumns, wordBits };
}

/**
 * Resampled sums of every column of the block for `count` rounds (weights in
 * consecutive rows), unscaled, at out[column * stride + round].
 */
function sumColumns(
  packing: Packing,
  weights: Uint32Array,
  count: number,
  size: number,
  out: Float64Array,
  stride: number,
): void {
  const scaleOf = new Float64Array(packing.columnCount).fill(1);
  for (const layout of packing.layouts) {
    for (let index = 0; index < layout.offsets.length; index++) {
      scaleOf[layout.first + index] = layout.scale || 1;
    }
  }
  const { words, wordColumns, wordBits } = packing;
  // A resample draws about 63% of the questions: list them once per round with
  // their counts, and reuse the list for every word while it is in cache.
  const drawn = new Int32Array(size);
  const times = new Float64Array(size);
  for (let round = 0; round < count; round++) {
    const from = round * size;
    let distinct = 0;
    for (let question = 0; question < size; question++) {
      const weight = weights[from + question]!;
      if (weight === 0) continue;
      drawn[distinct] = question;
      times[distinct++] = weight;
    }
    for (let index = 0; index < words.length; index++) {
      const columns = wordColumns[index]!;
      const bits = wordBits[index]!;
      let sum = sparseDot(drawn, times, distinct, words[index]!);
      if (bits === 0) {
        out[columns[0]! * stride + round] = sum;
        continue;
      }
      // Unpack the fields, lowest first; every value is an exact integer.
      const fieldBase = 2 ** bits;
      for (let field = 0; field < columns.length; field++) {
        const high = Math.floor(sum / fieldBase); // exact: a power-of-two divisor
        const column = columns[field]!;
        out[column * stride + round] = (sum - high * fieldBase) / scaleOf[column]!;
        sum = high;
      }
    }
  }
}

/** Writes one model's three means of `count` rounds at out[at + round], then + stride, + 2 × stride. */
function writeMeans(
  layout: Layout,
  columnSums: Float64Array,
  columnStride: number,
  count: number,
  size: number,
  out: Float64Array,
  at: number,
  stride: number,
): void {
  // Row offsets of the model's columns in columnSums.
  const base = layout.first * columnStride;
  const paired = layout.kind === "paired";
  const sum1At = base;
  const count1At = base + columnStride;
  const sum2At = base + (paired ? 1 : 2) * columnStride;
  const count2At = base + 3 * columnStride;
  const sumAt = base + 4 * columnStride;
  const totalAt = base + 5 * columnStride;
  for (let round = 0; round < count; round++) {
    const sum1 = columnSums[sum1At + round]!;
    const sum2 = columnSums[sum2At + round]!;
    const count1 = paired ? size : columnSums[count1At + round]!;
    const count2 = paired ? size : columnSums[count2At + round]!;
    let sum = sum1 + sum2;
    let total = count1 + count2;
    if (layout.kind === "all") {
      sum = columnSums[sumAt + round]!;
      total = columnSums[totalAt + round]!;
    }
    out[at + round] = count1 > 0 ? sum1 / count1 : NaN;
    out[at + stride + round] = count2 > 0 ? sum2 / count2 : NaN;
    out[at + 2 * stride + round] = total > 0 ? sum / total : NaN;
  }
}

/**
 * Sum of times[k] × values[drawn[k]] over k < count, with four running sums so
 * that the additions do not wait on each other.
 */
function sparseDot(
  drawn: Int32Array,
  times: Float64Array,
  count: number,
  values: Float64Array,
): number {
  let sum0 = 0, sum1 = 0, sum2 = 0, sum3 = 0;
  let index = 0;
  for (; index + 3 < count; index += 4) {
    sum0 += times[index]! * values[drawn[index]!]!;
    sum1 += times[index + 1]! * values[drawn[index + 1]!]!;
    sum2 += times[index + 2]! * values[drawn[index + 2]!]!;
    sum3 += times[index + 3]! * values[drawn[index + 3]!]!;
  }
  for (; index < count; index++) sum0 += times[index]! * values[drawn[index]!]!;
  return (sum0 + sum1) + (sum2 + sum3);
}
