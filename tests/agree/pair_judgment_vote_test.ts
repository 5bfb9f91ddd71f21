import assert from "node:assert/strict";
import { pairJudgmentVote } from "../../lib/agree/mod.ts";
import type { PairJudgment, PairWinner } from "../../lib/data/types.ts";

const record = (
  g1: PairWinner,
  g2: PairWinner,
  extra: Partial<PairJudgment> = {},
): PairJudgment => ({
  question_id: 81,
  model_1: "phi-3",
  model_2: "phi-3-dpo",
  g1_winner: g1,
  g2_winner: g2,
  judge: ["gpt-4", "pair-v2"],
  turn: 1,
  ...extra,
});

Deno.test("pairJudgmentVote()", async (t) => {
  await t.step("maps consistent games: model_1 to model_a, model_2 to model_b, tie to tie", () => {
    assert.deepEqual(pairJudgmentVote(record("model_1", "model_1")), {
      question_id: 81,
      model_a: "phi-3",
      model_b: "phi-3-dpo",
      winner: "model_a",
      turn: 1,
    });
    assert.equal(pairJudgmentVote(record("model_2", "model_2"))!.winner, "model_b");
    assert.equal(pairJudgmentVote(record("tie", "tie"))!.winner, "tie");
  });
  await t.step("returns tie (inconsistent) when the two games differ", () => {
    assert.equal(pairJudgmentVote(record("model_1", "model_2"))!.winner, "tie (inconsistent)");
    assert.equal(pairJudgmentVote(record("tie", "model_2"))!.winner, "tie (inconsistent)");
  });
  await t.step("returns undefined for a failed game", () => {
    assert.equal(pairJudgmentVote(record("model_1", "error")), undefined);
    assert.equal(pairJudgmentVote(record("error", "error")), undefined);
    assert.equal(pairJudgmentVote(record("tie", "tie", { error: "timeout" })), undefined);
  });
  await t.step("keeps the turn and a string question id", () => {
    const vote = pairJudgmentVote(record("tie", "tie", { turn: 2, question_id: "arena-7" }))!;
    assert.equal(vote.turn, 2);
    assert.equal(vote.question_id, "arena-7");
  });
});
