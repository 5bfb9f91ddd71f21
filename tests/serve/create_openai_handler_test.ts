import assert from "node:assert/strict";
import type { BatchScheduler, SubmitOptions } from "../../lib/serve/batch_scheduler.ts";
import { createOpenAIHandler } from "../../lib/serve/create_openai_handler.ts";
import type { GenerationRequest, GenerationResult } from "../../lib/generate/types.ts";

/** A scheduler that answers every request with `reply` in pieces and records what it got. */
function fakeScheduler(reply: string | Error | { error: string } = "Hello there") {
  const requests: GenerationRequest[] = [];
  const scheduler: BatchScheduler = {
    submit(request: GenerationRequest, options: SubmitOptions = {}): Promise<GenerationResult> {
      requests.push(request);
      if (reply instanceof Error) return Promise.reject(reply);
      const base = { promptTokens: 7, completionTokens: 3, firstTokenMs: 1, totalMs: 2 };
      if (typeof reply !== "string") {
        return Promise.resolve({ ...base, text: "$ERROR$", finishReason: "stop", ...reply });
      }
      for (const piece of reply.split(/(?= )/)) options.onText?.(piece);
      return Promise.resolve({ ...base, text: reply, finishReason: "stop" });
    },
    queued: 0,
    answered: 0,
    batches: [],
    close: () => Promise.resolve(),
  };
  return { scheduler, requests };
}

function post(path: string, body: unknown): Request {
  return new Request(`http://127.0.0.1${path}`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const HI = [{ role: "user", content: "Hi" }];

Deno.test("createOpenAIHandler()", async (t) => {
  const options = { modelId: "tiny", now: () => 1_700_000_000 };

  await t.step("lists the served model", async () => {
    const handler = createOpenAIHandler(fakeScheduler().scheduler, options);
    for (const path of ["/v1/models", "/models/"]) {
      const response = await handler(new Request(`http://127.0.0.1${path}`));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        object: "list",
        data: [{ id: "tiny", object: "model", created: 1_700_000_000, owned_by: "llm-judge" }],
      });
    }
  });

  await t.step("answers a chat completion with usage and maps the options", async () => {
    const { scheduler, requests } = fakeScheduler();
    const handler = createOpenAIHandler(scheduler, options);
    const response = await handler(post("/v1/chat/completions", {
      model: "default",
      messages: [{ role: "developer", content: "Be brief." }, {
        role: "user",
        content: [{ type: "text", text: "Hi " }, { type: "text", text: "there" }],
      }],
      temperature: 0,
      max_completion_tokens: 12,
      stop: "###",
      seed: 3.7,
    }));
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.match(body.id, /^chatcmpl-[0-9a-f]{32}$/);
    assert.equal(body.object, "chat.completion");
    assert.equal(body.model, "tiny");
    assert.deepEqual(body.choices, [{
      index: 0,
      message: { role: "assistant", content: "Hello there" },
      logprobs: null,
      finish_reason: "stop",
    }]);
    assert.deepEqual(body.usage, { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    assert.deepEqual(requests, [{
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi there" }],
      temperature: 0,
      topP: 1,
      maxNewTokens: 12,
      stop: ["###"],
      seed: 3,
    }]);
  });

  await t.step("uses the default completion budget", async () => {
    const { scheduler, requests } = fakeScheduler();
    const handler = createOpenAIHandler(scheduler, { ...options, defaultMaxTokens: 99 });
    await handler(post("/chat/completions", { messages: HI }));
    assert.equal(requests[0]!.maxNewTokens, 99);
    assert.equal(requests[0]!.temperature, 1);
  });

  await t.step("streams server-sent events: role, text pieces, finish, usage, [DONE]", async () => {
    const handler = createOpenAIHandler(fakeScheduler().scheduler, options);
    const response = await handler(post("/v1/chat/completions", {
      messages: HI,
      stream: true,
      stream_options: { include_usage: true },
    }));
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    const events = (await response.text()).split("\n\n").filter((event) => event !== "");
    assert.equal(events.at(-1), "data: [DONE]");
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.replace(/^data: /, "")));
    assert.deepEqual(chunks[0].choices[0].delta, { role: "assistant", content: "" });
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("");
    assert.equal(text, "Hello there");
    assert.equal(chunks.at(-2).choices[0].finish_reason, "stop");
    assert.deepEqual(chunks.at(-1).choices, []);
    assert.equal(chunks.at(-1).usage.total_tokens, 10);
    assert.ok(chunks.every((chunk) => chunk.object === "chat.completion.chunk"));
  });

  await t.step("streams a generation failure as an error event before [DONE]", async () => {
    const handler = createOpenAIHandler(
      fakeScheduler(new Error("out of memory")).scheduler,
      options,
    );
    const text = await (await handler(post("/v1/chat/completions", { messages: HI, stream: true })))
      .text();
    assert.match(text, /"type":"server_error"/);
    assert.match(text, /generation failed: out of memory/);
    assert.ok(text.endsWith("data: [DONE]\n\n"));
  });

  await t.step("rejects bad requests with OpenAI's error body", async (t) => {
    const handler = createOpenAIHandler(fakeScheduler().scheduler, {
      ...options,
      maxTokensLimit: 100,
    });
    const cases: [string, Request, number, RegExp, string | null][] = [
      ["invalid JSON", post("/v1/chat/completions", "{"), 400, /not valid JSON/, null],
      ["a non-object body", post("/v1/chat/completions", [1]), 400, /JSON object/, null],
      ["no messages", post("/v1/chat/completions", { messages: [] }), 400, /non-empty/, "messages"],
      [
        "an unknown role",
        post("/v1/chat/completions", { messages: [{ role: "tool", content: "x" }] }),
        400,
        /role must be system, user or assistant, got "tool"/,
        "messages[0].role",
      ],
      [
        "an image part",
        post("/v1/chat/completions", {
          messages: [{ role: "user", content: [{ type: "image_url" }] }],
        }),
        400,
        /only text content parts/,
        "messages[0].content",
      ],
      [
        "too many tokens",
        post("/v1/chat/completions", { messages: HI, max_tokens: 101 }),
        400,
        /max_tokens must be a number from 1 to 100, got 101/,
        "max_tokens",
      ],
      [
        "a temperature out of range",
        post("/v1/chat/completions", { messages: HI, temperature: 3 }),
        400,
        /temperature/,
        "temperature",
      ],
      ["n above 1", post("/v1/chat/completions", { messages: HI, n: 2 }), 400, /\bn must/, "n"],
      [
        "a bad stop",
        post("/v1/chat/completions", { messages: HI, stop: [1] }),
        400,
        /stop must be/,
        "stop",
      ],
      [
        "another model",
        post("/v1/chat/completions", { model: "gpt-4", messages: HI }),
        404,
        /`gpt-4` does not exist; this server serves `tiny`/,
        "model",
      ],
      [
        "GET on completions",
        new Request("http://127.0.0.1/v1/chat/completions"),
        405,
        /use POST/,
        null,
      ],
      ["POST on models", post("/v1/models", {}), 405, /use GET/, null],
      [
        "an unknown path",
        post("/v1/embeddings", {}),
        404,
        /no route for POST \/v1\/embeddings/,
        null,
      ],
    ];
    for (const [name, request, status, message, param] of cases) {
      await t.step(name, async () => {
        const response = await handler(request);
        assert.equal(response.status, status);
        const { error } = await response.json();
        assert.match(error.message, message);
        assert.equal(error.param, param);
        assert.equal(typeof error.type, "string");
      });
    }
  });

  await t.step("a reply that failed is a 400 and a thrown error a 500", async () => {
    const failed = createOpenAIHandler(
      fakeScheduler({ error: "prompt too long" }).scheduler,
      options,
    );
    const response = await failed(post("/v1/chat/completions", { messages: HI }));
    assert.equal(response.status, 400);
    assert.deepEqual((await response.json()).error, {
      message: "prompt too long",
      type: "invalid_request_error",
      param: "messages",
      code: "generation_failed",
    });
    const crashed = createOpenAIHandler(fakeScheduler(new Error("boom")).scheduler, options);
    const crash = await crashed(post("/v1/chat/completions", { messages: HI }));
    assert.equal(crash.status, 500);
    assert.equal((await crash.json()).error.message, "generation failed: boom");
  });
});
