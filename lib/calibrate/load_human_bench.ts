import { layout } from "../data/data_root.ts";
import { DataError } from "../data/data_error.ts";
import { findHumanVoteFiles } from "../data/find_human_vote_files.ts";
import { readConversations, type ReconstructedConversation } from "../data/read_conversations.ts";
import { readHumanVotes } from "../data/read_human_votes.ts";
import { readQuestions } from "../data/read_questions.ts";
import type { HumanVote } from "../data/types.ts";
import { assembleHumanBench, type AssembleHumanBenchOptions } from "./assemble_human_bench.ts";
import type { HumanBench } from "./types.ts";

/** The human-study bench with the votes it was assembled from. */
export interface LoadedHumanBench {
  /** The assembled bench. */
  bench: HumanBench;
  /** Every human vote (experts and authors), labels only. */
  humanVotes: HumanVote[];
  /** The GPT-4 pair votes of the dataset (the paper's GPT-4 rows). */
  gpt4Votes: HumanVote[];
  /** The files read. */
  files: { questions: string; human: string; gpt4Pair: string; conversations: string | null };
}

/**
 * Reads the human-judgment dataset from a data root (FastChat layout:
 * `mt_bench/question.jsonl`, `mt_bench_human_judgments/`) and assembles the
 * human-study bench with {@linkcode assembleHumanBench}. The answers come from
 * the votes' own `conversation_a`/`conversation_b` when the vote file carries
 * them (the Hugging Face parquet), else from `conversations_reconstructed.jsonl`.
 * A missing file is a `DataError` naming it.
 *
 * @example A data root without the dataset is refused, naming the folder
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadHumanBench } from "./load_human_bench.ts";
 * const empty = await Deno.makeTempDir();
 * await assert.rejects(loadHumanBench(empty), /human-judgment dataset is incomplete/);
 * ```
 */
export async function loadHumanBench(
  dataRoot: string,
  options: AssembleHumanBenchOptions = {},
): Promise<LoadedHumanBench> {
  const found = await findHumanVoteFiles(dataRoot);
  if (found.human === undefined || found.gpt4Pair === undefined) {
    throw new DataError(
      "the human-judgment dataset is incomplete: the human and gpt4_pair vote files are both needed (run fetch-data)",
      { file: found.directory },
    );
  }
  const questionFile = layout.questions(dataRoot, "mt_bench");
  const questions = await readQuestions(questionFile);
  const humanVotes = await readHumanVotes(found.human.path);
  const gpt4Votes = await readHumanVotes(found.gpt4Pair.path, { conversations: false });
  const conversations = new Map<string, ReconstructedConversation>();
  for (const vote of humanVotes) {
    for (
      const [model, conversation] of [[vote.model_a, vote.conversation_a], [
        vote.model_b,
        vote.conversation_b,
      ]] as const
    ) {
      if (conversation === undefined) continue;
      conversations.set(`${vote.question_id}/${model}`, {
        question_id: vote.question_id,
        model,
        conversation,
        source: "vote_file",
      });
    }
    delete vote.conversation_a;
    delete vote.conversation_b;
  }
  if (conversations.size === 0 && found.conversations !== undefined) {
    for (const record of await readConversations(found.conversations)) {
      conversations.set(`${record.question_id}/${record.model}`, record);
    }
  }
  const bench = assembleHumanBench(
    { questions, votes: humanVotes, conversations: conversations.values() },
    options,
  );
  return {
    bench,
    humanVotes,
    gpt4Votes,
    files: {
      questions: questionFile,
      human: found.human.path,
      gpt4Pair: found.gpt4Pair.path,
      conversations: found.conversations ?? null,
    },
  };
}
