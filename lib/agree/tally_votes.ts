import type { HumanVote, HumanVoteColumns, Judgment } from "../data/types.ts";
import { isPairJudgment } from "../data/types.ts";
import { addSingleScoreVotes } from "./add_single_score_votes.ts";
import { pairJudgmentVote } from "./pair_judgment_vote.ts";
import { ScoreIndex } from "./score_index.ts";
import { type VoteSource, VoteTally } from "./vote_tally.ts";

/** A human-judgment vote with where it was read. */
export interface SourcedHumanVote {
  /** The vote, counted under its judge group. */
  vote: HumanVote;
  /**
   * Where the vote was read, for error messages.
   * @default {undefined}
   */
  source?: VoteSource;
}

/** A judgment record (pairwise or single) with where it was read. */
export interface SourcedJudgment {
  /** The record. */
  record: Judgment;
  /**
   * Where the record was read, for error messages.
   * @default {undefined}
   */
  source?: VoteSource;
}

/** Batches of items, read at once or streamed from a file. */
export type Batches<T> = Iterable<readonly T[]> | AsyncIterable<readonly T[]>;

/** The votes {@linkcode tallyVotes} counts. */
export interface VoteInputs {
  /**
   * Human-judgment votes (`gpt4-pair`, `human` and `author` groups), in batches.
   * @default {[]}
   */
  humanVotes?: Batches<SourcedHumanVote>;
  /**
   * More human-judgment votes, in columns (see `streamHumanVoteColumns`),
   * counted after `humanVotes`.
   * @default {[]}
   */
  humanVoteColumns?: Iterable<HumanVoteColumns> | AsyncIterable<HumanVoteColumns>;
  /**
   * The records of each judge that is a FastChat judgment file, by judge name.
   * @default {new Map()}
   */
  judgments?: ReadonlyMap<string, Batches<SourcedJudgment>>;
}

/** What {@linkcode tallyVotes} returns. */
export interface TalliedVotes {
  /** The votes of the two judges, counted per key. */
  tally: VoteTally;
  /** Pairwise judgment records left out because a game failed. */
  errorGames: number;
  /** Single grades left out because they failed (score -1 or an error). */
  failedScores: number;
  /** Pairwise votes made from single grades. */
  singleGradeVotes: number;
}

/**
 * Counts the votes of two judges, as `agree` and the QA browser do: human
 * votes first (each under its judge group; `humanVotes`, then `humanVoteColumns`), then the pairwise records of each
 * judgment file (a failed game is left out and counted), then the single grades
 * of each judgment file, turned into pairwise votes (ties within 0.1, see
 * {@linkcode addSingleScoreVotes}). The order is kept so that keys, and with
 * them the bootstrap's questions, come in the same order on every run.
 *
 * @example A judgment file against human experts
 * ```ts
 * import assert from "node:assert/strict";
 * import { tallyVotes } from "./tally_votes.ts";
 * const judge: [string, string] = ["gpt-4", "pair-v2"];
 * const { tally, errorGames } = await tallyVotes(["gpt-4_pair.jsonl", "human"], {
 *   humanVotes: [[{ vote: { question_id: 81, model_a: "a", model_b: "b", winner: "model_a", judge: "expert_0", turn: 1 } }]],
 *   judgments: new Map([["gpt-4_pair.jsonl", [[
 *     { record: { question_id: 81, model_1: "a", model_2: "b", g1_winner: "model_1", g2_winner: "model_1", judge, turn: 1 } },
 *     { record: { question_id: 82, model_1: "a", model_2: "b", g1_winner: "error", g2_winner: "error", judge, turn: 1 } },
 *   ]]]]),
 * });
 * assert.equal(tally.table().counts.join(), "1,0,0,1,0,0");
 * assert.equal(errorGames, 1);
 * ```
 */
export async function tallyVotes(
  judges: readonly [string, string],
  inputs: VoteInputs,
): Promise<TalliedVotes> {
  const tally = new VoteTally(judges);
  for await (const batch of inputs.humanVotes ?? []) {
    for (const { vote, source } of batch) tally.addHumanVote(vote, source);
  }
  for await (const columns of inputs.humanVoteColumns ?? []) tally.addHumanVoteColumns(columns);
  let errorGames = 0;
  const scores: ScoreIndex[] = [];
  for (const [judge, batches] of inputs.judgments ?? new Map()) {
    const index = new ScoreIndex(judge);
    for await (const batch of batches) {
      for (const { record, source } of batch) {
        if (isPairJudgment(record)) {
          const vote = pairJudgmentVote(record);
          if (vote === undefined) errorGames++;
          else tally.add(judge, vote, source);
        } else {
          index.add(record, source);
        }
      }
    }
    scores.push(index);
  }
  let singleGradeVotes = 0;
  let failedScores = 0;
  for (const index of scores) {
    failedScores += index.failed;
    if (index.size > 0) singleGradeVotes += addSingleScoreVotes(tally, index);
  }
  return { tally, errorGames, failedScores, singleGradeVotes };
}
