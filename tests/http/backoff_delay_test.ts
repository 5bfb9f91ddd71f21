import assert from "node:assert/strict";
import { backoffDelay, retryAfterMs } from "../../lib/http/mod.ts";

Deno.test("backoffDelay()", async (t) => {
  await t.step("doubles per attempt within [half, all] of the step", () => {
    for (const [attempt, low, high] of [[1, 500, 1000], [2, 1000, 2000], [4, 4000, 8000]]) {
      assert.equal(backoffDelay(attempt!, { random: () => 0 }), low);
      assert.ok(backoffDelay(attempt!, { random: () => 0.9999 }) <= high!);
    }
  });

  await t.step("caps at maxMs and never undercuts Retry-After", () => {
    assert.equal(backoffDelay(30, { maxMs: 8000, random: () => 0 }), 4000);
    assert.equal(backoffDelay(1, { retryAfterMs: 30_000, random: () => 1 }), 30_000);
  });

  await t.step("rejects attempt 0", () => {
    assert.throws(() => backoffDelay(0), /attempt must be 1 or more, got 0/);
  });
});

Deno.test("retryAfterMs()", async (t) => {
  await t.step("reads seconds, milliseconds and HTTP dates", () => {
    assert.equal(retryAfterMs(new Headers({ "retry-after": "2" })), 2000);
    assert.equal(retryAfterMs(new Headers({ "retry-after-ms": "250" })), 250);
    const now = Date.parse("2026-01-01T00:00:00Z");
    const date = new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" });
    assert.equal(retryAfterMs(date, now), 5000);
  });

  await t.step("is undefined when absent or unreadable", () => {
    assert.equal(retryAfterMs(new Headers()), undefined);
    assert.equal(retryAfterMs(new Headers({ "retry-after": "soon" })), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });
});
