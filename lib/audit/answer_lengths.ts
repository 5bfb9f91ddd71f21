import type { ModelAnswer, QuestionId } from "../data/types.ts";

/** The length in characters of a model's answer to one turn of a question, if known. */
export type AnswerLength = (
  questionId: QuestionId,
  model: string,
  turn: number,
) => number | undefined;

/**
 * Answer lengths from answer files (model → answers): the characters of the
 * judged turn's reply (turn 1: the first reply, turn 2: the second), as the
 * MT-Bench paper measures verbosity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { answerLengths } from "./answer_lengths.ts";
 * const lengthOf = answerLengths(new Map([["m", [{ question_id: 81, model_id: "m", choices: [{ index: 0, turns: ["abc", "de"] }] }]]]));
 * assert.equal(lengthOf(81, "m", 1), 3);
 * assert.equal(lengthOf(81, "m", 2), 2);
 * assert.equal(lengthOf(82, "m", 1), undefined);
 * ```
 */
export function answerLengths(
  answers: ReadonlyMap<string, readonly ModelAnswer[]>,
): AnswerLength {
  const lengths = new Map<string, number>();
  for (const [model, list] of answers) {
    for (const answer of list) {
      const turns = answer.choices[0]?.turns ?? [];
      turns.forEach((text, index) =>
        lengths.set(`${model}\u0000${answer.question_id}\u0000${index + 1}`, text.length)
      );
    }
  }
  return (questionId, model, turn) => lengths.get(`${model}\u0000${questionId}\u0000${turn}`);
}
