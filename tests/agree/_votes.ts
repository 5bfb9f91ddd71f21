/** Tiny hand-written votes for the agreement tests. */
import type { HumanVote } from "../../lib/data/types.ts";

/** A vote on question `question_id` between models `a`/`b` (as given, not sorted). */
export function humanVote(
  judge: HumanVote["judge"],
  winner: string,
  extra: Partial<HumanVote> = {},
): HumanVote {
  return {
    question_id: 81,
    model_a: "alpaca",
    model_b: "vicuna",
    winner,
    judge,
    turn: 1,
    ...extra,
  };
}

/** The same vote with the models given the other way round (winner flipped to match). */
export function flipped(vote: HumanVote): HumanVote {
  const winner = vote.winner === "model_a"
    ? "model_b"
    : vote.winner === "model_b"
    ? "model_a"
    : vote.winner;
  return { ...vote, model_a: vote.model_b, model_b: vote.model_a, winner };
}
