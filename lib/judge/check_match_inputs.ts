import type { QuestionId } from "../data/types.ts";
import { type MakeMatchesOptions, type MatchInputs, REFERENCE_CATEGORIES } from "./make_matches.ts";

/** Something a match needs and the inputs lack. */
export type MissingInput =
  | { kind: "model"; model: string }
  | { kind: "answer"; model: string; questionId: QuestionId }
  | { kind: "reference"; questionId: QuestionId };

/**
 * Lists what `makeMatches` would miss, as FastChat's `check_data`: a model
 * with no answer file, a model's missing answers, and missing reference
 * answers for reference-category questions. The baseline of
 * `pairwise-baseline` mode is checked too. An empty list means the inputs are
 * complete.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkMatchInputs } from "./check_match_inputs.ts";
 * const judge = { name: "j", prompt: { name: "p", type: "single" as const, system_prompt: "", prompt_template: "", description: "", category: "", output_format: "[[rating]]" }, refBased: false, multiTurn: false };
 * const missing = checkMatchInputs({
 *   questions: [{ question_id: 81, category: "writing", turns: ["q"] }],
 *   models: ["absent"], answers: new Map(),
 *   judges: { default: judge, math: judge, defaultMultiTurn: judge, mathMultiTurn: judge },
 * });
 * assert.equal(missing[0]!.kind, "model");
 * ```
 */
export function checkMatchInputs(
  inputs: MatchInputs,
  options: MakeMatchesOptions = {},
): MissingInput[] {
  const missing: MissingInput[] = [];
  const models = [...inputs.models];
  if ((options.mode ?? "single") === "pairwise-baseline") {
    const baseline = options.baselineModel ?? "gpt-3.5-turbo";
    if (!models.includes(baseline)) models.push(baseline);
  }
  for (const model of models) {
    const answers = inputs.answers.get(model);
    if (answers === undefined) {
      missing.push({ kind: "model", model });
      continue;
    }
    for (const question of inputs.questions) {
      if (!answers.has(question.question_id)) {
        missing.push({ kind: "answer", model, questionId: question.question_id });
      }
    }
  }
  for (const question of inputs.questions) {
    if (!REFERENCE_CATEGORIES.includes(question.category)) continue;
    if (!inputs.references?.has(question.question_id)) {
      missing.push({ kind: "reference", questionId: question.question_id });
    }
  }
  return missing;
}
