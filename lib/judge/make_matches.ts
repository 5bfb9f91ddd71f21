import type { ModelAnswer, Question, QuestionId } from "../data/types.ts";
import type { Judge, JudgeMode, JudgeSet, Match } from "./types.ts";

/** Categories judged against a reference answer (FastChat's `NEED_REF_CATS`). */
export const REFERENCE_CATEGORIES: readonly string[] = [
  "math",
  "reasoning",
  "coding",
  "arena-hard-200",
];

/** The inputs matches are built from. */
export interface MatchInputs {
  /** Questions, in file order (after `--first-n`). */
  questions: readonly Question[];
  /** Models to judge (`--model-list`, or every answer file). */
  models: readonly string[];
  /** Answers: model name → question id → answer, as FastChat's `load_model_answers`. */
  answers: ReadonlyMap<string, ReadonlyMap<QuestionId, ModelAnswer>>;
  /** The judges of the mode, from `makeJudges`. */
  judges: JudgeSet;
  /** The judge's reference answers by question id (`reference_answer/<judge>.jsonl`). */
  references?: ReadonlyMap<QuestionId, ModelAnswer> | undefined;
}

/** Options for {@linkcode makeMatches} and `checkMatchInputs`. */
export interface MakeMatchesOptions {
  /**
   * Evaluation mode.
   * @default {"single"}
   */
  mode?: JudgeMode;
  /**
   * Baseline of `pairwise-baseline` mode.
   * @default {"gpt-3.5-turbo"}
   */
  baselineModel?: string;
  /**
   * Skips a match with a missing answer (`judge --skip-missing`) and calls
   * this once per skipped match, with the models whose answers are missing
   * and the question; without it a missing answer throws.
   * @default {undefined}
   */
  onMissing?: ((models: readonly string[], questionId: QuestionId) => void) | undefined;
}

/**
 * Builds the matches exactly as FastChat's `gen_judgment.py`: questions are
 * split into reference categories ({@linkcode REFERENCE_CATEGORIES}) and the
 * rest, and matches are made in FastChat's order — default judge, math judge
 * (with references), default multi-turn, math multi-turn — by
 * `make_match_single`, `make_match` (each model against the baseline, the
 * baseline itself skipped) or `make_match_all_pairs` (each pair once, in
 * model-list order). Multi-turn matches exist only for two-turn questions.
 *
 * Throws a `RangeError` when an answer or reference is missing (an answer
 * only without `onMissing`); check first with `checkMatchInputs` for a full
 * report.
 *
 * @example Two models, pairwise against a baseline
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeMatches } from "./make_matches.ts";
 * const prompt = (name: string) => ({
 *   name, type: "pairwise" as const, system_prompt: "", prompt_template: "",
 *   description: "", category: "", output_format: "[[A]]",
 * });
 * const judge = (name: string, refBased: boolean, multiTurn: boolean) =>
 *   ({ name: "gpt-4", prompt: prompt(name), refBased, multiTurn });
 * const answer = (model: string) => ({ question_id: 1, model_id: model, choices: [{ index: 0, turns: ["a", "b"] }] });
 * const matches = makeMatches({
 *   questions: [{ question_id: 1, category: "writing", turns: ["q1", "q2"] }],
 *   models: ["m", "gpt-3.5-turbo"],
 *   answers: new Map([["m", new Map([[1, answer("m")]])], ["gpt-3.5-turbo", new Map([[1, answer("b")]])]]),
 *   judges: {
 *     default: judge("pair-v2", false, false), math: judge("pair-math-v1", true, false),
 *     defaultMultiTurn: judge("pair-v2-multi-turn", false, true), mathMultiTurn: judge("pair-math-v1-multi-turn", true, true),
 *   },
 * }, { mode: "pairwise-baseline" });
 * assert.equal(matches.length, 2); // turn 1 and turn 2, baseline vs itself skipped
 * ```
 */
export function makeMatches(inputs: MatchInputs, options: MakeMatchesOptions = {}): Match[] {
  const mode = options.mode ?? "single";
  const baseline = options.baselineModel ?? "gpt-3.5-turbo";
  const referenceQuestions = inputs.questions.filter((question) =>
    REFERENCE_CATEGORIES.includes(question.category)
  );
  const defaultQuestions = inputs.questions.filter((question) =>
    !REFERENCE_CATEGORIES.includes(question.category)
  );
  const { judges } = inputs;
  // The answers of a match's models, or undefined (reported) when one is missing.
  const answersOf = (models: string[], id: QuestionId): ModelAnswer[] | undefined => {
    const found = models.map((model) => inputs.answers.get(model)?.get(id));
    const missing = models.filter((_, index) => found[index] === undefined);
    if (missing.length === 0) return found as ModelAnswer[];
    if (options.onMissing === undefined) {
      throw new RangeError(
        `Cannot make matches: model "${missing[0]}" has no answer to question ${
          JSON.stringify(id)
        }`,
      );
    }
    options.onMissing(missing, id);
    return undefined;
  };
  const make = (questions: readonly Question[], judge: Judge) =>
    makeFor(inputs, questions, judge, { mode, baseline, answersOf });
  return [
    ...make(defaultQuestions, judges.default),
    ...make(referenceQuestions, judges.math),
    ...make(defaultQuestions, judges.defaultMultiTurn),
    ...make(referenceQuestions, judges.mathMultiTurn),
  ];
}

function makeFor(
  inputs: MatchInputs,
  questions: readonly Question[],
  judge: Judge,
  how: {
    mode: JudgeMode;
    baseline: string;
    answersOf: (models: string[], id: QuestionId) => ModelAnswer[] | undefined;
  },
): Match[] {
  const matches: Match[] = [];
  const { models } = inputs;
  const { mode, baseline, answersOf } = how;
  for (const question of questions) {
    if (judge.multiTurn && question.turns.length !== 2) continue;
    const id = question.question_id;
    const reference = judge.refBased ? referenceFor(inputs, id) : undefined;
    const base = { question, judge, reference, multiTurn: judge.multiTurn };
    const pair = (model1: string, model2: string) => {
      const answers = answersOf([model1, model2], id);
      if (answers === undefined) return;
      const [answer1, answer2] = answers as [ModelAnswer, ModelAnswer];
      matches.push({ kind: "pair", ...base, model1, model2, answer1, answer2 });
    };
    if (mode === "single") {
      for (const model of models) {
        const answer = answersOf([model], id)?.[0];
        if (answer !== undefined) matches.push({ kind: "single", ...base, model, answer });
      }
    } else if (mode === "pairwise-baseline") {
      for (const model of models) {
        if (model !== baseline) pair(model, baseline);
      }
    } else {
      for (let i = 0; i < models.length; i++) {
        for (let j = i + 1; j < models.length; j++) pair(models[i]!, models[j]!);
      }
    }
  }
  return matches;
}

function referenceFor(inputs: MatchInputs, id: QuestionId): ModelAnswer {
  const reference = inputs.references?.get(id);
  if (reference === undefined) {
    throw new RangeError(
      `Cannot make matches: no reference answer to question ${JSON.stringify(id)}`,
    );
  }
  return reference;
}
