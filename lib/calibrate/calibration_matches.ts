import { REFERENCE_CATEGORIES } from "../judge/make_matches.ts";
import type { JudgeSet, Match } from "../judge/types.ts";
import type { ModelAnswer, Question, QuestionId } from "../data/types.ts";
import type { HumanBench, HumanBenchItem } from "./types.ts";

/** Options for {@linkcode calibrationMatches}. */
export interface CalibrationMatchesOptions {
  /**
   * Reference answers by question id, for the math, reasoning and coding
   * questions (FastChat's `NEED_REF_CATS`).
   * @default {undefined} (a reference question is then a RangeError)
   */
  references?: ReadonlyMap<QuestionId, ModelAnswer> | undefined;
}

/**
 * The matches that judge exactly the human-study items: for pairwise judges,
 * one match per (question, model pair, turn) an expert voted on, played in
 * both orders by the judge pipeline (`model_1` is the model that sorts first,
 * as `judge --mode pairwise-all` over sorted answer files, so both commands
 * share records); for single judges, one match per (question, model, turn)
 * the items need. Judges are picked as FastChat's `gen_judgment.py` does:
 * reference-based for math/reasoning/coding, multi-turn for turn 2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { calibrationMatches } from "./calibration_matches.ts";
 * const prompt = { name: "p", type: "pairwise" as const, system_prompt: "", prompt_template: "", description: "", category: "", output_format: "[[A]]" };
 * const judge = (refBased: boolean, multiTurn: boolean) => ({ name: "j", prompt, refBased, multiTurn });
 * const judges = { default: judge(false, false), math: judge(true, false), defaultMultiTurn: judge(false, true), mathMultiTurn: judge(true, true) };
 * const answer = (model: string) => ({ question_id: 81, model_id: model, choices: [{ index: 0, turns: ["x", "y"] }] });
 * const bench = {
 *   name: "mt_bench_human", questions: [{ question_id: 81, category: "writing", turns: ["q1", "q2"] }],
 *   answers: new Map([["a", [answer("a")]], ["b", [answer("b")]]]), unavailable: [], sources: {},
 *   items: [{ question_id: 81, model_a: "a", model_b: "b", turn: 2, votes: [] }],
 * };
 * const [pair] = calibrationMatches(bench, bench.items, judges, "pair");
 * assert.ok(pair!.kind === "pair" && pair!.multiTurn && pair!.model1 === "a");
 * assert.equal(calibrationMatches(bench, bench.items, judges, "single").length, 2);
 * ```
 */
export function calibrationMatches(
  bench: HumanBench,
  items: readonly HumanBenchItem[],
  judges: JudgeSet,
  kind: "pair" | "single",
  options: CalibrationMatchesOptions = {},
): Match[] {
  const questions = new Map<QuestionId, Question>(
    bench.questions.map((question) => [question.question_id, question]),
  );
  const answers = new Map<string, Map<QuestionId, ModelAnswer>>();
  for (const [model, list] of bench.answers) {
    answers.set(model, new Map(list.map((answer) => [answer.question_id, answer])));
  }
  const answerOf = (model: string, id: QuestionId) => {
    const answer = answers.get(model)?.get(id);
    if (answer === undefined) {
      throw new RangeError(
        `Cannot make calibration matches: model "${model}" has no answer to question ${id}`,
      );
    }
    return answer;
  };
  const matches: Match[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const question = questions.get(item.question_id);
    if (question === undefined) {
      throw new RangeError(
        `Cannot make calibration matches: question ${item.question_id} is not in the bench`,
      );
    }
    const multiTurn = item.turn === 2;
    const refBased = REFERENCE_CATEGORIES.includes(question.category);
    const judge = refBased
      ? (multiTurn ? judges.mathMultiTurn : judges.math)
      : (multiTurn ? judges.defaultMultiTurn : judges.default);
    let reference: ModelAnswer | undefined;
    if (refBased) {
      reference = options.references?.get(item.question_id);
      if (reference === undefined) {
        throw new RangeError(
          `Cannot make calibration matches: no reference answer to question ${item.question_id} (category "${question.category}")`,
        );
      }
    }
    const base = { question, judge, reference, multiTurn };
    if (kind === "pair") {
      matches.push({
        kind: "pair",
        ...base,
        model1: item.model_a,
        model2: item.model_b,
        answer1: answerOf(item.model_a, item.question_id),
        answer2: answerOf(item.model_b, item.question_id),
      });
      continue;
    }
    for (const model of [item.model_a, item.model_b]) {
      const key = `${item.turn}|${item.question_id}|${model}`;
      if (seen.has(key)) continue;
      seen.add(key);
      matches.push({ kind: "single", ...base, model, answer: answerOf(model, item.question_id) });
    }
  }
  return matches;
}
