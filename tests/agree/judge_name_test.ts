import assert from "node:assert/strict";
import { judgeName } from "../../lib/agree/mod.ts";

Deno.test("judgeName()", async (t) => {
  await t.step("maps GPT-4 pair judges, list or string, to gpt4-pair", () => {
    assert.equal(judgeName(["gpt-4", "pair-v2"]), "gpt4-pair");
    assert.equal(judgeName(["gpt-4", "pair-math-v1-multi-turn"]), "gpt4-pair");
    assert.equal(judgeName("gpt4_pair"), "gpt4-pair");
  });
  await t.step("maps expert_* to human and author_* to author", () => {
    assert.equal(judgeName("expert_0"), "human");
    assert.equal(judgeName("expert_64"), "human");
    assert.equal(judgeName("author_3"), "author");
  });
  await t.step("returns undefined for other judges", () => {
    assert.equal(judgeName(["gpt-4", "single-v1"]), undefined);
    assert.equal(judgeName(["gpt-3.5-turbo", "pair-v2"]), undefined);
    assert.equal(judgeName("gpt4-pair"), undefined);
    assert.equal(judgeName("crowd_1"), undefined);
  });
});
