import type { HumanVote, PairJudgment, PairWinner } from "../data/types.ts";

const WINNER: Readonly<Record<string, PairWinner>> = {
  model_a: "model_1",
  model_b: "model_2",
  tie: "tie",
  "tie (inconsistent)": "tie",
};

/**
 * Turns pairwise votes (human or GPT-4, from `lmsys/mt_bench_human_judgments`)
 * into games that {@linkcode pairwiseWinRates} scores with FastChat's semantics:
 * model_a plays model_1, and one vote is one game whose two orders agree. A
 * `tie (inconsistent)` (GPT-4's two orders disagreed) is a tie, as FastChat
 * counts a game whose g1 and g2 verdicts differ. A vote with any other winner is
 * a RangeError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gamesFromVotes } from "./games_from_votes.ts";
 * const [game] = gamesFromVotes([
 *   { question_id: 81, model_a: "a", model_b: "b", winner: "model_b", judge: "expert_1", turn: 1 },
 * ]);
 * assert.equal(game!.g1_winner, "model_2");
 * assert.equal(game!.g2_winner, "model_2");
 * ```
 */
export function gamesFromVotes(votes: Iterable<HumanVote>): PairJudgment[] {
  const games: PairJudgment[] = [];
  for (const vote of votes) {
    const winner = WINNER[vote.winner];
    if (winner === undefined) {
      throw new RangeError(
        `Cannot score vote on question ${vote.question_id}: unknown winner ${
          JSON.stringify(vote.winner)
        }`,
      );
    }
    games.push({
      question_id: vote.question_id,
      model_1: vote.model_a,
      model_2: vote.model_b,
      g1_winner: winner,
      g2_winner: winner,
      judge: typeof vote.judge === "string" ? [vote.judge, "vote"] : vote.judge,
      turn: vote.turn,
    });
  }
  return games;
}
