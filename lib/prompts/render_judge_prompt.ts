import type { JudgePrompt } from "../data/types.ts";
import { formatFields } from "./format_fields.ts";
import { formatPython, type TemplateValues } from "./format_python.ts";

/** A chat message sent to a judge. */
export interface JudgeMessage {
  /** `system` (the prompt's system message) or `user` (the rendered template). */
  role: "system" | "user";
  /** The message text. */
  content: string;
}

/** What a judge prompt is rendered from. */
export interface JudgePromptInput {
  /** The question's turns (one prompt per turn). */
  questionTurns: readonly string[];
  /**
   * The answers' turns (choice 0): one answer for a `single` prompt, two
   * (assistant A, then assistant B) for a `pairwise` prompt.
   */
  answers: readonly (readonly string[])[];
  /**
   * The reference answer's turns, for reference-based (`*-math-*`) prompts.
   * @default {undefined}
   */
  referenceTurns?: readonly string[] | undefined;
  /**
   * Judge the second turn with the whole conversation (`*-multi-turn` prompts).
   * @default {false}
   */
  multiTurn?: boolean;
  /**
   * Language the question declares (`lang` in ServiceNow's multilingual
   * benches), filled into `{lang}` and `{lang1}`.
   * @default {undefined}
   */
  lang?: string | undefined;
}

/** A rendered judge prompt. */
export interface RenderedJudgePrompt {
  /** System message: the prompt's `system_prompt`. */
  system: string;
  /** User message: the rendered `prompt_template`; FastChat stores it as `user_prompt`. */
  user: string;
  /** The messages as sent: system (left out when empty, as FastChat does) then user. */
  messages: JudgeMessage[];
}

const LANG_FIELDS = ["lang", "lang1"];

/**
 * Renders a FastChat judge prompt exactly as FastChat's `run_judge_single` /
 * `run_judge_pair` do: Python `str.format` of the `prompt_template` with
 * `question`/`answer` (single), `answer_a`/`answer_b` (pairwise), the
 * `_1`/`_2` variants for multi-turn prompts, and `ref_answer_1` (plus
 * `ref_answer_2` for multi-turn) when a reference is given. The
 * `system_prompt` becomes the system message.
 *
 * Multilingual prompts (ServiceNow's `judge_prompts_multilingual.jsonl`) name
 * `{lang}`/`{lang1}`; both get the question's language, and the system prompt
 * is then formatted too, as in ServiceNow's fork. Other system prompts are
 * sent as stored.
 *
 * Throws a `RangeError` when the prompt needs something the input lacks (a
 * second turn, a reference, a language) or the number of answers does not
 * fit the prompt's type.
 *
 * @example Render a single-answer prompt
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderJudgePrompt } from "./render_judge_prompt.ts";
 * const prompt = {
 *   name: "single-v1", type: "single" as const, system_prompt: "You are a helpful assistant.",
 *   prompt_template: "[Question]\n{question}\n\n[Answer]\n{answer}", description: "",
 *   category: "general", output_format: "[[rating]]",
 * };
 * const rendered = renderJudgePrompt(prompt, { questionTurns: ["2+2?"], answers: [["4"]] });
 * assert.equal(rendered.user, "[Question]\n2+2?\n\n[Answer]\n4");
 * assert.equal(rendered.messages.length, 2);
 * assert.equal(rendered.messages[0]!.role, "system");
 * ```
 */
export function renderJudgePrompt(
  prompt: JudgePrompt,
  input: JudgePromptInput,
): RenderedJudgePrompt {
  const multiTurn = input.multiTurn ?? false;
  const expected = prompt.type === "single" ? 1 : 2;
  if (input.answers.length !== expected) {
    throw new RangeError(
      `Cannot render judge prompt "${prompt.name}": a ${prompt.type} prompt takes ${expected} answer(s), got ${input.answers.length}`,
    );
  }
  const turns = multiTurn ? 2 : 1;
  const question = take(input.questionTurns, turns, prompt.name, "question");
  const values: Record<string, string> = {};
  if (input.referenceTurns !== undefined) {
    values.ref_answer_1 = take(input.referenceTurns, 1, prompt.name, "reference answer")[0]!;
    if (multiTurn) {
      values.ref_answer_2 = take(input.referenceTurns, 2, prompt.name, "reference answer")[1]!;
    }
  }
  if (multiTurn) {
    values.question_1 = question[0]!;
    values.question_2 = question[1]!;
  } else {
    values.question = question[0]!;
  }
  if (prompt.type === "single") {
    const answer = take(input.answers[0]!, turns, prompt.name, "answer");
    if (multiTurn) {
      values.answer_1 = answer[0]!;
      values.answer_2 = answer[1]!;
    } else {
      values.answer = answer[0]!;
    }
  } else {
    const answerA = take(input.answers[0]!, turns, prompt.name, "answer A");
    const answerB = take(input.answers[1]!, turns, prompt.name, "answer B");
    if (multiTurn) {
      values.answer_a_1 = answerA[0]!;
      values.answer_b_1 = answerB[0]!;
      values.answer_a_2 = answerA[1]!;
      values.answer_b_2 = answerB[1]!;
    } else {
      values.answer_a = answerA[0]!;
      values.answer_b = answerB[0]!;
    }
  }
  let system = prompt.system_prompt;
  if (isMultilingual(prompt)) {
    if (input.lang === undefined) {
      throw new RangeError(
        `Cannot render judge prompt "${prompt.name}": it names {lang}, but the question declares no "lang"`,
      );
    }
    const lang: TemplateValues = { lang: input.lang, lang1: input.lang };
    system = formatPython(system, lang);
    Object.assign(values, lang);
  }
  const user = formatPython(prompt.prompt_template, values);
  const messages: JudgeMessage[] = system === "" ? [] : [{ role: "system", content: system }];
  messages.push({ role: "user", content: user });
  return { system, user, messages };
}

function isMultilingual(prompt: JudgePrompt): boolean {
  return [prompt.system_prompt, prompt.prompt_template].some((text) =>
    formatFields(text).some((field) => LANG_FIELDS.includes(field))
  );
}

function take(
  turns: readonly string[],
  count: number,
  name: string,
  what: string,
): readonly string[] {
  if (turns.length < count) {
    throw new RangeError(
      `Cannot render judge prompt "${name}": the ${what} has ${turns.length} turn(s), ${count} needed`,
    );
  }
  return turns;
}
