import type { ScoreIndex } from "./score_index.ts";
import { singleScoreWinner } from "./single_score_winner.ts";
import type { VoteTally } from "./vote_tally.ts";

/** Options for {@linkcode addSingleScoreVotes}. */
export interface AddSingleScoreVotesOptions {
  /**
   * Score margin within which two grades are a tie.
   * @default {0.1}
   */
  tieDelta?: number;
}

/**
 * Turns a judge's single-answer grades into pairwise votes of that judge
 * ({@linkcode ScoreIndex.judge}) in the tally: per
 * (question, turn, model pair), the pair's verdict by
 * {@linkcode singleScoreWinner}. Only pairs that can be compared are made: when
 * the other judge already has votes, just its keys; otherwise every pair of
 * graded models. A judge compared with itself gets none (one grade per model
 * gives one vote per key, and no pair). Returns the number of votes added.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addSingleScoreVotes, ScoreIndex, VoteTally } from "./mod.ts";
 * const tally = new VoteTally(["gpt-4_single.jsonl", "human"]);
 * tally.addHumanVote({ question_id: 81, model_a: "a", model_b: "b", winner: "model_a", judge: "expert_0", turn: 1 });
 * const scores = new ScoreIndex("gpt-4_single.jsonl");
 * const judge: [string, string] = ["gpt-4", "single-v1"];
 * scores.add({ question_id: 81, model: "a", judge, score: 9, turn: 1 });
 * scores.add({ question_id: 81, model: "b", judge, score: 4, turn: 1 });
 * assert.equal(addSingleScoreVotes(tally, scores), 1);
 * assert.equal(tally.table().counts.join(), "1,0,0,1,0,0");
 * ```
 */
export function addSingleScoreVotes(
  tally: VoteTally,
  scores: ScoreIndex,
  options: AddSingleScoreVotesOptions = {},
): number {
  const judge = scores.judge;
  const tieDelta = options.tieDelta; // undefined: singleScoreWinner's default
  if (tally.sameJudge) return 0;
  const other = judge === tally.judges[0] ? tally.judges[1] : tally.judges[0];
  let added = 0;
  if (tally.hasVotes(other)) {
    for (const key of tally.keys(other)) {
      const a = scores.get(key.turn, key.question_id, key.model_a);
      if (a === undefined) continue;
      const b = scores.get(key.turn, key.question_id, key.model_b);
      if (b === undefined) continue;
      const winner = singleScoreWinner(a, b, tieDelta);
      if (tally.add(judge, { ...key, winner })) added++;
    }
    return added;
  }
  for (const group of scores.groups()) {
    const models = [...group.scores.keys()].sort();
    for (let i = 0; i < models.length; i++) {
      for (let j = i + 1; j < models.length; j++) {
        const a = group.scores.get(models[i]!)!;
        const b = group.scores.get(models[j]!)!;
        const vote = {
          question_id: group.question_id,
          model_a: models[i]!,
          model_b: models[j]!,
          winner: singleScoreWinner(a, b, tieDelta),
          turn: group.turn,
        };
        if (tally.add(judge, vote)) added++;
      }
    }
  }
  return added;
}
