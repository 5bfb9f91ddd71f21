import type { PairJudgment } from "../data/types.ts";

/** Position and tie figures of a judge's pairwise records. */
export interface PositionBias {
  /** Records read. */
  matches: number;
  /** Matches whose two games both gave a verdict (no error). */
  judgedMatches: number;
  /** Of those, matches whose two orders agree (`g1_winner === g2_winner`). */
  consistent: number;
  /** `consistent / judgedMatches`: position consistency; NaN without a judged match. */
  consistency: number;
  /** `1 - consistency`: share of judged matches whose verdict flips with the order. */
  inconsistencyRate: number;
  /** Games (two per match) with a verdict. */
  games: number;
  /** Games won by one answer (no tie). */
  decidedGames: number;
  /** Decided games won by the answer shown first (Assistant A). */
  firstPositionWins: number;
  /** `firstPositionWins / decidedGames`: 0.5 is no preference; NaN without a decided game. */
  firstPositionPreference: number;
  /** Games whose verdict is a tie. */
  tieGames: number;
  /** `tieGames / games`. */
  tieRate: number;
  /** Judged matches whose final vote is a tie: both orders say tie, or they disagree. */
  finalTies: number;
  /** `finalTies / judgedMatches`. */
  finalTieRate: number;
}

/**
 * Position bias of a pairwise judge, from its records (FastChat's
 * `*_pair.jsonl`: game 1 shows `model_1` first, game 2 shows `model_2`
 * first, and both winners name models). As in the MT-Bench paper, a judge
 * is consistent on a match when both orders give the same verdict; its
 * first-position preference is the share of decided games won by the answer
 * shown first. Failed games (winner `error`) are left out.
 *
 * @example A judge that always answers "[[A]]"
 * ```ts
 * import assert from "node:assert/strict";
 * import { positionBias } from "./position_bias.ts";
 * const bias = positionBias([{
 *   question_id: 81, model_1: "a", model_2: "b", judge: ["j", "pair-v2"], turn: 1,
 *   g1_winner: "model_1", g2_winner: "model_2",
 * }]);
 * assert.equal(bias.consistency, 0);
 * assert.equal(bias.firstPositionPreference, 1);
 * assert.equal(bias.finalTieRate, 1);
 * ```
 */
export function positionBias(records: readonly PairJudgment[]): PositionBias {
  let judgedMatches = 0, consistent = 0, games = 0, decidedGames = 0, firstPositionWins = 0;
  let tieGames = 0, finalTies = 0;
  for (const record of records) {
    const g1 = record.g1_winner, g2 = record.g2_winner;
    for (const [winner, first] of [[g1, "model_1"], [g2, "model_2"]] as const) {
      if (winner === "error") continue;
      games++;
      if (winner === "tie") tieGames++;
      else {
        decidedGames++;
        if (winner === first) firstPositionWins++;
      }
    }
    if (g1 === "error" || g2 === "error") continue;
    judgedMatches++;
    if (g1 === g2) consistent++;
    if (g1 !== g2 || g1 === "tie") finalTies++;
  }
  const consistency = judgedMatches === 0 ? NaN : consistent / judgedMatches;
  return {
    matches: records.length,
    judgedMatches,
    consistent,
    consistency,
    inconsistencyRate: 1 - consistency,
    games,
    decidedGames,
    firstPositionWins,
    firstPositionPreference: decidedGames === 0 ? NaN : firstPositionWins / decidedGames,
    tieGames,
    tieRate: games === 0 ? NaN : tieGames / games,
    finalTies,
    finalTieRate: judgedMatches === 0 ? NaN : finalTies / judgedMatches,
  };
}
