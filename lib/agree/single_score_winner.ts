/** Score margin within which two single grades count as a tie (FastChat's `TIE_DELTA`). */
const TIE_DELTA = 0.1;

/**
 * The pairwise verdict implied by two single-answer grades, by FastChat's rule in
 * `play_a_match_pair`: `tie` when `|scoreA - scoreB| <= tieDelta` (default 0.1, FastChat's
 * `TIE_DELTA`), else the
 * higher score wins (so `model_a` wins when `scoreA > scoreB + tieDelta`, up to
 * rounding at the exact boundary).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { singleScoreWinner } from "./single_score_winner.ts";
 * assert.equal(singleScoreWinner(8, 7), "model_a");
 * assert.equal(singleScoreWinner(7, 7.1), "tie");
 * assert.equal(singleScoreWinner(6, 9), "model_b");
 * ```
 */
export function singleScoreWinner(
  scoreA: number,
  scoreB: number,
  tieDelta: number = TIE_DELTA,
): "model_a" | "model_b" | "tie" {
  if (Math.abs(scoreA - scoreB) <= tieDelta) return "tie";
  return scoreA > scoreB ? "model_a" : "model_b";
}
