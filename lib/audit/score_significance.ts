import type { SingleJudgment } from "../data/types.ts";
import { bootstrapInterval } from "../stats/bootstrap.ts";

/** A model's place in the single-grade ranking. */
export interface RankedModel {
  /** The model. */
  model: string;
  /** Mean score over the questions and turns graded. */
  mean: number;
  /** Grades. */
  grades: number;
  /** Difference to the next model down the ranking; NaN for the last. */
  gapToNext: number;
  /** Bootstrap interval of that difference (questions resampled, paired); null for the last. */
  gapInterval: { lower: number; upper: number } | null;
  /** Whether the interval excludes 0: this run can tell the model from the next one. */
  significant: boolean;
}

/** What {@linkcode scoreSignificance} returns. */
export interface ScoreSignificance {
  /** Models, best first. */
  ranking: RankedModel[];
  /**
   * The smallest difference of mean scores this run can call significant:
   * the median half-width of the neighbours' difference intervals (a gap
   * larger than this usually excludes 0). NaN with fewer than two models.
   */
  minimumSignificantDifference: number;
  /** Questions resampled. */
  questions: number;
}

/** Options for {@linkcode scoreSignificance}. */
export interface ScoreSignificanceOptions {
  /**
   * Bootstrap rounds.
   * @default {1000}
   */
  rounds?: number;
  /**
   * Bootstrap seed.
   * @default {0}
   */
  seed?: number;
}

/**
 * Which differences in a single-grade ranking this run can resolve: each
 * model's mean score, and for each pair of neighbours in the ranking a
 * bootstrap interval of the difference of their means, resampling questions
 * (the same resample for both models, as they answered the same questions).
 * Neighbours whose interval excludes 0 are marked significant; the median
 * half-width of those intervals is the smallest difference the run can call
 * significant. Failed grades are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scoreSignificance } from "./score_significance.ts";
 * const judge: [string, string] = ["j", "single-v1"];
 * const grades = [81, 82, 83, 84, 85, 86].flatMap((question_id) => [
 *   { question_id, model: "good", judge, score: 9, turn: 1 },
 *   { question_id, model: "bad", judge, score: 2 + (question_id % 2), turn: 1 },
 * ]);
 * const result = scoreSignificance(grades, { rounds: 200 });
 * assert.equal(result.ranking[0]!.model, "good");
 * assert.ok(result.ranking[0]!.significant);
 * ```
 */
export function scoreSignificance(
  records: readonly SingleJudgment[],
  options: ScoreSignificanceOptions = {},
): ScoreSignificance {
  const questionIndex = new Map<string, number>();
  const byModel = new Map<string, { sums: number[]; counts: number[] }>();
  for (const record of records) {
    if (record.score === -1 || typeof record.error === "string") continue;
    const question = String(record.question_id);
    let index = questionIndex.get(question);
    if (index === undefined) questionIndex.set(question, index = questionIndex.size);
    let entry = byModel.get(record.model);
    if (entry === undefined) byModel.set(record.model, entry = { sums: [], counts: [] });
    entry.sums[index] = (entry.sums[index] ?? 0) + record.score;
    entry.counts[index] = (entry.counts[index] ?? 0) + 1;
  }
  const size = questionIndex.size;
  const meanOf = (model: string, weights: Uint32Array | undefined) => {
    const entry = byModel.get(model)!;
    let sum = 0, count = 0;
    for (let index = 0; index < size; index++) {
      const weight = weights === undefined ? 1 : weights[index]!;
      if (weight === 0 || entry.counts[index] === undefined) continue;
      sum += weight * entry.sums[index]!;
      count += weight * entry.counts[index]!;
    }
    return count === 0 ? NaN : sum / count;
  };
  const models = [...byModel.keys()].map((model) => ({
    model,
    mean: meanOf(model, undefined),
    grades: byModel.get(model)!.counts.reduce((sum, count) => sum + (count ?? 0), 0),
  })).sort((a, b) => b.mean - a.mean || (a.model < b.model ? -1 : 1));
  const rounds = options.rounds ?? 1000;
  const halfWidths: number[] = [];
  const ranking = models.map((entry, index): RankedModel => {
    const next = models[index + 1];
    if (next === undefined) {
      return { ...entry, gapToNext: NaN, gapInterval: null, significant: false };
    }
    const gap = entry.mean - next.mean;
    let gapInterval: RankedModel["gapInterval"] = null;
    if (rounds > 0 && size > 1) {
      const interval = bootstrapInterval(
        size,
        (weights) => meanOf(entry.model, weights) - meanOf(next.model, weights),
        { rounds, seed: options.seed ?? 0 },
      );
      if (!Number.isNaN(interval.lower)) {
        gapInterval = { lower: interval.lower, upper: interval.upper };
        halfWidths.push((interval.upper - interval.lower) / 2);
      }
    }
    return {
      ...entry,
      gapToNext: gap,
      gapInterval,
      significant: gapInterval !== null && (gapInterval.lower > 0 || gapInterval.upper < 0),
    };
  });
  halfWidths.sort((a, b) => a - b);
  const middle = halfWidths.length / 2;
  const median = halfWidths.length === 0
    ? NaN
    : halfWidths.length % 2 === 1
    ? halfWidths[Math.floor(middle)]!
    : (halfWidths[middle - 1]! + halfWidths[middle]!) / 2;
  return { ranking, minimumSignificantDifference: median, questions: size };
}
