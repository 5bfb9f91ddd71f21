import assert from "node:assert/strict";
import { type LoggedRecord, planRun } from "../../lib/judge/mod.ts";
import type { SingleJudgment } from "../../lib/data/types.ts";
import { testMatches } from "./_fixtures.ts";

Deno.test("planRun()", async (t) => {
  // Three single-turn matches (question 3 is math: another prompt).
  const prepared = testMatches({ models: ["model-a"], questions: 3 })
    .filter((match) => !match.match.multiTurn);
  const logged = (index: number, score: number, line: number): LoggedRecord => {
    const { match, games } = prepared[index]!;
    const record: SingleJudgment = {
      question_id: match.question.question_id,
      model: "model-a",
      judge: [match.judge.name, match.judge.prompt.name],
      user_prompt: games[0]!.user,
      score,
      turn: 1,
    };
    return { line, record };
  };
  // Question 1 judged, question 2 failed, question 3 failed then judged.
  const records = [logged(0, 7, 1), logged(1, -1, 2), logged(2, -1, 3), logged(2, 8, 4)];

  await t.step("judges every match of an empty file", () => {
    const plan = planRun(prepared, [], { bench: "test_bench" });
    assert.equal(prepared.length, 3);
    assert.deepEqual(plan.todo, prepared);
    assert.equal(plan.alreadyDone, 0);
  });

  await t.step("skips done and failed matches when resuming", () => {
    const plan = planRun(prepared, records, { bench: "test_bench" });
    assert.deepEqual(plan.todo, []);
    assert.equal(plan.alreadyDone, 3);
  });

  await t.step("retries only matches whose records are all errors", () => {
    const plan = planRun(prepared, records, { bench: "test_bench", retryErrors: true });
    assert.deepEqual(plan.todo.map((match) => match.match.question.question_id), [2]);
    assert.equal(plan.alreadyDone, 2);
  });

  await t.step("judges a match whose record was made from another prompt", () => {
    const other = logged(0, 7, 1);
    other.record = { ...other.record, user_prompt: "another prompt" };
    const plan = planRun(prepared, [other], { bench: "test_bench" });
    assert.equal(plan.todo.length, 3);
  });
});
