import { DataError } from "./data_error.ts";
import { readJsonl } from "./read_jsonl.ts";
import type { Question, QuestionId } from "./types.ts";
import {
  expectObject,
  expectQuestionId,
  expectString,
  expectStringArray,
  fail,
  optionalString,
  requireField,
} from "./_validate.ts";

/**
 * Reads and validates a `question.jsonl` file. A repeated `question_id` is an
 * error that names both lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readQuestions } from "./read_questions.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, '{"question_id":81,"category":"writing","turns":["Hi","More"]}\n');
 * const questions = await readQuestions(path);
 * assert.equal(questions[0]!.turns.length, 2);
 * ```
 */
export async function readQuestions(path: string): Promise<Question[]> {
  const questions: Question[] = [];
  const seen = new Map<QuestionId, number>();
  for await (const batch of readJsonl(path)) {
    for (const { line, value } of batch) {
      const source = { file: path, line };
      const record = expectObject(value, source);
      const id = expectQuestionId(
        requireField(record, "question_id", source),
        "question_id",
        source,
      );
      const previous = seen.get(id);
      if (previous !== undefined) {
        fail(
          source,
          "question_id",
          `duplicate question_id ${JSON.stringify(id)} (first on line ${previous})`,
        );
      }
      seen.set(id, line);
      const question: Question = {
        question_id: id,
        category: expectString(requireField(record, "category", source), "category", source),
        turns: expectStringArray(requireField(record, "turns", source), "turns", source),
      };
      if (question.turns.length === 0) {
        fail(source, "turns", `expected "turns" to hold at least one prompt`);
      }
      if (record.reference !== undefined) {
        question.reference = typeof record.reference === "string"
          ? record.reference
          : expectStringArray(record.reference, "reference", source);
      }
      const lang = optionalString(record, "lang", source);
      if (lang !== undefined) question.lang = lang;
      questions.push(question);
    }
  }
  if (questions.length === 0) {
    throw new DataError("the file holds no question (it is empty)", { file: path });
  }
  return questions;
}
