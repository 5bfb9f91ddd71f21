import assert from "node:assert/strict";
import {
  checkMatchInputs,
  type JudgeSet,
  makeJudges,
  makeMatches,
  type MatchInputs,
  REFERENCE_CATEGORIES,
} from "../../lib/judge/mod.ts";
import type { JudgePrompt, ModelAnswer, Question } from "../../lib/data/types.ts";

const PROMPT_NAMES = [
  ["single-v1", "single"],
  ["single-math-v1", "single"],
  ["single-v1-multi-turn", "single"],
  ["single-math-v1-multi-turn", "single"],
  ["pair-v2", "pairwise"],
  ["pair-math-v1", "pairwise"],
  ["pair-v2-multi-turn", "pairwise"],
  ["pair-math-v1-multi-turn", "pairwise"],
] as const;

const PROMPTS = new Map<string, JudgePrompt>(PROMPT_NAMES.map(([name, type]) => [name, {
  name,
  type,
  system_prompt: "",
  prompt_template: "",
  description: "",
  category: "",
  output_format: type === "single" ? "[[rating]]" : "[[A]]",
}]));

const QUESTIONS: Question[] = [
  { question_id: 1, category: "writing", turns: ["w1", "w2"] },
  { question_id: 2, category: "math", turns: ["m1", "m2"] },
  { question_id: 3, category: "roleplay", turns: ["r1"] },
  { question_id: 4, category: "arena-hard-200", turns: ["h1"] },
];

function answers(models: string[]): Map<string, Map<number | string, ModelAnswer>> {
  return new Map(models.map((model) => [
    model,
    new Map(QUESTIONS.map((question) => [question.question_id, {
      question_id: question.question_id,
      model_id: model,
      choices: [{ index: 0, turns: question.turns.map((turn) => `${model}:${turn}`) }],
    }])),
  ]));
}

const REFERENCES = new Map<number | string, ModelAnswer>(
  [2, 4].map((
    id,
  ) => [id, { question_id: id, model_id: "gpt-4", choices: [{ index: 0, turns: ["r"] }] }]),
);

function inputs(
  models: string[],
  judges: JudgeSet,
): Omit<MatchInputs, "answers"> & { answers: ReturnType<typeof answers> } {
  return { questions: QUESTIONS, models, answers: answers(models), judges, references: REFERENCES };
}

Deno.test("makeMatches()", async (t) => {
  const single = makeJudges("judge", PROMPTS, "single");
  const pairwise = makeJudges("judge", PROMPTS, "pairwise");

  await t.step("treats math, reasoning, coding and arena-hard-200 as reference categories", () => {
    assert.deepEqual(REFERENCE_CATEGORIES, ["math", "reasoning", "coding", "arena-hard-200"]);
  });

  await t.step("builds single matches in FastChat's order, multi-turn only for two turns", () => {
    const matches = makeMatches(inputs(["a", "b"], single));
    const summary = matches.map((match) =>
      match.kind === "single"
        ? `${match.question.question_id}/${match.model}/${match.judge.prompt.name}`
        : "pair"
    );
    assert.deepEqual(summary, [
      "1/a/single-v1",
      "1/b/single-v1",
      "3/a/single-v1",
      "3/b/single-v1",
      "2/a/single-math-v1",
      "2/b/single-math-v1",
      "4/a/single-math-v1",
      "4/b/single-math-v1",
      "1/a/single-v1-multi-turn",
      "1/b/single-v1-multi-turn",
      "2/a/single-math-v1-multi-turn",
      "2/b/single-math-v1-multi-turn",
    ]);
    assert.ok(matches.filter((match) => match.judge.refBased).every((match) => match.reference));
    assert.ok(matches.filter((match) => !match.judge.refBased).every((match) => !match.reference));
  });

  await t.step("pits each model against the baseline, skipping the baseline itself", () => {
    const matches = makeMatches(inputs(["a", "gpt-3.5-turbo", "b"], pairwise), {
      mode: "pairwise-baseline",
    });
    assert.equal(matches.length, 2 * 6);
    for (const match of matches) {
      assert.equal(match.kind, "pair");
      if (match.kind === "pair") assert.equal(match.model2, "gpt-3.5-turbo");
    }
    const custom = makeMatches(inputs(["a", "b"], pairwise), {
      mode: "pairwise-baseline",
      baselineModel: "b",
    });
    assert.equal(custom.length, 6);
  });

  await t.step("makes every pair once in model-list order for pairwise-all", () => {
    const matches = makeMatches(inputs(["c", "a", "b"], pairwise), { mode: "pairwise-all" });
    assert.equal(matches.length, 3 * 6);
    const firstQuestion = matches.slice(0, 3).map((match) =>
      match.kind === "pair" ? `${match.model1}-${match.model2}` : ""
    );
    assert.deepEqual(firstQuestion, ["c-a", "c-b", "a-b"]);
  });

  await t.step("throws when an answer is missing", () => {
    const bad = inputs(["a"], single);
    bad.answers.get("a")!.delete(3);
    assert.throws(() => makeMatches(bad), /model "a" has no answer to question 3/);
  });

  await t.step("with onMissing skips the matches of a missing answer and reports each", () => {
    const withGap = inputs(["c", "a", "b"], pairwise);
    withGap.answers.get("a")!.delete(1);
    const skipped: string[] = [];
    const matches = makeMatches(withGap, {
      mode: "pairwise-all",
      onMissing: (models, id) => skipped.push(`${models.join("+")}@${id}`),
    });
    // Question 1 has two turns: the pairs c-a and a-b are skipped for each, c-b stays.
    assert.equal(matches.length, 3 * 6 - 4);
    assert.deepEqual(skipped, ["a@1", "a@1", "a@1", "a@1"]);
    assert.ok(
      !matches.some((match) =>
        match.kind === "pair" && match.question.question_id === 1 &&
        (match.model1 === "a" || match.model2 === "a")
      ),
    );
  });
});

Deno.test("checkMatchInputs() reports missing models, answers and references", () => {
  const judges = makeJudges("judge", PROMPTS, "pairwise");
  const data = inputs(["a"], judges);
  data.answers.get("a")!.delete(1);
  const missing = checkMatchInputs(
    { ...data, models: ["a", "ghost"], references: new Map([[2, REFERENCES.get(2)!]]) },
    { mode: "pairwise-baseline" },
  );
  assert.deepEqual(missing, [
    { kind: "answer", model: "a", questionId: 1 },
    { kind: "model", model: "ghost" },
    { kind: "model", model: "gpt-3.5-turbo" },
    { kind: "reference", questionId: 4 },
  ]);
});

Deno.test("makeJudges() names a missing prompt", () => {
  const prompts = new Map(PROMPTS);
  prompts.delete("pair-math-v1");
  assert.throws(() => makeJudges("judge", prompts, "pairwise"), /no prompt named "pair-math-v1"/);
});
