/** Small hand-made judge prompts, questions and matches for the judge tests. */
import type { JudgePrompt, ModelAnswer, Question } from "../../lib/data/types.ts";
import { makeJudges, makeMatches, type PreparedMatch, prepareMatch } from "../../lib/judge/mod.ts";

const TEMPLATES: Record<string, [string, string]> = {
  "single-v1": ["You are a helpful assistant.", "[Question]\n{question}\n\n[Answer]\n{answer}"],
  "single-math-v1": ["You are a helpful assistant.", "{question}|ref:{ref_answer_1}|{answer}"],
  "single-v1-multi-turn": ["Judge turn 2.", "{question_1}|{answer_1}|{question_2}|{answer_2}"],
  "single-math-v1-multi-turn": [
    "Judge turn 2 with reference.",
    "{question_1}|{ref_answer_1}|{question_2}|{ref_answer_2}|{answer_1}|{answer_2}",
  ],
  "pair-v2": [
    "Compare. Output [[A]], [[B]] or [[C]].",
    "{question}|Assistant A:{answer_a}|Assistant B:{answer_b}",
  ],
  "pair-math-v1": [
    "Compare with reference.",
    "{question}|{ref_answer_1}|Assistant A:{answer_a}|Assistant B:{answer_b}",
  ],
  "pair-v2-multi-turn": [
    "Compare turn 2.",
    "{question_1}|{question_2}|Assistant A:{answer_a_1}/{answer_a_2}|Assistant B:{answer_b_1}/{answer_b_2}",
  ],
  "pair-math-v1-multi-turn": [
    "Compare turn 2 with reference.",
    "{ref_answer_1}/{ref_answer_2}|Assistant A:{answer_a_1}/{answer_a_2}|Assistant B:{answer_b_1}/{answer_b_2}",
  ],
};

/** The eight FastChat prompt names with small templates. */
export function testPrompts(): Map<string, JudgePrompt> {
  return new Map(
    Object.entries(TEMPLATES).map(([name, [system, template]]) => [name, {
      name,
      type: name.startsWith("single") ? "single" : "pairwise",
      system_prompt: system,
      prompt_template: template,
      description: "",
      category: name.includes("math") ? "math" : "general",
      output_format: name.startsWith("single") ? "[[rating]]" : "[[A]]",
    }]),
  );
}

/** Questions 1..n: every third is math. */
export function testQuestions(count: number): Question[] {
  return Array.from({ length: count }, (_, index) => ({
    question_id: index + 1,
    category: index % 3 === 2 ? "math" : "writing",
    turns: [`Question ${index + 1}?`, `Follow-up ${index + 1}?`],
  }));
}

/** An answer of a model to a question. */
export function testAnswer(model: string, question: Question): ModelAnswer {
  return {
    question_id: question.question_id,
    answer_id: `${model}-${question.question_id}`,
    model_id: model,
    choices: [{ index: 0, turns: question.turns.map((turn) => `${model} answers ${turn}`) }],
    tstamp: 1700000000,
  };
}

/** Prepared matches for the given models and questions. */
export function testMatches(
  options: { models?: string[]; questions?: number; mode?: "single" | "pairwise-all" } = {},
): PreparedMatch[] {
  const models = options.models ?? ["model-a", "model-b"];
  const questions = testQuestions(options.questions ?? 3);
  const mode = options.mode ?? "single";
  const answers = new Map(models.map((model) => [
    model,
    new Map(questions.map((question) => [question.question_id, testAnswer(model, question)])),
  ]));
  const references = new Map(
    questions.map((question) => [question.question_id, testAnswer("gpt-4", question)]),
  );
  const judges = makeJudges("mock-judge", testPrompts(), mode === "single" ? "single" : "pairwise");
  return makeMatches({ questions, models, answers, judges, references }, { mode })
    .map((match) => prepareMatch(match, "test_bench"));
}
