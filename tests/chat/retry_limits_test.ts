import assert from "node:assert/strict";
import {
  createChatClient,
  describeSetupError,
  requestWithRetries,
  resolveChatModel,
} from "../../lib/chat/mod.ts";
import type { MockAction } from "../../lib/chat/providers/mock.ts";
import { startMockServer } from "../_mock_openai_server.ts";

async function sendOnce(
  action: (index: number) => MockAction,
  options: { maxRetryWaitMs?: number } = {},
) {
  const server = await startMockServer({ script: ({ index }) => action(index) });
  try {
    const client = createChatClient(resolveChatModel("local:m", { baseUrl: server.baseUrl }));
    const started = performance.now();
    const outcome = await requestWithRetries(
      (signal) =>
        client.complete({
          messages: [{ role: "user", content: "hi" }],
          temperature: 0,
          maxTokens: 8,
          signal,
        }),
      { signal: new AbortController().signal, backoffBaseMs: 1, ...options },
    );
    return { outcome, ms: performance.now() - started, requests: server.requests.length };
  } finally {
    await server.close();
  }
}

Deno.test("requestWithRetries() limits", async (t) => {
  await t.step(
    "a Retry-After over --max-retry-wait fails the request at once, saying so",
    async () => {
      const { outcome, ms, requests } = await sendOnce(() => ({
        status: 429,
        retryAfterSeconds: 3600,
        message: "slow down",
      }));
      assert.equal(outcome.kind, "failed");
      if (outcome.kind !== "failed") return;
      assert.equal(outcome.error.kind, "retry_wait");
      assert.match(
        outcome.error.message,
        /asked to wait 3600 s .*limit of 60 s \(--max-retry-wait\)/,
      );
      assert.equal(requests, 1);
      assert.ok(ms < 2000, `took ${ms} ms`);
    },
  );

  await t.step("a Retry-After within the limit is waited for", async () => {
    const { outcome, requests } = await sendOnce(
      (index) => index === 0 ? { status: 429, retryAfterSeconds: 0.2 } : { reply: "ok" },
      { maxRetryWaitMs: 1000 },
    );
    assert.equal(outcome.kind, "ok");
    assert.equal(requests, 2);
  });

  await t.step("a 400 about the context length fails that request alone", async () => {
    const { outcome, requests } = await sendOnce(() => ({
      status: 400,
      message: "This model's maximum context length is 8192 tokens. However, you requested 9000",
    }));
    assert.equal(outcome.kind, "failed");
    if (outcome.kind === "failed") assert.equal(outcome.error.kind, "context_length");
    assert.equal(requests, 1);
  });

  await t.step("another 400, 401 and 404 are fatal and name what to check", async () => {
    for (
      const [status, hint] of [[400, /parameters/], [401, /API key/], [404, /model name/]] as const
    ) {
      const { outcome } = await sendOnce(() => ({ status, message: "no" }));
      assert.equal(outcome.kind, "fatal");
      if (outcome.kind !== "fatal") continue;
      const text = describeSetupError(outcome.error, {
        apiKeyEnv: ["X_KEY"],
        model: "m",
        baseUrl: "http://127.0.0.1/v1",
      });
      assert.match(text, hint);
    }
  });
});
