import assert from "node:assert/strict";
import { estimateTokens } from "../../lib/chat/mod.ts";

Deno.test("estimateTokens()", async (t) => {
  await t.step("rounds a quarter of the characters up", () => {
    assert.equal(estimateTokens(""), 0);
    assert.equal(estimateTokens("abc"), 1);
    assert.equal(estimateTokens("abcd"), 1);
    assert.equal(estimateTokens("abcde"), 2);
  });

  await t.step("counts the contents of messages together", () => {
    const messages = [{ role: "system", content: "ab" }, { role: "user", content: "abc" }];
    assert.equal(estimateTokens(messages), 2);
    assert.equal(estimateTokens([]), 0);
  });
});
