import { DataError } from "./data_error.ts";
import { readJsonl } from "./read_jsonl.ts";
import { isPairJudgment } from "./types.ts";
import type {
  JudgeId,
  Judgment,
  PairJudgment,
  PairWinner,
  QuestionId,
  SingleJudgment,
} from "./types.ts";
import {
  describe,
  expectJudgedTurn,
  expectObject,
  expectQuestionId,
  expectScore,
  expectString,
  fail,
  type JsonObject,
  optionalNumber,
  optionalString,
  type RecordSource,
  requireField,
} from "./_validate.ts";

/** Options for {@linkcode streamJudgments} and {@linkcode readJudgments}. */
export interface ReadJudgmentsOptions {
  /**
   * Known question ids; a judgment of any other id is an error.
   * @default {undefined} (no check)
   */
  questionIds?: ReadonlySet<QuestionId>;
}

const WINNERS: ReadonlySet<string> = new Set(["model_1", "model_2", "tie", "error"]);

/**
 * Streams a FastChat judgment file (`*_single.jsonl` or `*_pair.jsonl`) in
 * validated batches. Each line is single (`score`) or pairwise (`g1_winner`);
 * both kinds may appear in one file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamJudgments } from "./read_judgments.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, JSON.stringify({
 *   question_id: 81, model: "m", judge: ["gpt-4", "single-v1"], score: 7, turn: 1,
 * }) + "\n");
 * let total = 0;
 * for await (const batch of streamJudgments(path)) total += batch.length;
 * assert.equal(total, 1);
 * ```
 */
export function streamJudgments(
  path: string,
  options: ReadJudgmentsOptions = {},
): AsyncGenerator<Judgment[]> {
  return streamKind(path, options, undefined);
}

/** Reads a whole judgment file into memory; see {@linkcode streamJudgments}. */
export async function readJudgments(
  path: string,
  options: ReadJudgmentsOptions = {},
): Promise<Judgment[]> {
  const records: Judgment[] = [];
  for await (const batch of streamJudgments(path, options)) {
    for (const record of batch) records.push(record);
  }
  return records;
}

/** Validates one parsed line as a single or pairwise judgment record. */
export function parseJudgment(value: unknown, source: RecordSource): Judgment {
  const record = expectObject(value, source);
  if ("g1_winner" in record || "model_1" in record) return parsePair(record, source);
  if ("score" in record || "model" in record) return parseSingle(record, source);
  return fail(
    source,
    undefined,
    `expected a single judgment (with "model" and "score") or a pairwise one (with "model_1", "model_2", "g1_winner", "g2_winner")`,
  );
}

function parseCommon(record: JsonObject, source: RecordSource) {
  const questionId = expectQuestionId(
    requireField(record, "question_id", source),
    "question_id",
    source,
  );
  const judge = parseJudgeId(requireField(record, "judge", source), source);
  const turn = expectJudgedTurn(requireField(record, "turn", source), "turn", source);
  optionalNumber(record, "tstamp", source);
  optionalString(record, "error", source);
  return { questionId, judge, turn };
}

function parseSingle(record: JsonObject, source: RecordSource): SingleJudgment {
  const { questionId, judge, turn } = parseCommon(record, source);
  const model = expectString(requireField(record, "model", source), "model", source);
  const score = expectScore(requireField(record, "score", source), "score", source);
  optionalString(record, "user_prompt", source);
  optionalString(record, "judgment", source);
  return { ...record, question_id: questionId, model, judge, score, turn };
}

function parsePair(record: JsonObject, source: RecordSource): PairJudgment {
  const { questionId, judge, turn } = parseCommon(record, source);
  const model1 = expectString(requireField(record, "model_1", source), "model_1", source);
  const model2 = expectString(requireField(record, "model_2", source), "model_2", source);
  const g1 = parseWinner(record, "g1_winner", source);
  const g2 = parseWinner(record, "g2_winner", source);
  for (const field of ["g1_user_prompt", "g1_judgment", "g2_user_prompt", "g2_judgment"]) {
    optionalString(record, field, source);
  }
  return {
    ...record,
    question_id: questionId,
    model_1: model1,
    model_2: model2,
    g1_winner: g1,
    g2_winner: g2,
    judge,
    turn,
  };
}

function parseWinner(record: JsonObject, field: string, source: RecordSource): PairWinner {
  const value = requireField(record, field, source);
  if (typeof value !== "string" || !WINNERS.has(value)) {
    fail(
      source,
      field,
      `expected "${field}" to be "model_1", "model_2", "tie" or "error", got ${describe(value)}`,
    );
  }
  return value as PairWinner;
}

function parseJudgeId(value: unknown, source: RecordSource): JudgeId {
  if (
    !Array.isArray(value) || value.length !== 2 || typeof value[0] !== "string" ||
    typeof value[1] !== "string"
  ) {
    fail(
      source,
      "judge",
      `expected "judge" to be [judge_model, prompt_name], got ${describe(value)}`,
    );
  }
  return value as JudgeId;
}

/** Options for {@linkcode streamSingleJudgments} and {@linkcode streamPairJudgments}. */
export interface ReadJudgmentKindOptions extends ReadJudgmentsOptions {
  /**
   * Added to the error for a record of the other kind, e.g. which option reads that kind.
   * @default {undefined}
   */
  hint?: string;
  /**
   * Only the lines starting in this byte range (see `readJsonl`); line
   * numbers in errors then count from the range's first line.
   * @default {undefined} (the whole file)
   */
  range?: { start: number; end: number };
}

/**
 * Streams a single-grade judgment file; a pairwise record in it is a DataError
 * naming the line (and `hint`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamSingleJudgments } from "./read_judgments.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, JSON.stringify({
 *   question_id: 81, model: "m", judge: ["gpt-4", "single-v1"], score: 7, turn: 1,
 * }) + "\n");
 * const scores: number[] = [];
 * for await (const batch of streamSingleJudgments(path)) scores.push(...batch.map((r) => r.score));
 * assert.deepEqual(scores, [7]);
 * ```
 */
export function streamSingleJudgments(
  path: string,
  options: ReadJudgmentKindOptions = {},
): AsyncGenerator<SingleJudgment[]> {
  return streamKind(path, options, "single");
}

/**
 * Streams a pairwise judgment file; a single-grade record in it is a DataError
 * naming the line (and `hint`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamPairJudgments } from "./read_judgments.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, JSON.stringify({
 *   question_id: 81, model_1: "a", model_2: "b", g1_winner: "tie", g2_winner: "tie",
 *   judge: ["gpt-4", "pair-v2"], turn: 1,
 * }) + "\n");
 * const models: string[] = [];
 * for await (const batch of streamPairJudgments(path)) models.push(...batch.map((r) => r.model_2));
 * assert.deepEqual(models, ["b"]);
 * ```
 */
export function streamPairJudgments(
  path: string,
  options: ReadJudgmentKindOptions = {},
): AsyncGenerator<PairJudgment[]> {
  return streamKind(path, options, "pair");
}

async function* streamKind<K extends "single" | "pair" | undefined>(
  path: string,
  options: ReadJudgmentKindOptions,
  kind: K,
): AsyncGenerator<JudgmentOf<K>[]> {
  const hint = options.hint === undefined ? "" : `; ${options.hint}`;
  const range = options.range;
  let records = 0;
  for await (const batch of readJsonl(path, range === undefined ? {} : { range })) {
    records += batch.length;
    const out: Judgment[] = new Array(batch.length);
    for (let index = 0; index < batch.length; index++) {
      const { line, value } = batch[index]!;
      const source = { file: path, line };
      const record = parseJudgment(value, source);
      if (kind !== undefined && isPairJudgment(record) !== (kind === "pair")) {
        fail(
          source,
          kind === "pair" ? "g1_winner" : "score",
          kind === "pair"
            ? `expected a pairwise judgment (with "model_1", "model_2", "g1_winner", "g2_winner"), got a single one${hint}`
            : `expected a single judgment (with "model" and "score"), got a pairwise one${hint}`,
        );
      }
      if (options.questionIds && !options.questionIds.has(record.question_id)) {
        fail(
          source,
          "question_id",
          `unknown question_id ${
            JSON.stringify(record.question_id)
          }: it is not in the question file`,
        );
      }
      out[index] = record;
    }
    yield out as JudgmentOf<K>[];
  }
  // A byte range of a file may hold no line; a whole file must hold one.
  if (records === 0 && range === undefined) {
    throw new DataError("the file holds no judgment record (it is empty)", { file: path });
  }
}

type JudgmentOf<K> = K extends "pair" ? PairJudgment : K extends "single" ? SingleJudgment
: Judgment;
