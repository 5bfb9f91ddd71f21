import assert from "node:assert/strict";
import { isErrorRecord, prepareMatch, recordKey } from "../../lib/judge/mod.ts";
import type { SingleJudgment } from "../../lib/data/types.ts";
import { testMatches } from "./_fixtures.ts";

Deno.test("prepareMatch() and recordKey()", async (t) => {
  const [prepared] = testMatches({ models: ["model-a"], questions: 1 });
  const record: SingleJudgment = {
    question_id: 1,
    model: "model-a",
    judge: ["mock-judge", "single-v1"],
    user_prompt: prepared!.games[0]!.user,
    score: 7,
    turn: 1,
  };

  await t.step("match a record with llm-judge provenance by answer hash", () => {
    const key = recordKey(
      { ...record, provenance: { bench: "test_bench", answer_sha256: prepared!.answerSha256 } },
      "other_bench",
    );
    assert.equal(key, prepared!.keys[0]);
  });

  await t.step("match a FastChat record by its user_prompt", () => {
    assert.equal(recordKey(record, "test_bench"), prepared!.keys[1]);
  });

  await t.step("do not match when the answer changed", () => {
    const changed = structuredClone(prepared!.match);
    if (changed.kind === "single") changed.answer.choices[0]!.turns[0] = "a new answer";
    const again = prepareMatch(changed, "test_bench");
    assert.notEqual(again.answerSha256, prepared!.answerSha256);
    assert.ok(!again.keys.includes(recordKey(record, "test_bench")));
  });

  await t.step("isErrorRecord() spots score -1, error winners and error fields", () => {
    assert.equal(isErrorRecord(record), false);
    assert.equal(isErrorRecord({ ...record, score: -1 }), true);
    assert.equal(isErrorRecord({ ...record, error: "x" }), true);
  });
});
