import type { Judgment, PairJudgment, SingleJudgment } from "../data/types.ts";
import { isPairJudgment } from "../data/types.ts";
import { bootstrapInterval } from "../stats/bootstrap.ts";
import type { AnswerLength } from "./answer_lengths.ts";

/** Verbosity bias of a judge. */
export interface LengthBias {
  /** Pairwise: decided games (no tie, no error) whose two answers differ in length. */
  decidedGames: number;
  /** Of those, games won by the longer answer. */
  longerWins: number;
  /** `longerWins / decidedGames`: 0.5 is no verbosity bias; NaN without games. */
  longerWinRate: number;
  /** Single: grades with a known answer length. */
  grades: number;
  /** Least-squares slope of score on answer length, in points per 1,000 characters; NaN without grades. */
  slopePer1000: number;
  /** Bootstrap interval of the slope (questions resampled); null without one. */
  slopeInterval: { lower: number; upper: number } | null;
  /** Pearson correlation of score and length. */
  correlation: number;
  /** Records whose answer lengths were not known (no answer file). */
  unknownLength: number;
}

/** Options for {@linkcode lengthBias}. */
export interface LengthBiasOptions {
  /**
   * Bootstrap rounds for the slope interval; 0 for none.
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
 * Verbosity bias, as in the MT-Bench paper: for pairwise records, the win
 * rate of the longer answer among decided games (each order counts as a
 * game); for single grades, the slope of score against answer length with a
 * bootstrap interval that resamples questions. Lengths are those of the
 * judged turn's reply (see `answerLengths`).
 *
 * @example A judge that always prefers the longer answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { lengthBias } from "./length_bias.ts";
 * const lengthOf = (_q: number | string, model: string) => model === "long" ? 900 : 100;
 * const bias = lengthBias([{
 *   question_id: 81, model_1: "short", model_2: "long", judge: ["j", "pair-v2"], turn: 1,
 *   g1_winner: "model_2", g2_winner: "model_2",
 * }], lengthOf);
 * assert.equal(bias.longerWinRate, 1);
 * assert.equal(bias.decidedGames, 2);
 * ```
 */
export function lengthBias(
  records: readonly Judgment[],
  lengthOf: AnswerLength,
  options: LengthBiasOptions = {},
): LengthBias {
  let decidedGames = 0, longerWins = 0, unknownLength = 0;
  const points: { question: string; length: number; score: number }[] = [];
  for (const record of records) {
    if (isPairJudgment(record)) {
      const pair = record as PairJudgment;
      const length1 = lengthOf(pair.question_id, pair.model_1, pair.turn);
      const length2 = lengthOf(pair.question_id, pair.model_2, pair.turn);
      if (length1 === undefined || length2 === undefined) {
        unknownLength++;
        continue;
      }
      if (length1 === length2) continue;
      const longer = length1 > length2 ? "model_1" : "model_2";
      for (const winner of [pair.g1_winner, pair.g2_winner]) {
        if (winner === "tie" || winner === "error") continue;
        decidedGames++;
        if (winner === longer) longerWins++;
      }
    } else {
      const single = record as SingleJudgment;
      if (single.score === -1 || typeof single.error === "string") continue;
      const length = lengthOf(single.question_id, single.model, single.turn);
      if (length === undefined) {
        unknownLength++;
        continue;
      }
      points.push({ question: String(single.question_id), length, score: single.score });
    }
  }
  const questions = [...new Set(points.map((point) => point.question))];
  const questionIndex = new Map(questions.map((question, index) => [question, index]));
  const unit = Int32Array.from(points, (point) => questionIndex.get(point.question)!);
  const fit = (weights: Uint32Array | undefined) => {
    let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
    for (let index = 0; index < points.length; index++) {
      const weight = weights === undefined ? 1 : weights[unit[index]!]!;
      if (weight === 0) continue;
      const x = points[index]!.length / 1000, y = points[index]!.score;
      n += weight;
      sx += weight * x;
      sy += weight * y;
      sxx += weight * x * x;
      sxy += weight * x * y;
      syy += weight * y * y;
    }
    const vx = sxx - (sx * sx) / n, vy = syy - (sy * sy) / n, cxy = sxy - (sx * sy) / n;
    return { slope: n < 2 || vx <= 0 ? NaN : cxy / vx, correlation: cxy / Math.sqrt(vx * vy) };
  };
  const overall = fit(undefined);
  const rounds = options.rounds ?? 1000;
  let slopeInterval: LengthBias["slopeInterval"] = null;
  if (rounds > 0 && questions.length > 1 && !Number.isNaN(overall.slope)) {
    const interval = bootstrapInterval(questions.length, (weights) => fit(weights).slope, {
      rounds,
      seed: options.seed ?? 0,
    });
    if (!Number.isNaN(interval.lower)) {
      slopeInterval = { lower: interval.lower, upper: interval.upper };
    }
  }
  return {
    decidedGames,
    longerWins,
    longerWinRate: decidedGames === 0 ? NaN : longerWins / decidedGames,
    grades: points.length,
    slopePer1000: overall.slope,
    slopeInterval,
    correlation: points.length < 2 ? NaN : overall.correlation,
    unknownLength,
  };
}
