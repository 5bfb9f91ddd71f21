import { readJsonl } from "./read_jsonl.ts";
import type { AnswerChoice, ModelAnswer, QuestionId } from "./types.ts";
import {
  expectInteger,
  expectObject,
  expectQuestionId,
  expectString,
  expectStringArray,
  fail,
  optionalNumber,
  optionalString,
  type RecordSource,
  requireField,
} from "./_validate.ts";
import { basename } from "node:path";

/** Options for {@linkcode readAnswers}. */
export interface ReadAnswersOptions {
  /**
   * Known question ids; an answer to any other id is an error.
   * @default {undefined} (no check)
   */
  questionIds?: ReadonlySet<QuestionId>;
}

/**
 * Reads and validates one answer file (`model_answer/<model>.jsonl` or
 * `reference_answer/<judge>.jsonl`). A repeated `question_id` is an error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readAnswers } from "./read_answers.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, JSON.stringify({
 *   question_id: 81, answer_id: "x", model_id: "m", choices: [{ index: 0, turns: ["a", "b"] }],
 * }) + "\n");
 * const answers = await readAnswers(path);
 * assert.equal(answers[0]!.choices[0]!.turns[1], "b");
 * ```
 */
export async function readAnswers(
  path: string,
  options: ReadAnswersOptions = {},
): Promise<ModelAnswer[]> {
  const answers: ModelAnswer[] = [];
  const seen = new Map<QuestionId, number>();
  for await (const batch of readJsonl(path)) {
    for (const { line, value } of batch) {
      const source = { file: path, line };
      const answer = parseAnswer(value, source);
      if (options.questionIds && !options.questionIds.has(answer.question_id)) {
        fail(
          source,
          "question_id",
          `unknown question_id ${
            JSON.stringify(answer.question_id)
          }: it is not in the question file`,
        );
      }
      const previous = seen.get(answer.question_id);
      if (previous !== undefined) {
        fail(
          source,
          "question_id",
          `duplicate question_id ${JSON.stringify(answer.question_id)} (first on line ${previous})`,
        );
      }
      seen.set(answer.question_id, line);
      answers.push(answer);
    }
  }
  return answers;
}

/** Validates one answer record (a parsed JSONL line); throws a `DataError` naming the line and field. */
export function parseAnswer(value: unknown, source: RecordSource): ModelAnswer {
  const record = expectObject(value, source);
  const questionId = expectQuestionId(
    requireField(record, "question_id", source),
    "question_id",
    source,
  );
  const modelId = expectString(requireField(record, "model_id", source), "model_id", source);
  const rawChoices = requireField(record, "choices", source);
  if (!Array.isArray(rawChoices) || rawChoices.length === 0) {
    fail(source, "choices", `expected "choices" to be a non-empty array`);
  }
  const choices: AnswerChoice[] = rawChoices.map((raw, index) => {
    const field = `choices[${index}]`;
    const choice = expectObject(raw, source);
    return {
      ...choice,
      index: expectInteger(
        requireFieldAt(choice, "index", field, source),
        `${field}.index`,
        source,
      ),
      turns: expectStringArray(
        requireFieldAt(choice, "turns", field, source),
        `${field}.turns`,
        source,
      ),
    };
  });
  optionalString(record, "answer_id", source);
  optionalNumber(record, "tstamp", source);
  return { ...record, question_id: questionId, model_id: modelId, choices };
}

function requireFieldAt(
  record: Record<string, unknown>,
  key: string,
  prefix: string,
  source: RecordSource,
) {
  const value = record[key];
  if (value === undefined) {
    fail(source, `${prefix}.${key}`, `missing required field "${prefix}.${key}"`);
  }
  return value;
}

/** Model name of an answer file, as FastChat takes it: the file name without `.jsonl`. */
export function modelNameFromPath(path: string): string {
  return basename(path).replace(/\.jsonl$/, "");
}

/**
 * Reads every `*.jsonl` answer file of a directory, keyed as FastChat's
 * `load_model_answers`: model name (file stem) → question id → answer.
 */
export async function readAnswerDirectory(
  directory: string,
  options: ReadAnswersOptions = {},
): Promise<Map<string, Map<QuestionId, ModelAnswer>>> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    if (entry.isFile && entry.name.endsWith(".jsonl")) names.push(entry.name);
  }
  names.sort();
  const result = new Map<string, Map<QuestionId, ModelAnswer>>();
  for (const name of names) {
    const path = `${directory}/${name}`;
    const answers = await readAnswers(path, options);
    result.set(
      modelNameFromPath(path),
      new Map(answers.map((answer) => [answer.question_id, answer])),
    );
  }
  return result;
}
