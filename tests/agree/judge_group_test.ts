import assert from "node:assert/strict";
import { judgeGroup } from "../../lib/agree/mod.ts";

Deno.test("judgeGroup()", async (t) => {
  await t.step("maps GPT-4 pair judges, list or string, to gpt4-pair", () => {
    assert.equal(judgeGroup(["gpt-4", "pair-v2"]), "gpt4-pair");
    assert.equal(judgeGroup(["gpt-4", "pair-math-v1-multi-turn"]), "gpt4-pair");
    assert.equal(judgeGroup("gpt4_pair"), "gpt4-pair");
  });
  await t.step("maps expert_* to human and author_* to author", () => {
    assert.equal(judgeGroup("expert_0"), "human");
    assert.equal(judgeGroup("expert_64"), "human");
    assert.equal(judgeGroup("author_3"), "author");
  });
  await t.step("returns undefined for other judges", () => {
    assert.equal(judgeGroup(["gpt-4", "single-v1"]), undefined);
    assert.equal(judgeGroup(["gpt-3.5-turbo", "pair-v2"]), undefined);
    assert.equal(judgeGroup("gpt4-pair"), undefined);
    assert.equal(judgeGroup("crowd_1"), undefined);
  });
});
