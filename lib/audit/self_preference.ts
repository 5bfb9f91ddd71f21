import type { HumanVote, Judgment, PairJudgment, SingleJudgment } from "../data/types.ts";
import { isPairJudgment } from "../data/types.ts";
import { pairJudgmentVote } from "../agree/pair_judgment_vote.ts";
import { judgeGroup } from "../agree/judge_group.ts";

/** Self-preference of a judge for models of its own family. */
export interface SelfPreference {
  /** Family names matched (a model is in the family when its name contains one). */
  family: string[];
  /** Models of the family found in the records. */
  familyModels: string[];
  /** Pairwise: judged matches between a family model and another model. */
  matches: number;
  /** The family's win rate in those matches (a tie counts half); NaN without one. */
  familyWinRate: number;
  /** The experts' win rate for the family on the same items, when votes were given. */
  referenceWinRate: number;
  /** Expert votes used for the reference. */
  referenceVotes: number;
  /** `familyWinRate - referenceWinRate`: the paper's self-enhancement figure; NaN without a reference. */
  winRateGap: number;
  /** Single: mean score of the family's answers. */
  familyMeanScore: number;
  /** Single: mean score of the other answers. */
  otherMeanScore: number;
  /** `familyMeanScore - otherMeanScore` (mixes quality and bias: compare judges). */
  scoreGap: number;
}

/** Options for {@linkcode selfPreference}. */
export interface SelfPreferenceOptions {
  /**
   * Expert votes on the same items (`mt_bench_human`), for the reference win rate.
   * @default {[]}
   */
  referenceVotes?: readonly HumanVote[];
}

/**
 * How much a judge favours models of its own family. Pairwise: the family's
 * win rate in matches against other models, next to the experts' win rate
 * for the family on the same (question, pair, turn) when expert votes are
 * given (GPT-4's gap in the MT-Bench paper is about +10%). Single: the
 * family's mean score minus the others' (this gap also holds the quality
 * difference; compare it across judges).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selfPreference } from "./self_preference.ts";
 * const judge: [string, string] = ["gpt-4", "pair-v2"];
 * const preference = selfPreference([
 *   { question_id: 81, model_1: "gpt-4", model_2: "llama-13b", g1_winner: "model_1", g2_winner: "model_1", judge, turn: 1 },
 * ], ["gpt"], {
 *   referenceVotes: [{ question_id: 81, model_a: "gpt-4", model_b: "llama-13b", winner: "tie", judge: "expert_0", turn: 1 }],
 * });
 * assert.equal(preference.familyWinRate, 1);
 * assert.equal(preference.referenceWinRate, 0.5);
 * assert.equal(preference.winRateGap, 0.5);
 * ```
 */
export function selfPreference(
  records: readonly Judgment[],
  family: readonly string[],
  options: SelfPreferenceOptions = {},
): SelfPreference {
  const names = family.map((name) => name.toLowerCase()).filter((name) => name.length > 0);
  const isFamily = (model: string) => names.some((name) => model.toLowerCase().includes(name));
  const familyModels = new Set<string>();
  let matches = 0, wins = 0;
  let familySum = 0, familyCount = 0, otherSum = 0, otherCount = 0;
  const items = new Set<string>();
  const key = (turn: number, question: number | string, a: string, b: string) =>
    `${turn}|${question}|${a < b ? a : b}|${a < b ? b : a}`;
  for (const record of records) {
    if (isPairJudgment(record)) {
      const pair = record as PairJudgment;
      const first = isFamily(pair.model_1), second = isFamily(pair.model_2);
      if (first) familyModels.add(pair.model_1);
      if (second) familyModels.add(pair.model_2);
      if (first === second) continue;
      const vote = pairJudgmentVote(pair);
      if (vote === undefined) continue;
      matches++;
      items.add(key(pair.turn, pair.question_id, pair.model_1, pair.model_2));
      const familyWinner = first ? "model_a" : "model_b";
      wins += vote.winner === familyWinner ? 1 : vote.winner.includes("tie") ? 0.5 : 0;
    } else {
      const single = record as SingleJudgment;
      if (single.score === -1 || typeof single.error === "string") continue;
      if (isFamily(single.model)) {
        familyModels.add(single.model);
        familySum += single.score;
        familyCount++;
      } else {
        otherSum += single.score;
        otherCount++;
      }
    }
  }
  let referenceWins = 0, referenceVotes = 0;
  for (const vote of options.referenceVotes ?? []) {
    if (judgeGroup(vote.judge) !== "human") continue;
    if (!items.has(key(vote.turn, vote.question_id, vote.model_a, vote.model_b))) continue;
    const first = isFamily(vote.model_a), second = isFamily(vote.model_b);
    if (first === second) continue;
    referenceVotes++;
    const familyWinner = first ? "model_a" : "model_b";
    referenceWins += vote.winner === familyWinner ? 1 : vote.winner.includes("tie") ? 0.5 : 0;
  }
  const familyWinRate = matches === 0 ? NaN : wins / matches;
  const referenceWinRate = referenceVotes === 0 ? NaN : referenceWins / referenceVotes;
  const familyMeanScore = familyCount === 0 ? NaN : familySum / familyCount;
  const otherMeanScore = otherCount === 0 ? NaN : otherSum / otherCount;
  return {
    family: names,
    familyModels: [...familyModels].sort(),
    matches,
    familyWinRate,
    referenceWinRate,
    referenceVotes,
    winRateGap: familyWinRate - referenceWinRate,
    familyMeanScore,
    otherMeanScore,
    scoreGap: familyMeanScore - otherMeanScore,
  };
}
