import { type RenderedJudgePrompt, renderJudgePrompt } from "../prompts/render_judge_prompt.ts";
import type { Match } from "./types.ts";

/**
 * Renders the prompts of a match as FastChat sends them: one game for a
 * single match; two for a pair match, `g1` with model 1 as assistant A and
 * `g2` with model 2 as assistant A. Answers and references use choice 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderMatch } from "./render_match.ts";
 * const prompt = {
 *   name: "pair-v2", type: "pairwise" as const, system_prompt: "Judge.",
 *   prompt_template: "{question}|A:{answer_a}|B:{answer_b}", description: "", category: "general",
 *   output_format: "[[A]]",
 * };
 * const answer = (text: string) => ({ question_id: 1, model_id: text, choices: [{ index: 0, turns: [text] }] });
 * const games = renderMatch({
 *   kind: "pair", question: { question_id: 1, category: "writing", turns: ["Q"] },
 *   model1: "x", model2: "y", answer1: answer("x"), answer2: answer("y"),
 *   judge: { name: "gpt-4", prompt, refBased: false, multiTurn: false }, multiTurn: false,
 * });
 * assert.equal(games[0]!.user, "Q|A:x|B:y");
 * assert.equal(games[1]!.user, "Q|A:y|B:x");
 * ```
 */
export function renderMatch(match: Match): RenderedJudgePrompt[] {
  const base = {
    questionTurns: match.question.turns,
    referenceTurns: match.reference?.choices[0]?.turns,
    multiTurn: match.multiTurn,
    lang: match.question.lang,
  };
  const prompt = match.judge.prompt;
  if (match.kind === "single") {
    return [renderJudgePrompt(prompt, { ...base, answers: [turnsOf(match.answer)] })];
  }
  const a1 = turnsOf(match.answer1);
  const a2 = turnsOf(match.answer2);
  return [
    renderJudgePrompt(prompt, { ...base, answers: [a1, a2] }),
    renderJudgePrompt(prompt, { ...base, answers: [a2, a1] }),
  ];
}

function turnsOf(answer: { choices: { turns: string[] }[] }): string[] {
  return answer.choices[0]?.turns ?? [];
}
