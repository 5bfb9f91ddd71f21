/**
 * Test fixtures in the other forms of `lmsys/mt_bench_human_judgments`, made from
 * the shared label-only JSONL files joined with the reconstructed conversations:
 * Hugging Face parquet split files and FastChat's original JSON arrays.
 */
import { join } from "node:path";
import {
  ByteWriter,
  type ColumnSource,
  parquetWrite,
  type SchemaElement,
} from "npm:hyparquet-writer@0.17.0";
import { joinConversations } from "../lib/data/join_conversations.ts";
import { readConversations } from "../lib/data/read_conversations.ts";
import { readHumanVotes } from "../lib/data/read_human_votes.ts";
import type { HumanVote } from "../lib/data/types.ts";
import { SHARED_DATA } from "./_helpers.ts";

/** The shared label-only files. */
export const SHARED_VOTES = {
  human: join(SHARED_DATA, "mt_bench_human_judgments", "human_labels.jsonl"),
  gpt4Pair: join(SHARED_DATA, "mt_bench_human_judgments", "gpt4_pair_labels.jsonl"),
  conversations: join(SHARED_DATA, "mt_bench_human_judgments", "conversations_reconstructed.jsonl"),
};

/** The figures FastChat's compute_agreement.py gives on the shared data (see its README). */
export const EXPECTED = {
  "gpt4-pair human": [[886, 1343, 727, 859], [871, 1325, 731, 864]],
  "human human": [[454, 721, 388, 479], [471, 707, 388, 474]],
} as const;

let joined: Promise<{ human: HumanVote[]; gpt4Pair: HumanVote[] }> | undefined;

/** The shared votes with conversation_a/b rebuilt, read once per test module. */
export function sharedVotesWithConversations(): Promise<
  { human: HumanVote[]; gpt4Pair: HumanVote[] }
> {
  joined ??= (async () => {
    const conversations = await readConversations(SHARED_VOTES.conversations);
    const human = joinConversations(await readHumanVotes(SHARED_VOTES.human), conversations);
    const gpt4Pair = joinConversations(await readHumanVotes(SHARED_VOTES.gpt4Pair), conversations);
    return { human: human.votes, gpt4Pair: gpt4Pair.votes };
  })();
  return joined;
}

const CONVERSATION_SCHEMA = (name: string): SchemaElement[] => [
  { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", repetition_type: "OPTIONAL", num_children: 2 },
  { name: "content", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
  { name: "role", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
];

/** Column values of a parquet fixture; a column may be left out or hold odd values for error tests. */
export type ParquetColumns = Partial<Record<keyof HumanVote, unknown[]>>;

/** Parquet bytes laid out as the Hugging Face split files (INT64 ids and turns, list<struct> conversations). */
export function humanVoteParquet(columns: ParquetColumns, rowGroupSize = 1000): Uint8Array {
  const order = [
    "question_id",
    "model_a",
    "model_b",
    "winner",
    "judge",
    "conversation_a",
    "conversation_b",
    "turn",
  ] as const;
  const present = order.filter((name) => columns[name] !== undefined);
  const schema: SchemaElement[] = [{ name: "root", num_children: present.length }];
  for (const name of present) {
    if (name === "question_id" || name === "turn") {
      schema.push({ name, type: "INT64", repetition_type: "OPTIONAL" });
    } else if (name === "conversation_a" || name === "conversation_b") {
      schema.push(...CONVERSATION_SCHEMA(name));
    } else {
      schema.push({
        name,
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        repetition_type: "OPTIONAL",
      });
    }
  }
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    // Arbitrary values (nulls, wrong types) are the point of the error fixtures.
    columnData: present.map((name) => ({ name, data: columns[name] as ColumnSource["data"] })),
    schema,
    rowGroupSize,
  });
  return new Uint8Array(writer.getBuffer());
}

/** Parquet columns of votes (INT64 as bigint, absent conversations as null). */
export function voteColumns(votes: readonly HumanVote[]): ParquetColumns {
  return {
    question_id: votes.map((vote) => BigInt(vote.question_id)),
    model_a: votes.map((vote) => vote.model_a),
    model_b: votes.map((vote) => vote.model_b),
    winner: votes.map((vote) => vote.winner),
    judge: votes.map((vote) => typeof vote.judge === "string" ? vote.judge : vote.judge.join("/")),
    conversation_a: votes.map((vote) => vote.conversation_a ?? null),
    conversation_b: votes.map((vote) => vote.conversation_b ?? null),
    turn: votes.map((vote) => BigInt(vote.turn)),
  };
}

/** Paths of a fixture data root's vote files. */
export interface VoteFixture {
  root: string;
  human: string;
  gpt4Pair: string;
}

/**
 * Writes `<root>/mt_bench_human_judgments/{human,gpt4_pair}.parquet` from the
 * shared data, conversations included.
 */
export async function writeParquetFixture(root: string): Promise<VoteFixture> {
  const { human, gpt4Pair } = await sharedVotesWithConversations();
  const directory = join(root, "mt_bench_human_judgments");
  await Deno.mkdir(directory, { recursive: true });
  const paths = {
    root,
    human: join(directory, "human.parquet"),
    gpt4Pair: join(directory, "gpt4_pair.parquet"),
  };
  await Deno.writeFile(paths.human, humanVoteParquet(voteColumns(human)));
  await Deno.writeFile(paths.gpt4Pair, humanVoteParquet(voteColumns(gpt4Pair)));
  return paths;
}

/**
 * Writes FastChat's `human_judgments.json` and `gpt4_pair_judgments.json` (JSON
 * arrays, GPT-4's judge as `["gpt-4", "pair-v2"]`) from the shared data,
 * conversations included.
 */
export async function writeJsonFixture(root: string): Promise<VoteFixture> {
  const { human, gpt4Pair } = await sharedVotesWithConversations();
  const directory = join(root, "mt_bench_human_judgments");
  await Deno.mkdir(directory, { recursive: true });
  const paths = {
    root,
    human: join(directory, "human_judgments.json"),
    gpt4Pair: join(directory, "gpt4_pair_judgments.json"),
  };
  await Deno.writeTextFile(paths.human, JSON.stringify(human, null, 1));
  await Deno.writeTextFile(
    paths.gpt4Pair,
    JSON.stringify(gpt4Pair.map((vote) => ({ ...vote, judge: ["gpt-4", "pair-v2"] })), null, 1),
  );
  return paths;
}
