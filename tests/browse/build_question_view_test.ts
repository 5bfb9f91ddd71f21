import assert from "node:assert/strict";
import { buildQuestionView } from "../../lib/browse/mod.ts";
import type { HumanVote } from "../../lib/data/types.ts";

const question = { question_id: 81, category: "writing", turns: ["Q1", "Q2"] };
const version = (source: "file" | "earlier" | "voted", text: string) => ({
  source,
  path: `${source}.jsonl`,
  turns: [text, `${text} 2`],
});
const vote = (modelA: string, modelB: string, winner: string, judge: HumanVote["judge"]) => ({
  question_id: 81,
  model_a: modelA,
  model_b: modelB,
  winner,
  judge,
  turn: 1,
});

Deno.test("buildQuestionView()", async (t) => {
  await t.step("keeps the votes on the pair shown, in either order", () => {
    const view = buildQuestionView({
      bench: "mt_bench",
      question,
      references: [],
      answers: [
        { model: "a", versions: [version("file", "A")] },
        { model: "b", versions: [version("file", "B")] },
      ],
      votes: [
        vote("a", "b", "model_a", "expert_1"),
        vote("b", "a", "tie", "author_0"),
        vote("a", "c", "model_b", "expert_1"),
        vote("b", "a", "model_b", ["gpt-4", "pair-v2"]),
      ],
    });
    assert.deepEqual(
      view.votes.map((item) => [item.group, item.judge, item.winnerModel]),
      [["gpt4-pair", "gpt-4/pair-v2", "a"], ["human", "expert_1", "a"], [
        "author",
        "author_0",
        null,
      ]],
    );
  });

  await t.step("with one model keeps every vote that includes it", () => {
    const view = buildQuestionView({
      bench: "mt_bench",
      question,
      references: [],
      answers: [{ model: "c", versions: [version("file", "C")] }],
      votes: [vote("a", "b", "model_a", "expert_1"), vote("a", "c", "model_b", "expert_1")],
    });
    assert.deepEqual(view.votes.map((item) => item.winnerModel), ["c"]);
  });

  await t.step("prefers what the humans saw when votes are shown, else the answer file", () => {
    const all = [version("file", "F"), version("earlier", "E"), version("voted", "V")];
    const noConversation = [version("file", "F"), version("earlier", "E")];
    const withVotes = buildQuestionView({
      bench: "mt_bench",
      question,
      references: [],
      answers: [{ model: "a", versions: all }, { model: "b", versions: noConversation }],
      votes: [vote("a", "b", "tie", "expert_0")],
    });
    assert.deepEqual(withVotes.answers.map((answer) => answer.preferred), ["voted", "earlier"]);
    const withoutVotes = buildQuestionView({
      bench: "mt_bench",
      question,
      references: [],
      answers: [
        { model: "a", versions: all },
        { model: "b", versions: [version("voted", "V")] },
        { model: "c", versions: [] },
      ],
      votes: [],
    });
    assert.deepEqual(
      withoutVotes.answers.map((answer) => answer.preferred),
      ["file", "voted", null],
    );
  });

  await t.step("passes errors and warnings through", () => {
    const error = { kind: "data" as const, message: "bad", file: "x.jsonl", line: 2 };
    const view = buildQuestionView({
      bench: "b",
      question,
      references: [{ name: "gpt-4", turns: ["R"] }],
      answers: [{ model: "a", versions: [], error }],
      votes: [],
      warnings: [error],
    });
    assert.deepEqual(view.answers[0]!.error, error);
    assert.deepEqual(view.warnings, [error]);
    assert.deepEqual(view.references, [{ name: "gpt-4", turns: ["R"] }]);
  });
});
