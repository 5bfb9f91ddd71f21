import assert from "node:assert/strict";
import {
  addSingleScoreVotes,
  computeAgreement,
  ScoreIndex,
  singleScoreWinner,
  VoteTally,
} from "../../lib/agree/mod.ts";
import { DataError } from "../../lib/data/mod.ts";
import type { SingleJudgment } from "../../lib/data/types.ts";
import { humanVote } from "./_votes.ts";

const grade = (
  model: string,
  score: number,
  extra: Partial<SingleJudgment> = {},
): SingleJudgment => ({
  question_id: 81,
  model,
  judge: ["gpt-4", "single-v1"],
  score,
  turn: 1,
  ...extra,
});

Deno.test("singleScoreWinner()", async (t) => {
  await t.step("returns the higher score's side outside the 0.1 tie delta", () => {
    assert.equal(singleScoreWinner(8, 7), "model_a");
    assert.equal(singleScoreWinner(7, 8.5), "model_b");
    assert.equal(singleScoreWinner(7.2, 7), "model_a");
  });
  await t.step("returns tie within 0.1, the boundary included", () => {
    assert.equal(singleScoreWinner(7, 7), "tie");
    assert.equal(singleScoreWinner(7.05, 7), "tie");
    assert.equal(singleScoreWinner(7.5, 7.6), "tie");
    assert.equal(singleScoreWinner(7, 7.1), "tie");
  });
  await t.step("takes another tie delta", () => {
    assert.equal(singleScoreWinner(8, 7, 1), "tie");
    assert.equal(singleScoreWinner(7.05, 7, 0), "model_a");
  });
});

Deno.test("ScoreIndex", async (t) => {
  await t.step("skips and counts failed grades (score -1 or an error field)", () => {
    const scores = new ScoreIndex("gpt-4_single");
    assert.equal(scores.add(grade("a", -1)), false);
    assert.equal(scores.add(grade("b", 5, { error: "timeout" })), false);
    assert.equal(scores.add(grade("c", 5)), true);
    assert.equal(scores.failed, 2);
    assert.equal(scores.size, 1);
  });
  await t.step("rejects a second grade for the same model, question and turn", () => {
    const scores = new ScoreIndex("gpt-4_single");
    scores.add(grade("a", 5));
    scores.add(grade("a", 5, { turn: 2 }));
    assert.throws(
      () => scores.add(grade("a", 6), { file: "s.jsonl", line: 3 }),
      (error: unknown) => {
        assert.ok(error instanceof DataError);
        assert.equal(error.line, 3);
        assert.equal(error.field, "model");
        return true;
      },
    );
  });
});

Deno.test("addSingleScoreVotes()", async (t) => {
  await t.step("makes votes on the other judge's keys, with TIE_DELTA ties", () => {
    const tally = new VoteTally(["gpt-4_single", "human"]);
    tally.addHumanVote(humanVote("expert_1", "model_a", { model_a: "b", model_b: "a" })); // b wins
    tally.addHumanVote(humanVote("expert_1", "tie", { model_a: "a", model_b: "c" }));
    tally.addHumanVote(humanVote("expert_1", "model_b", { model_a: "a", model_b: "d" })); // d ungraded
    tally.addHumanVote(humanVote("expert_1", "model_a", { model_a: "a", model_b: "b", turn: 2 }));
    const scores = new ScoreIndex("gpt-4_single");
    for (const [model, score] of [["a", 6], ["b", 8], ["c", 6.1], ["z", 1]] as const) {
      scores.add(grade(model, score));
    }
    scores.add(grade("a", 9, { turn: 2 }));
    scores.add(grade("b", 3, { turn: 2 }));
    assert.equal(addSingleScoreVotes(tally, scores), 3);
    const result = computeAgreement(tally, { rounds: 0 });
    // Turn 1: (a,b) b wins for both; (a,c) tie for both (6 vs 6.1). Turn 2: a wins for both.
    assert.deepEqual(
      result.turns.map((turn) => [turn.withTie.agree, turn.withTie.total]),
      [[2, 2], [1, 1]],
    );
    assert.equal(result.turns[0]!.withoutTie.total, 1);
  });

  await t.step("makes every pair when the other judge has no votes yet", () => {
    const tally = new VoteTally(["x_single", "y_single"]);
    const x = new ScoreIndex("x_single");
    const y = new ScoreIndex("y_single");
    for (const [model, score] of [["a", 7], ["b", 5], ["c", 7]] as const) {
      x.add(grade(model, score));
    }
    for (const [model, score] of [["a", 9], ["b", 2], ["c", 4]] as const) {
      y.add(grade(model, score));
    }
    assert.equal(addSingleScoreVotes(tally, x), 3);
    assert.equal(addSingleScoreVotes(tally, y), 3);
    // x: a>b, a=c, c>b; y: a>b, a>c, c>b -> 2 of 3 agree; without ties 2 of 2.
    assert.deepEqual(
      computeAgreement(tally, { rounds: 0 }).turns.map((turn) => [
        turn.withTie.agree,
        turn.withTie.total,
        turn.withoutTie.agree,
        turn.withoutTie.total,
      ]),
      [[2, 3, 2, 2]],
    );
  });

  await t.step("adds nothing for a judge compared with itself", () => {
    const tally = new VoteTally(["x_single", "x_single"]);
    const x = new ScoreIndex("x_single");
    x.add(grade("a", 1));
    x.add(grade("b", 2));
    assert.equal(addSingleScoreVotes(tally, x), 0);
  });

  await t.step("takes another tie delta", () => {
    const tally = new VoteTally(["x_single", "human"]);
    tally.addHumanVote(humanVote("expert_1", "tie", { model_a: "a", model_b: "b" }));
    const x = new ScoreIndex("x_single");
    x.add(grade("a", 7));
    x.add(grade("b", 8));
    addSingleScoreVotes(tally, x, { tieDelta: 1 });
    assert.equal(computeAgreement(tally, { rounds: 0 }).turns[0]!.withTie.agree, 1);
  });
});
