/**
 * One conformance suite, run against every judge client: the scripted mock
 * and each provider preset talking to a real loopback server.
 */
import assert from "node:assert/strict";
import {
  type ChatClient,
  ChatRequestError,
  createChatClient,
  createMockClient,
  type MockScript,
  resolveChatModel,
} from "../../lib/chat/mod.ts";
import { startMockServer } from "../_mock_openai_server.ts";

const KEY = "sk-conformance-SECRET-1234567890";

interface Harness {
  client: ChatClient;
  /** Model ids the judge received. */
  models(): string[];
  close(): Promise<void>;
}

type Factory = (script: MockScript) => Promise<Harness>;

function httpFactory(judgeModel: string, useOrigin = false): Factory {
  return async (script) => {
    const server = await startMockServer({ script });
    const resolved = resolveChatModel(judgeModel, {
      baseUrl: useOrigin ? server.origin : server.baseUrl,
    });
    const client = createChatClient(resolved, { apiKey: KEY });
    return {
      client,
      models: () => server.requests.map((request) => String(request.body.model)),
      close: () => server.close(),
    };
  };
}

const CLIENTS: [string, Factory][] = [
  ["mock", (script) => {
    const client = createMockClient({ script, model: "mock-judge", apiKey: KEY });
    return Promise.resolve({
      client,
      models: () => client.requests.map((request) => request.model),
      close: () => Promise.resolve(),
    });
  }],
  ["openai", httpFactory("openai:gpt-4")],
  ["groq", httpFactory("groq")],
  ["azure", httpFactory("azure:judge-deployment", true)],
  ["openrouter", httpFactory("openrouter:openai/gpt-4o")],
  ["together", httpFactory("together")],
  ["local", httpFactory("qwen2.5:7b")],
];

const MESSAGES = [
  { role: "system" as const, content: "You are a helpful assistant." },
  { role: "user" as const, content: "Rate this. Grüße!" },
];

async function failure(harness: Harness, signal?: AbortSignal): Promise<ChatRequestError> {
  try {
    await harness.client.complete({ messages: MESSAGES, temperature: 0, maxTokens: 2048, signal });
  } catch (error) {
    assert.ok(error instanceof ChatRequestError, `expected a ChatRequestError, got ${error}`);
    return error;
  }
  throw new Error("expected the request to fail");
}

for (const [name, factory] of CLIENTS) {
  Deno.test(`judge client conformance: ${name}`, async (t) => {
    const run = async (script: MockScript, check: (harness: Harness) => Promise<void>) => {
      const harness = await factory(script);
      try {
        await check(harness);
      } finally {
        await harness.close();
      }
    };

    await t.step("returns the content, usage and model, sending the model id", async () => {
      await run(() => ({
        reply: "Fine. [[8]]",
        usage: { promptTokens: 11, completionTokens: 3, totalTokens: 14 },
      }), async (harness) => {
        const response = await harness.client.complete({
          messages: MESSAGES,
          temperature: 0,
          maxTokens: 2048,
        });
        assert.equal(response.content, "Fine. [[8]]");
        assert.deepEqual(response.usage, {
          promptTokens: 11,
          completionTokens: 3,
          totalTokens: 14,
        });
        assert.deepEqual(harness.models(), [harness.client.model]);
      });
    });

    await t.step("reports 429 as retryable with the Retry-After delay", async () => {
      await run(() => ({ status: 429, retryAfterSeconds: 2 }), async (harness) => {
        const error = await failure(harness);
        assert.equal(error.status, 429);
        assert.equal(error.retryable, true);
        assert.equal(error.retryAfterMs, 2000);
      });
    });

    await t.step("reports 500 as retryable", async () => {
      await run(() => ({ status: 500 }), async (harness) => {
        const error = await failure(harness);
        assert.equal(error.status, 500);
        assert.equal(error.retryable, true);
      });
    });

    await t.step("reports 401 and 400 as not retryable, without the key", async () => {
      await run(
        ({ index }) => ({
          status: index === 0 ? 401 : 400,
          message: `Incorrect API key provided: ${KEY}`,
        }),
        async (harness) => {
          for (const status of [401, 400]) {
            const error = await failure(harness);
            assert.equal(error.status, status);
            assert.equal(error.retryable, false);
            assert.ok(!error.message.includes(KEY), error.message);
            assert.ok(!String(error.stack).includes(KEY));
          }
        },
      );
    });

    await t.step("reports a dropped connection and a malformed body as retryable", async () => {
      await run(({ index }) => ({ fail: index === 0 ? "reset" : "malformed" }), async (harness) => {
        const reset = await failure(harness);
        assert.equal(reset.kind, "connection");
        assert.equal(reset.retryable, true);
        const malformed = await failure(harness);
        assert.equal(malformed.retryable, true);
        assert.ok(["malformed", "connection"].includes(malformed.kind));
      });
    });

    await t.step("returns empty content as an empty string", async () => {
      await run(() => ({ fail: "empty" }), async (harness) => {
        const response = await harness.client.complete({
          messages: MESSAGES,
          temperature: 0,
          maxTokens: 2048,
        });
        assert.equal(response.content, "");
      });
    });

    await t.step("stops waiting when the request is aborted", async () => {
      await run(() => ({ fail: "timeout" }), async (harness) => {
        const started = performance.now();
        const error = await failure(harness, AbortSignal.timeout(100));
        assert.equal(error.kind, "aborted");
        assert.ok(performance.now() - started < 5000);
      });
    });
  });
}

Deno.test("judge presets send their request shapes", async (t) => {
  const cases = [
    {
      judge: "openai:gpt-4o",
      path: "/v1/chat/completions",
      model: "gpt-4o",
      header: ["authorization", `Bearer ${KEY}`],
    },
    {
      judge: "groq",
      path: "/v1/chat/completions",
      model: "llama-3.3-70b-versatile",
      header: ["authorization", `Bearer ${KEY}`],
    },
    {
      judge: "groq:llama-3.1-8b-instant",
      path: "/v1/chat/completions",
      model: "llama-3.1-8b-instant",
      header: ["authorization", `Bearer ${KEY}`],
    },
    {
      judge: "azure:judge-deployment",
      origin: true,
      path: "/openai/deployments/judge-deployment/chat/completions?api-version=2024-10-21",
      model: "judge-deployment",
      header: ["api-key", KEY],
    },
    {
      judge: "openrouter:anthropic/claude-3.5-sonnet",
      path: "/v1/chat/completions",
      model: "anthropic/claude-3.5-sonnet",
      header: ["authorization", `Bearer ${KEY}`],
    },
    {
      judge: "together:meta-llama/Llama-3.3-70B-Instruct-Turbo",
      path: "/v1/chat/completions",
      model: "meta-llama/Llama-3.3-70B-Instruct-Turbo",
      header: ["authorization", `Bearer ${KEY}`],
    },
    {
      judge: "local:qwen2.5",
      path: "/v1/chat/completions",
      model: "qwen2.5",
      header: ["authorization", `Bearer ${KEY}`],
    },
  ];
  for (const expected of cases) {
    await t.step(`${expected.judge}: ${expected.path}`, async () => {
      const server = await startMockServer();
      try {
        const resolved = resolveChatModel(expected.judge, {
          baseUrl: expected.origin ? server.origin : server.baseUrl,
        });
        const client = createChatClient(resolved, { apiKey: KEY });
        await client.complete({ messages: MESSAGES, temperature: 0, maxTokens: 2048 });
        const [request] = server.requests;
        assert.equal(request!.method, "POST");
        assert.equal(request!.path, expected.path);
        assert.equal(request!.headers[expected.header[0]!], expected.header[1]);
        assert.equal(request!.body.model, expected.model);
        assert.equal(request!.body.temperature, 0);
        assert.equal(request!.body.max_tokens, 2048);
        assert.deepEqual(request!.body.messages, MESSAGES);
      } finally {
        await server.close();
      }
    });
  }
});
