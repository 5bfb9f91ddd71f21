import { extname } from "node:path";
import { DataError } from "./data_error.ts";
import { type JsonLine, readJsonl } from "./read_jsonl.ts";
import { readJsonArray } from "./_json_array.ts";
import type { ChatMessage, HumanVote, JudgeId } from "./types.ts";
import {
  describe,
  expectInteger,
  expectObject,
  expectString,
  fail,
  type JsonObject,
  type RecordSource,
  requireField,
} from "./_validate.ts";

/** File formats of human-judgment votes. */
export type HumanVoteFormat = "parquet" | "json" | "jsonl";

/** Options for {@linkcode streamHumanVotes} and {@linkcode readHumanVotes}. */
export interface ReadHumanVotesOptions {
  /**
   * File format; by default taken from the extension (`.parquet`, `.json`, `.jsonl`).
   * @default {undefined} (from the extension)
   */
  format?: HumanVoteFormat;
  /**
   * Read and validate `conversation_a`/`conversation_b`. When false they are
   * skipped (not read from parquet, dropped unchecked from JSON), which is much
   * faster when only the labels matter, as for agreement.
   * @default {true}
   */
  conversations?: boolean;
}

const WINNERS: ReadonlySet<string> = new Set(["model_a", "model_b", "tie", "tie (inconsistent)"]);
const LABEL_COLUMNS = ["question_id", "model_a", "model_b", "winner", "judge", "turn"] as const;
const CONVERSATION_COLUMNS = ["conversation_a", "conversation_b"] as const;

/** Format of a vote file from its extension, or undefined when it has none of the known ones. */
export function humanVoteFormat(path: string): HumanVoteFormat | undefined {
  switch (extname(path).toLowerCase()) {
    case ".parquet":
      return "parquet";
    case ".json":
      return "json";
    case ".jsonl":
      return "jsonl";
    default:
      return undefined;
  }
}

/** A validated vote with where it was read. */
export interface HumanVoteRecord {
  /** 1-based line (JSON: the line the element starts on) or parquet row. */
  line: number;
  /** What `line` counts. */
  unit: "line" | "row";
  /** The vote. */
  vote: HumanVote;
}

/**
 * Streams the votes of a human-judgment file (`lmsys/mt_bench_human_judgments`)
 * in validated batches, whatever its form:
 * - `.parquet`: a Hugging Face split file (`human`, `gpt4_pair`), read one row
 *   group at a time; errors name the row (1-based) instead of a line;
 * - `.json`: FastChat's `human_judgments.json` / `gpt4_pair_judgments.json`, one
 *   JSON array, scanned element by element; errors name the element's first line;
 * - `.jsonl`: one vote per line, with or without the conversations.
 *
 * Every field is checked: `question_id` an integer, `model_a`/`model_b` distinct
 * non-empty strings, `winner` one of `model_a`, `model_b`, `tie`,
 * `tie (inconsistent)`, `judge` a string or `[judge_model, prompt_name]`, `turn`
 * 1 or 2, conversations lists of `{role, content}`. A bad value throws a
 * {@linkcode DataError} naming the file, the line (or row) and the field.
 *
 * @example Count the votes of a label-only file
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamHumanVotes } from "./read_human_votes.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, JSON.stringify({
 *   question_id: 81, model_a: "a", model_b: "b", winner: "tie", judge: "expert_0", turn: 1,
 * }) + "\n");
 * let count = 0;
 * for await (const batch of streamHumanVotes(path)) count += batch.length;
 * assert.equal(count, 1);
 * ```
 */
export async function* streamHumanVotes(
  path: string,
  options: ReadHumanVotesOptions = {},
): AsyncGenerator<HumanVote[]> {
  for await (const batch of streamHumanVoteRecords(path, options)) {
    yield batch.map((record) => record.vote);
  }
}

/**
 * Like {@linkcode streamHumanVotes}, with the line (or parquet row) of each vote,
 * for callers that report problems found later (e.g. a repeated vote).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamHumanVoteRecords } from "./read_human_votes.ts";
 * const vote = { question_id: 81, model_a: "a", model_b: "b", winner: "tie", judge: "expert_0", turn: 1 };
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, `\n${JSON.stringify(vote)}\n`);
 * const lines: number[] = [];
 * for await (const batch of streamHumanVoteRecords(path)) lines.push(...batch.map((r) => r.line));
 * assert.deepEqual(lines, [2]);
 * ```
 */
export async function* streamHumanVoteRecords(
  path: string,
  options: ReadHumanVotesOptions = {},
): AsyncGenerator<HumanVoteRecord[]> {
  const format = options.format ?? humanVoteFormat(path);
  const conversations = options.conversations ?? true;
  if (format === undefined) {
    throw new DataError(
      `unknown vote file format ${
        JSON.stringify(extname(path))
      }: expected .parquet, .json or .jsonl`,
      { file: path },
    );
  }
  let votes = 0;
  const empty = () => new DataError("the file holds no vote (it is empty)", { file: path });
  if (format === "parquet") {
    const optional = conversations ? CONVERSATION_COLUMNS : [];
    // Loaded on first use: the parquet reader (hyparquet) is most of this module's
    // graph. A computed specifier, since Deno loads the graph of a literal one at start-up.
    const { streamParquetRows }: typeof import("./_parquet.ts") = await import(
      new URL("./_parquet.ts", import.meta.url).href
    );
    for await (const batch of streamParquetRows(path, LABEL_COLUMNS, optional)) {
      const records: HumanVoteRecord[] = new Array(batch.length);
      for (let index = 0; index < batch.length; index++) {
        const { row, value } = batch[index]!;
        let vote: HumanVote;
        try {
          vote = parseHumanVote(fromParquet(value), { file: path, line: row }, options);
        } catch (error) {
          if (!(error instanceof DataError)) throw error;
          throw new DataError(
            error.reason,
            { file: path, line: row, field: error.field, unit: "row" },
            { cause: error },
          );
        }
        records[index] = { line: row, unit: "row", vote };
      }
      votes += records.length;
      yield records;
    }
    if (votes === 0) throw empty();
    return;
  }
  const lines = format === "json" ? readJsonArray(path) : readJsonl(path);
  for await (const batch of lines) {
    const records: HumanVoteRecord[] = new Array(batch.length);
    for (let index = 0; index < batch.length; index++) {
      const entry = batch[index]!;
      // The entry's line may be computed on first read (a JSON array's elements):
      // it is passed on unread, since only an error message needs it.
      const source = new EntrySource(path, entry);
      records[index] = new EntryRecord(entry, parseHumanVote(entry.value, source, options));
    }
    votes += records.length;
    yield records;
  }
  if (votes === 0) throw empty();
}

/**
 * Reads a whole human-judgment file into memory; see {@linkcode streamHumanVotes}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readHumanVotes } from "./read_human_votes.ts";
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(path, JSON.stringify([{
 *   question_id: 81, model_a: "a", model_b: "b", winner: "model_a",
 *   judge: ["gpt-4", "pair-v2"], turn: 2,
 * }]));
 * const [vote] = await readHumanVotes(path);
 * assert.equal(vote!.turn, 2);
 * assert.ok(Array.isArray(vote!.judge));
 * ```
 */
export async function readHumanVotes(
  path: string,
  options: ReadHumanVotesOptions = {},
): Promise<HumanVote[]> {
  const votes: HumanVote[] = [];
  for await (const batch of streamHumanVotes(path, options)) {
    for (const vote of batch) votes.push(vote);
  }
  return votes;
}

/** A file and the line of one of its entries, read only when asked for. */
class EntrySource {
  constructor(readonly file: string, readonly entry: JsonLine) {}
  get line(): number {
    return this.entry.line;
  }
}

/** A {@linkcode HumanVoteRecord} whose line is read from its entry when asked for. */
class EntryRecord implements HumanVoteRecord {
  readonly unit = "line";
  constructor(readonly entry: JsonLine, readonly vote: HumanVote) {}
  get line(): number {
    return this.entry.line;
  }
}

/** Parquet INT64 columns decode as bigint; nulls stand for absent values. */
function fromParquet(row: Record<string, unknown>): JsonObject {
  const out: JsonObject = {};
  for (const key in row) {
    const value = row[key];
    if (typeof value === "bigint") {
      out[key] = Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
    } else if (value === null && (key === "conversation_a" || key === "conversation_b")) {
      continue;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Validates one parsed record as a {@linkcode HumanVote}; throws a DataError
 * naming `source` and the field. Extra fields are dropped.
 */
export function parseHumanVote(
  value: unknown,
  source: RecordSource,
  options: ReadHumanVotesOptions = {},
): HumanVote {
  const record = expectObject(value, source);
  const questionId = expectInteger(
    requireField(record, "question_id", source),
    "question_id",
    source,
  );
  const modelA = expectModel(record, "model_a", source);
  const modelB = expectModel(record, "model_b", source);
  if (modelA === modelB) {
    fail(source, "model_b", `"model_a" and "model_b" are the same model ${JSON.stringify(modelA)}`);
  }
  const winner = requireField(record, "winner", source);
  if (typeof winner !== "string" || !WINNERS.has(winner)) {
    fail(
      source,
      "winner",
      `expected "winner" to be "model_a", "model_b", "tie" or "tie (inconsistent)", got ${
        describe(winner)
      }`,
    );
  }
  const judge = parseJudge(requireField(record, "judge", source), source);
  const turn = expectInteger(requireField(record, "turn", source), "turn", source);
  if (turn !== 1 && turn !== 2) fail(source, "turn", `expected "turn" to be 1 or 2, got ${turn}`);
  const vote: HumanVote = {
    question_id: questionId,
    model_a: modelA,
    model_b: modelB,
    winner,
    judge,
    turn,
  };
  if (options.conversations ?? true) {
    for (const field of CONVERSATION_COLUMNS) {
      const conversation = record[field];
      if (conversation !== undefined && conversation !== null) {
        vote[field] = parseConversation(conversation, field, source);
      }
    }
  }
  return vote;
}

function expectModel(record: JsonObject, field: string, source: RecordSource): string {
  const model = expectString(requireField(record, field, source), field, source);
  if (model.length === 0) fail(source, field, `expected "${field}" to be a model name, got ""`);
  return model;
}

function parseJudge(value: unknown, source: RecordSource): string | JudgeId {
  if (typeof value === "string" && value.length > 0) return value;
  if (
    Array.isArray(value) && value.length === 2 && typeof value[0] === "string" &&
    typeof value[1] === "string"
  ) {
    return [value[0], value[1]];
  }
  return fail(
    source,
    "judge",
    `expected "judge" to be a name like "expert_0" or [judge_model, prompt_name], got ${
      describe(value)
    }`,
  );
}

/** Validates a conversation: a list of `{role, content}` messages. */
export function parseConversation(
  value: unknown,
  field: string,
  source: RecordSource,
): ChatMessage[] {
  if (!Array.isArray(value)) {
    fail(source, field, `expected "${field}" to be a list of messages, got ${describe(value)}`);
  }
  const messages: ChatMessage[] = new Array(value.length);
  for (let index = 0; index < value.length; index++) {
    const at = `${field}[${index}]`;
    const message = value[index];
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      fail(source, at, `expected "${at}" to be a {role, content} object, got ${describe(message)}`);
    }
    const { role, content } = message as JsonObject;
    if (typeof role !== "string") {
      fail(source, `${at}.role`, `expected "${at}.role" to be a string, got ${describe(role)}`);
    }
    if (typeof content !== "string") {
      fail(
        source,
        `${at}.content`,
        `expected "${at}.content" to be a string, got ${describe(content)}`,
      );
    }
    messages[index] = { role, content };
  }
  return messages;
}
