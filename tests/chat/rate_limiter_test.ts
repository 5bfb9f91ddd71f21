import assert from "node:assert/strict";
import { RateLimiter } from "../../lib/chat/mod.ts";

Deno.test("RateLimiter", async (t) => {
  await t.step("spaces requests 60000/rpm ms apart, in order", async () => {
    const limiter = new RateLimiter({ rpm: 1200 });
    const times: number[] = [];
    const start = performance.now();
    await Promise.all([0, 1, 2, 3].map(async () => {
      await limiter.acquire(1);
      times.push(performance.now() - start);
    }));
    for (let index = 1; index < times.length; index++) {
      assert.ok(times[index]! - times[index - 1]! >= 49, `gap ${index}: ${times}`);
    }
  });

  await t.step("holds requests back until the token bucket refills", async () => {
    let now = 0;
    const limiter = new RateLimiter({ tpm: 600, now: () => now });
    await limiter.acquire(600);
    let started = false;
    const waiting = limiter.acquire(60).then(() => (started = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(started, false);
    now = 6_000; // 600 tokens/min refill 60 tokens in 6 s
    await waiting;
    assert.equal(started, true);
  });

  await t.step("settle() returns unused tokens", async () => {
    const now = 0;
    const limiter = new RateLimiter({ tpm: 100, now: () => now });
    await limiter.acquire(100);
    limiter.settle(100, 20);
    await limiter.acquire(80);
    assert.equal(now, 0);
  });

  await t.step("pause() delays the next request", async () => {
    const limiter = new RateLimiter();
    limiter.pause(60);
    const start = performance.now();
    await limiter.acquire(1);
    assert.ok(performance.now() - start >= 55);
  });

  await t.step("rejects a non-positive budget", () => {
    assert.throws(() => new RateLimiter({ rpm: 0 }), /rpm must be positive, got 0/);
  });
});
