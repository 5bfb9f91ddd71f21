import assert from "node:assert/strict";
import {
  ChatRequestError,
  createApiBackend,
  createMockClient,
  createOpenAICompatibleClient,
} from "../../mod.ts";
import { startMockServer } from "../_mock_openai_server.ts";

const REQUEST = {
  messages: [{ role: "user" as const, content: "Hello" }],
  temperature: 0,
  maxNewTokens: 16,
};

Deno.test("createApiBackend()", async (t) => {
  await t.step("spreads a batch over the replicas, least busy first", async () => {
    const servers = await Promise.all(
      [0, 1, 2].map(() => startMockServer({ script: () => ({ reply: "hi", delayMs: 20 }) })),
    );
    try {
      const clients = servers.map((server) =>
        createOpenAICompatibleClient({ provider: "local", model: "m", baseUrl: server.baseUrl })
      );
      const backend = createApiBackend(clients, { maxBatchSize: 9 });
      const results = await backend.generate(new Array(9).fill(REQUEST));
      assert.ok(results.every((result) => result.text === "hi"));
      assert.deepEqual(servers.map((server) => server.requests.length), [3, 3, 3]);
      assert.equal(backend.info.device.split(",").length, 3);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  });

  await t.step("retries on another replica after a 500", async () => {
    const failing = await startMockServer({ script: () => ({ status: 500 }) });
    const healthy = await startMockServer({ script: () => ({ reply: "fine" }) });
    try {
      const backend = createApiBackend(
        [failing, healthy].map((server) =>
          createOpenAICompatibleClient({ provider: "local", model: "m", baseUrl: server.baseUrl })
        ),
        { backoffBaseMs: 1, random: () => 0 },
      );
      const [result] = await backend.generate([REQUEST]);
      assert.equal(result!.text, "fine");
      assert.equal(backend.retries, 1);
      assert.equal(failing.requests.length, 1);
    } finally {
      await failing.close();
      await healthy.close();
    }
  });

  await t.step("gives $ERROR$ and an error after the last attempt", async () => {
    const backend = createApiBackend([createMockClient({ script: () => ({ status: 503 }) })], {
      maxAttempts: 2,
      backoffBaseMs: 1,
    });
    const [result] = await backend.generate([REQUEST]);
    assert.equal(result!.text, "$ERROR$");
    assert.match(result!.error ?? "", /failed after 2 attempt\(s\): HTTP 503/);
  });

  await t.step("stops on a non-retryable error and rejects", async () => {
    const backend = createApiBackend([createMockClient({ script: () => ({ status: 401 }) })]);
    await assert.rejects(backend.generate([REQUEST]), (error: Error) => {
      assert.ok(error instanceof ChatRequestError && error.status === 401);
      return true;
    });
    assert.equal(backend.fatal?.status, 401);
  });

  await t.step("passes usage, stop strings and the seed to the server", async () => {
    const server = await startMockServer({
      script: () => ({
        reply: "ok",
        usage: { promptTokens: 11, completionTokens: 2, totalTokens: 13 },
      }),
    });
    try {
      const backend = createApiBackend([
        createOpenAICompatibleClient({ provider: "local", model: "m", baseUrl: server.baseUrl }),
      ]);
      const [result] = await backend.generate([{ ...REQUEST, stop: ["END"], seed: 3 }]);
      assert.equal(result!.promptTokens, 11);
      assert.equal(result!.completionTokens, 2);
      assert.deepEqual(server.requests[0]!.body.stop, ["END"]);
      assert.equal(server.requests[0]!.body.seed, 3);
    } finally {
      await server.close();
    }
  });
});
