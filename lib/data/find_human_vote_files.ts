import { join } from "node:path";
import { layout } from "./data_root.ts";
import type { HumanVoteFormat } from "./read_human_votes.ts";

/** A vote file found under the data root. */
export interface HumanVoteFile {
  /** Path of the file. */
  path: string;
  /** Its format, from the file name. */
  format: HumanVoteFormat;
}

/** The human-judgment files found under a data root; a split not found is undefined. */
export interface HumanVoteFiles {
  /** Directory searched: `<root>/mt_bench_human_judgments`. */
  directory: string;
  /** The `human` split (expert and author votes). */
  human: HumanVoteFile | undefined;
  /** The `gpt4_pair` split (GPT-4 pairwise votes). */
  gpt4Pair: HumanVoteFile | undefined;
  /** `conversations_reconstructed.jsonl`, if present. */
  conversations: string | undefined;
}

/** File names tried per split, best first: parquet, then FastChat's JSON, then label-only JSONL. */
export const HUMAN_VOTE_FILE_NAMES: Readonly<Record<"human" | "gpt4Pair", readonly string[]>> = {
  human: ["human.parquet", "human_judgments.json", "human_labels.jsonl"],
  gpt4Pair: ["gpt4_pair.parquet", "gpt4_pair_judgments.json", "gpt4_pair_labels.jsonl"],
};

const FORMATS: Record<string, HumanVoteFormat> = {
  parquet: "parquet",
  json: "json",
  jsonl: "jsonl",
};

/**
 * Finds the human and GPT-4-pair vote files of `lmsys/mt_bench_human_judgments`
 * under `<root>/mt_bench_human_judgments`, in whichever form exists, preferring
 * the Hugging Face parquet files, then FastChat's `*_judgments.json`, then the
 * label-only `*_labels.jsonl` (see {@linkcode HUMAN_VOTE_FILE_NAMES}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findHumanVoteFiles } from "./find_human_vote_files.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/mt_bench_human_judgments`);
 * await Deno.writeTextFile(`${root}/mt_bench_human_judgments/human_labels.jsonl`, "");
 * const found = await findHumanVoteFiles(root);
 * assert.equal(found.human?.format, "jsonl");
 * assert.equal(found.gpt4Pair, undefined);
 * ```
 */
export async function findHumanVoteFiles(root: string): Promise<HumanVoteFiles> {
  const directory = layout.humanDir(root);
  const first = async (names: readonly string[]): Promise<HumanVoteFile | undefined> => {
    for (const name of names) {
      const path = join(directory, name);
      if (await isFile(path)) return { path, format: FORMATS[name.split(".").pop()!]! };
    }
    return undefined;
  };
  const conversations = join(directory, "conversations_reconstructed.jsonl");
  return {
    directory,
    human: await first(HUMAN_VOTE_FILE_NAMES.human),
    gpt4Pair: await first(HUMAN_VOTE_FILE_NAMES.gpt4Pair),
    conversations: await isFile(conversations) ? conversations : undefined,
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
