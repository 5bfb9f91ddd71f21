import assert from "node:assert/strict";
import { createBatchScheduler } from "../../lib/serve/batch_scheduler.ts";
import { createMockBackend } from "../../lib/generate/mock_backend.ts";
import type { GenerationRequest } from "../../lib/generate/types.ts";

function request(content: string): GenerationRequest {
  return { messages: [{ role: "user", content }], temperature: 0, maxNewTokens: 16 };
}

Deno.test("createBatchScheduler()", async (t) => {
  await t.step("batches concurrent requests and answers each its own", async () => {
    const backend = createMockBackend({ script: ({ messages }) => `re: ${messages[0]!.content}` });
    const scheduler = createBatchScheduler(backend);
    const results = await Promise.all(
      ["a", "b", "c"].map((text) => scheduler.submit(request(text))),
    );
    assert.deepEqual(results.map((result) => result.text), ["re: a", "re: b", "re: c"]);
    assert.deepEqual(scheduler.batches, [3]);
    assert.deepEqual(backend.batches, [3]);
    assert.equal(scheduler.answered, 3);
    assert.equal(scheduler.queued, 0);
  });

  await t.step("splits the queue at maxBatchSize", async () => {
    const backend = createMockBackend({ script: () => "ok" });
    const scheduler = createBatchScheduler(backend, { maxBatchSize: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((index) => scheduler.submit(request(`${index}`))));
    assert.deepEqual(scheduler.batches, [2, 2, 1]);
  });

  await t.step("queues requests that arrive while a batch runs for the next batch", async () => {
    const backend = createMockBackend({ script: () => ({ delayMs: 30, reply: "slow" }) });
    const scheduler = createBatchScheduler(backend, { maxWaitMs: 1 });
    const first = scheduler.submit(request("first"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const later = [scheduler.submit(request("x")), scheduler.submit(request("y"))];
    assert.equal(scheduler.queued, 2);
    await Promise.all([first, ...later]);
    assert.deepEqual(scheduler.batches, [1, 2]);
  });

  await t.step("streams each request's text to its own onText", async () => {
    const backend = createMockBackend({
      script: ({ messages }) => `hello ${messages[0]!.content}`,
    });
    const scheduler = createBatchScheduler(backend);
    const streamed: Record<string, string> = { a: "", b: "" };
    await Promise.all(
      ["a", "b"].map((name) =>
        scheduler.submit(request(name), { onText: (text) => (streamed[name] += text) })
      ),
    );
    assert.deepEqual(streamed, { a: "hello a", b: "hello b" });
  });

  await t.step("a reply error is a result; a failed forward pass rejects its batch", async () => {
    const backend = createMockBackend({
      script: ({ index }) => index === 0 ? { error: "boom" } : "fine",
    });
    const scheduler = createBatchScheduler(backend, { maxBatchSize: 1 });
    const [failed, next] = await Promise.allSettled([
      scheduler.submit(request("a")),
      scheduler.submit(request("b")),
    ]);
    assert.equal(failed.status, "fulfilled", "the mock reports errors per reply");
    assert.equal(next.status, "fulfilled");

    const throwing = createBatchScheduler({
      ...createMockBackend(),
      generate: () => Promise.reject(new Error("forward pass failed")),
    }, { maxBatchSize: 1 });
    await assert.rejects(throwing.submit(request("a")), /forward pass failed/);
    assert.equal(throwing.answered, 0);
  });

  await t.step("close() rejects queued requests and later submits", async () => {
    const backend = createMockBackend({ script: () => ({ delayMs: 20, reply: "ok" }) });
    const scheduler = createBatchScheduler(backend, { maxBatchSize: 1, maxWaitMs: 1 });
    const running = scheduler.submit(request("a"));
    const queued = scheduler.submit(request("b"));
    queued.catch(() => {}); // asserted below, after close()
    await new Promise((resolve) => setTimeout(resolve, 5));
    await scheduler.close();
    assert.equal((await running).text, "ok");
    await assert.rejects(queued, /shutting down/);
    await assert.rejects(scheduler.submit(request("c")), /closed/);
  });

  await t.step("hands each request straight to a backend that batches calls itself", async () => {
    const backend = { ...createMockBackend({ script: () => "direct" }), batchesCalls: true };
    const scheduler = createBatchScheduler(backend);
    const results = await Promise.all([
      scheduler.submit(request("a")),
      scheduler.submit(request("b")),
    ]);
    assert.deepEqual(results.map((result) => result.text), ["direct", "direct"]);
    assert.deepEqual(scheduler.batches, []);
    assert.equal(scheduler.answered, 2);
  });
});
