import type { PairJudgment } from "../data/types.ts";
import type { PairwiseVote } from "./vote_tally.ts";

/**
 * The vote of one FastChat pairwise judgment (`*_pair.jsonl` record), in the
 * human-judgment shape: `model_a` is `model_1` and `model_b` is `model_2`. When
 * both games agree (`g1_winner === g2_winner`) that is the winner (`model_1` →
 * `model_a`, `model_2` → `model_b`, `tie` → `tie`); when they differ it is
 * `tie (inconsistent)`, as in the GPT-4 pair split. A game that failed (`error`
 * in either winner, or an `error` field) gives undefined: the caller drops it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pairJudgmentVote } from "./pair_judgment_vote.ts";
 * const record = {
 *   question_id: 81, model_1: "a", model_2: "b", judge: ["gpt-4", "pair-v2"] as [string, string],
 *   turn: 1, g1_winner: "model_2" as const, g2_winner: "model_2" as const,
 * };
 * assert.equal(pairJudgmentVote(record)!.winner, "model_b");
 * assert.equal(pairJudgmentVote({ ...record, g2_winner: "tie" })!.winner, "tie (inconsistent)");
 * assert.equal(pairJudgmentVote({ ...record, g1_winner: "error" }), undefined);
 * ```
 */
export function pairJudgmentVote(record: PairJudgment): PairwiseVote | undefined {
  const g1 = record.g1_winner;
  const g2 = record.g2_winner;
  if (g1 === "error" || g2 === "error" || record.error !== undefined) return undefined;
  const winner = g1 !== g2
    ? "tie (inconsistent)"
    : g1 === "model_1"
    ? "model_a"
    : g1 === "model_2"
    ? "model_b"
    : "tie";
  return {
    question_id: record.question_id,
    model_a: record.model_1,
    model_b: record.model_2,
    winner,
    turn: record.turn,
  };
}
