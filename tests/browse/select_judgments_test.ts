import assert from "node:assert/strict";
import { type JudgmentLine, selectJudgments } from "../../lib/browse/mod.ts";

const judge: [string, string] = ["gpt-4", "pair-v2"];
const lines: JudgmentLine[] = [
  { line: 1, record: { question_id: 81, model: "a", judge, score: 7, turn: 2, judgment: "[[7]]" } },
  { line: 2, record: { question_id: 81, model: "b", judge, score: -1, turn: 1, error: "timeout" } },
  { line: 3, record: { question_id: 81, model: "c", judge, score: 5, turn: 1 } },
  {
    line: 4,
    record: {
      question_id: 81,
      model_1: "b",
      model_2: "a",
      g1_winner: "model_1",
      g2_winner: "tie",
      judge,
      turn: 1,
      g1_judgment: "[[A]]",
    },
  },
  {
    line: 5,
    record: {
      question_id: 81,
      model_1: "a",
      model_2: "c",
      g1_winner: "error",
      g2_winner: "error",
      judge,
      turn: 1,
    },
  },
];

Deno.test("selectJudgments()", async (t) => {
  await t.step("with two models: their grades and the pair's games, by turn", () => {
    const views = selectJudgments(lines, ["a", "b"]);
    assert.deepEqual(views.map((view) => view.line), [2, 4, 1]);
    assert.deepEqual(views[0], {
      kind: "single",
      line: 2,
      judge,
      turn: 1,
      model: "b",
      score: -1,
      judgment: "",
      error: "timeout",
    });
    assert.deepEqual(views[1], {
      kind: "pair",
      line: 4,
      judge,
      turn: 1,
      model_1: "b",
      model_2: "a",
      g1_winner: "model_1",
      g2_winner: "tie",
      g1_judgment: "[[A]]",
      g2_judgment: "",
    });
  });

  await t.step("with one model: its grades and every game it played", () => {
    assert.deepEqual(selectJudgments(lines, ["a"]).map((view) => view.line), [4, 5, 1]);
  });

  await t.step("with no model: nothing", () => {
    assert.deepEqual(selectJudgments(lines, []), []);
  });
});
