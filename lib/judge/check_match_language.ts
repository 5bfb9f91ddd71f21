import type { JudgedGame } from "./build_record.ts";
import { checkAnswerLanguage } from "./check_answer_language.ts";
import type { PreparedMatch } from "./prepare_match.ts";

/**
 * The `--check-language` precheck for `judgeMatches`, on a whole match (see
 * {@linkcode checkAnswerLanguage} for one text): a single match whose
 * question declares a language (`lang`) and whose judged answer turn is
 * clearly in another one is scored 1 without calling the judge, as the
 * Finnish MT-Bench fork does. The record says so in its judgment and in
 * `provenance.language_check`. Pair matches and questions without `lang` go
 * to the judge.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkMatchLanguage } from "./check_match_language.ts";
 * import { prepareMatch } from "./prepare_match.ts";
 * const prompt = { name: "single-v1", type: "single" as const, system_prompt: "", prompt_template: "{question} {answer}", description: "", category: "", output_format: "[[rating]]" };
 * const prepared = prepareMatch({
 *   kind: "single", question: { question_id: 1, category: "writing", turns: ["Wie geht es?"], lang: "German" },
 *   model: "m", judge: { name: "j", prompt, refBased: false, multiTurn: false }, multiTurn: false,
 *   answer: { question_id: 1, model_id: "m", choices: [{ index: 0, turns: ["I am doing very well, thank you for asking. How are you doing today, my dear friend? The weather is lovely."] }] },
 * }, "mt_bench_de");
 * const games = checkMatchLanguage(prepared);
 * assert.equal(games?.[0]?.verdict.kind, "rating");
 * ```
 */
export function checkMatchLanguage(prepared: PreparedMatch): JudgedGame[] | undefined {
  const { match } = prepared;
  if (match.kind !== "single" || match.question.lang === undefined) return undefined;
  const turn = match.multiTurn ? 1 : 0;
  const text = match.answer.choices[0]?.turns[turn];
  if (text === undefined) return undefined;
  const check = checkAnswerLanguage(text, match.question.lang);
  if (check === undefined || check.ok) return undefined;
  return [{
    prompt: prepared.games[0]!,
    judgment:
      `[language check] The answer is in "${check.detected}", but the question declares ${match.question.lang} ("${check.expected}"): rated [[1]] without calling the judge.`,
    verdict: { kind: "rating", score: 1, literal: "1" },
    attempts: 0,
    languageCheck: { expected: check.expected, detected: check.detected },
  }];
}
