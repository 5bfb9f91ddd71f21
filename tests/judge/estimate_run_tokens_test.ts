import assert from "node:assert/strict";
import { estimateTokens } from "../../lib/chat/mod.ts";
import { estimateRunTokens } from "../../lib/judge/mod.ts";
import { testMatches } from "./_fixtures.ts";

Deno.test("estimateRunTokens()", async (t) => {
  await t.step("counts one request per game and sums each game's estimate", () => {
    const pairs = testMatches({
      models: ["model-a", "model-b"],
      questions: 2,
      mode: "pairwise-all",
    });
    const games = pairs.flatMap((match) => match.games);
    const estimate = estimateRunTokens(pairs, 300);
    assert.equal(estimate.requests, games.length);
    assert.equal(estimate.requests, 2 * pairs.length);
    assert.equal(
      estimate.promptTokens,
      games.reduce((total, game) => total + estimateTokens(game.messages), 0),
    );
    assert.equal(estimate.completionTokens, 300 * games.length);
  });

  await t.step("is zero for nothing to do", () => {
    assert.deepEqual(estimateRunTokens([], 300), {
      requests: 0,
      promptTokens: 0,
      completionTokens: 0,
    });
  });
});
