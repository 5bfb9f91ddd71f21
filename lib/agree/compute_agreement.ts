import type { QuestionId } from "../data/types.ts";
import { ratioIntervals } from "./_ratio_bootstrap.ts";
import { cohenKappa } from "./cohen_kappa.ts";
import type { VoteTally } from "./vote_tally.ts";

/** Options for {@linkcode computeAgreement}. */
export interface AgreementOptions {
  /**
   * Bootstrap rounds for the interval of each ratio; 0 computes no interval.
   * @default {1000}
   */
  rounds?: number;
  /**
   * Seed of the bootstrap generator.
   * @default {0}
   */
  seed?: number;
  /**
   * Confidence level of the interval.
   * @default {0.95}
   */
  confidence?: number;
  /**
   * Only count keys of these questions (e.g. one category).
   * @default {undefined} (all questions)
   */
  questionIds?: ReadonlySet<QuestionId>;
}

/** Agreement over one set of vote pairs. */
export interface AgreementStat {
  /** Pairs whose two votes are equal (both ties, or the same winner). */
  agree: number;
  /** Pairs compared. */
  total: number;
  /** `agree / total`; NaN when no pair. */
  ratio: number;
  /** Cohen's kappa on the same pairs (Scott's pi for a judge with itself); NaN when undefined. */
  kappa: number;
  /** Bootstrap interval of `ratio`, questions resampled; null when disabled or undefined. */
  interval: { lower: number; upper: number } | null;
}

/** Agreement on one turn, FastChat's two setups. */
export interface TurnAgreement {
  /** Turn number (1 or 2). */
  turn: number;
  /** Setup S1: every vote, ties included (3 categories). */
  withTie: AgreementStat;
  /** Setup S2: pairs where neither vote is a tie are kept (2 categories). */
  withoutTie: AgreementStat;
  /** Keys (question, model pair) that gave at least one pair. */
  keys: number;
  /** Questions that gave at least one pair: the bootstrap's units. */
  questions: number;
}

/** What {@linkcode computeAgreement} returns. */
export interface AgreementResult {
  /** The two judges compared, as named in the tally. */
  judges: [string, string];
  /** One entry per turn that has votes, in turn order. */
  turns: TurnAgreement[];
  /** How the intervals were computed; null without bootstrap. */
  bootstrap: { rounds: number; seed: number; confidence: number; unit: "question" } | null;
  /** Votes counted for each judge. */
  votes: [number, number];
  /** Votes seen whose judge was neither of the two. */
  ignored: number;
}

interface TurnSums {
  agree1: Float64Array;
  total1: Float64Array;
  agree2: Float64Array;
  total2: Float64Array;
  confusion3: number[][];
  confusion2: number[][];
  keys: number;
}

/**
 * Agreement between the two judges of a tally, per turn, as FastChat's
 * `compute_agreement.get_mt_bench_agreement`, generalized to any two judges:
 *
 * - two different judges: on each key where both voted, every vote of the first
 *   is paired with every vote of the second;
 * - one judge with itself (e.g. human vs human): every pair i < j of its votes
 *   on each key.
 *
 * A pair agrees when both votes are ties or both name the same winner. S1 counts
 * every pair; S2 ("without tie") skips a pair when either vote is a tie. Beyond
 * FastChat, each setup gets Cohen's kappa on the same pairs (categories: first
 * model wins, second wins, tie) and a percentile bootstrap interval of the ratio
 * that resamples questions as clusters: votes on one question share its
 * difficulty and its answers, so they are not independent, and resampling whole
 * questions keeps that dependence in the interval.
 *
 * @example Two judges agree on one of two keys
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeAgreement, VoteTally } from "./mod.ts";
 * const tally = new VoteTally(["gpt4-pair", "human"]);
 * const vote = (q: number, winner: string, judge: string) =>
 *   tally.addHumanVote({ question_id: q, model_a: "a", model_b: "b", winner, judge, turn: 1 });
 * vote(81, "model_a", "gpt4_pair");
 * vote(81, "model_a", "expert_0");
 * vote(82, "tie", "gpt4_pair");
 * vote(82, "model_b", "expert_0");
 * const [turn1] = computeAgreement(tally, { rounds: 0 }).turns;
 * assert.equal(turn1!.withTie.agree, 1);
 * assert.equal(turn1!.withTie.total, 2);
 * assert.equal(turn1!.withoutTie.agree, 1);
 * assert.equal(turn1!.withoutTie.total, 1);
 * ```
 */
export function computeAgreement(
  tally: VoteTally,
  options: AgreementOptions = {},
): AgreementResult {
  const rounds = options.rounds ?? 1000;
  const seed = options.seed ?? 0;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(rounds) || rounds < 0) {
    throw new RangeError(
      `Cannot compute agreement: rounds must be a whole number, got ${rounds}`,
    );
  }
  tally.checkOneVotePerKey();
  const table = tally.table();
  const questionCount = table.questionIds.length;
  let include: Uint8Array | undefined;
  if (options.questionIds !== undefined) {
    include = new Uint8Array(questionCount);
    for (let index = 0; index < questionCount; index++) {
      if (options.questionIds.has(table.questionIds[index]!)) include[index] = 1;
    }
  }
  const byTurn = new Map<number, TurnSums>();
  const counts = table.counts;
  const same = tally.sameJudge;
  for (let slot = 0; slot < table.size; slot++) {
    const turn = table.turns[slot]!;
    let sums = byTurn.get(turn);
    if (sums === undefined) {
      sums = {
        agree1: new Float64Array(questionCount),
        total1: new Float64Array(questionCount),
        agree2: new Float64Array(questionCount),
        total2: new Float64Array(questionCount),
        confusion3: [[0, 0, 0], [0, 0, 0], [0, 0, 0]],
        confusion2: [[0, 0], [0, 0]],
        keys: 0,
      };
      byTurn.set(turn, sums);
    }
    const question = table.questions[slot]!;
    if (include !== undefined && include[question] === 0) continue;
    const base = slot * 6;
    const a0 = counts[base]!, a1 = counts[base + 1]!, a2 = counts[base + 2]!;
    let agree1: number, total1: number, agree2: number, total2: number;
    if (same) {
      const n = a0 + a1 + a2;
      if (n < 2) continue;
      const m = a0 + a1;
      total1 = (n * (n - 1)) / 2;
      agree1 = (a0 * (a0 - 1) + a1 * (a1 - 1) + a2 * (a2 - 1)) / 2;
      total2 = (m * (m - 1)) / 2;
      agree2 = (a0 * (a0 - 1) + a1 * (a1 - 1)) / 2;
      const c3 = sums.confusion3, c2 = sums.confusion2;
      const own = [a0, a1, a2];
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const cell = i === j ? (own[i]! * (own[i]! - 1)) / 2 : (own[i]! * own[j]!) / 2;
          c3[i]![j]! += cell;
          if (i < 2 && j < 2) c2[i]![j]! += cell;
        }
      }
    } else {
      const b0 = counts[base + 3]!, b1 = counts[base + 4]!, b2 = counts[base + 5]!;
      const n1 = a0 + a1 + a2, n2 = b0 + b1 + b2;
      if (n1 === 0 || n2 === 0) continue;
      total1 = n1 * n2;
      agree1 = a0 * b0 + a1 * b1 + a2 * b2;
      total2 = (a0 + a1) * (b0 + b1);
      agree2 = a0 * b0 + a1 * b1;
      const first = [a0, a1, a2], second = [b0, b1, b2];
      const c3 = sums.confusion3, c2 = sums.confusion2;
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          const cell = first[i]! * second[j]!;
          c3[i]![j]! += cell;
          if (i < 2 && j < 2) c2[i]![j]! += cell;
        }
      }
    }
    sums.agree1[question]! += agree1;
    sums.total1[question]! += total1;
    sums.agree2[question]! += agree2;
    sums.total2[question]! += total2;
    sums.keys++;
  }
  const turns = [...byTurn.keys()].sort((a, b) => a - b).map((turn): TurnAgreement => {
    const sums = byTurn.get(turn)!;
    const units: number[] = [];
    for (let question = 0; question < questionCount; question++) {
      if (sums.total1[question]! > 0) units.push(question);
    }
    const pick = (by: Float64Array) => Float64Array.from(units, (question) => by[question]!);
    const series = [
      { agree: pick(sums.agree1), total: pick(sums.total1) },
      { agree: pick(sums.agree2), total: pick(sums.total2) },
    ];
    const stats = series.map(({ agree: agreeUnits, total: totalUnits }) => {
      let agree = 0, total = 0;
      for (let index = 0; index < units.length; index++) {
        agree += agreeUnits[index]!;
        total += totalUnits[index]!;
      }
      return { agree, total, ratio: total === 0 ? NaN : agree / total };
    });
    // Both setups resample the same questions with the same seed: one pass serves both.
    const intervals = rounds > 0
      ? ratioIntervals(series, { rounds, seed, confidence })
      : [null, null];
    const stat = (index: number, confusion: number[][]): AgreementStat => ({
      ...stats[index]!,
      kappa: cohenKappa(confusion),
      interval: stats[index]!.total > 0 ? intervals[index]! : null,
    });
    return {
      turn,
      withTie: stat(0, sums.confusion3),
      withoutTie: stat(1, sums.confusion2),
      keys: sums.keys,
      questions: units.length,
    };
  });
  return {
    judges: [tally.judges[0], tally.judges[1]],
    turns,
    bootstrap: rounds > 0 ? { rounds, seed, confidence, unit: "question" } : null,
    votes: [tally.counted[0], tally.counted[1]],
    ignored: tally.ignored,
  };
}
