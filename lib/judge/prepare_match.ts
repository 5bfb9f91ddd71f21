import { createHash } from "node:crypto";
import type { RenderedJudgePrompt } from "../prompts/render_judge_prompt.ts";
import { renderMatch } from "./render_match.ts";
import type { Match } from "./types.ts";

/** A match with its prompts rendered and its resume keys computed. */
export interface PreparedMatch {
  /** The match prepared. */
  match: Match;
  /** Rendered prompts: one game (single) or two (pair: g1, g2). */
  games: RenderedJudgePrompt[];
  /** sha256 (hex) of the judged answer turns. */
  answerSha256: string;
  /**
   * Resume keys: the match is done when an output record has any of them
   * (see `recordKey`). The first is the answer-hash key.
   */
  keys: string[];
}

/**
 * Renders a match and computes its resume keys from the bench, question,
 * model(s), turn, judge, prompt name and a hash of the judged answers. A
 * second key uses a hash of the rendered (g1) user prompt instead, so records
 * written by FastChat itself — which have no answer hash — also count as
 * done when their prompt is the same.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareMatch } from "./prepare_match.ts";
 * const prompt = { name: "single-v1", type: "single" as const, system_prompt: "", prompt_template: "{question} {answer}", description: "", category: "", output_format: "[[rating]]" };
 * const prepared = prepareMatch({
 *   kind: "single", question: { question_id: 81, category: "writing", turns: ["q"] }, model: "m",
 *   answer: { question_id: 81, model_id: "m", choices: [{ index: 0, turns: ["a"] }] },
 *   judge: { name: "gpt-4", prompt, refBased: false, multiTurn: false }, multiTurn: false,
 * }, "mt_bench");
 * assert.equal(prepared.games[0]!.user, "q a");
 * assert.equal(prepared.keys.length, 3);
 * ```
 */
export function prepareMatch(match: Match, bench: string): PreparedMatch {
  const games = renderMatch(match);
  const turns = match.multiTurn ? 2 : 1;
  const answers = match.kind === "single" ? [match.answer.choices[0]!.turns.slice(0, turns)] : [
    match.answer1.choices[0]!.turns.slice(0, turns),
    match.answer2.choices[0]!.turns.slice(0, turns),
  ];
  const answerSha256 = sha256(JSON.stringify(answers));
  const models = match.kind === "single" ? match.model : [match.model1, match.model2];
  const base = [
    bench,
    match.question.question_id,
    models,
    match.multiTurn ? 2 : 1,
    match.judge.name,
    match.judge.prompt.name,
  ];
  return {
    match,
    games,
    answerSha256,
    keys: [
      JSON.stringify(["answer", ...base, answerSha256]),
      JSON.stringify(["prompt", ...base, sha256(games[0]!.user)]),
      JSON.stringify(["bare", ...base]),
    ],
  };
}

/**
 * A {@linkcode prepareMatch} result that holds no prompt text: `games` are
 * rendered again on each read and dropped, and the keys (which hash the first
 * prompt) are computed on first read. For counts and cost estimates over
 * many matches (`judge --dry-run` of pairwise-all renders 148,800 prompts,
 * about 750 MB of text if held).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareMatch, prepareMatchLazily } from "./prepare_match.ts";
 * const prompt = { name: "single-v1", type: "single" as const, system_prompt: "", prompt_template: "{question} {answer}", description: "", category: "", output_format: "[[rating]]" };
 * const match = {
 *   kind: "single" as const, question: { question_id: 81, category: "writing", turns: ["q"] }, model: "m",
 *   answer: { question_id: 81, model_id: "m", choices: [{ index: 0, turns: ["a"] }] },
 *   judge: { name: "gpt-4", prompt, refBased: false, multiTurn: false }, multiTurn: false,
 * };
 * const lazy = prepareMatchLazily(match, "mt_bench");
 * const eager = prepareMatch(match, "mt_bench");
 * assert.deepEqual(lazy.keys, eager.keys);
 * assert.deepEqual(lazy.games, eager.games);
 * ```
 */
export function prepareMatchLazily(match: Match, bench: string): PreparedMatch {
  let keyed: { keys: string[]; answerSha256: string } | undefined;
  const keyedOnce = () => {
    if (keyed === undefined) {
      const { keys, answerSha256 } = prepareMatch(match, bench);
      keyed = { keys, answerSha256 };
    }
    return keyed;
  };
  return {
    match,
    get games() {
      return renderMatch(match);
    },
    get keys() {
      return keyedOnce().keys;
    },
    get answerSha256() {
      return keyedOnce().answerSha256;
    },
  };
}

/** Hex sha256 of a UTF-8 string. */
export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
