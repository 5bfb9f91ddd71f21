import assert from "node:assert/strict";
import OpenAI from "npm:openai@7.59.0";
import { createMockBackend, loadOnnxBackend, serveModel } from "../../mod.ts";
import { PROMPTS, tinyModel } from "../generate/_fixtures.ts";

Deno.test("serveModel() driven by npm:openai over loopback", async (t) => {
  const backend = await loadOnnxBackend((await tinyModel()).dir, { ep: "cpu", maxBatchSize: 4 });
  const server = await serveModel(backend, { modelId: "tiny", port: 0, maxWaitMs: 20 });
  const client = new OpenAI({ baseURL: server.baseUrl, apiKey: "none", maxRetries: 0 });
  try {
    await t.step("binds 127.0.0.1 by default", () => {
      assert.match(server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    });

    await t.step("lists the model", async () => {
      const models = await client.models.list();
      assert.deepEqual(models.data.map((model) => model.id), ["tiny"]);
    });

    await t.step("answers a chat completion with usage, as the backend does", async () => {
      const completion = await client.chat.completions.create({
        model: "tiny",
        messages: [{ role: "user", content: PROMPTS[0]! }],
        temperature: 0,
        max_tokens: 12,
      });
      const [direct] = await backend.generate([{
        messages: [{ role: "user", content: PROMPTS[0]! }],
        temperature: 0,
        maxNewTokens: 12,
      }]);
      assert.equal(completion.object, "chat.completion");
      assert.equal(completion.choices[0]!.message.content, direct!.text);
      assert.equal(completion.choices[0]!.finish_reason, direct!.finishReason);
      assert.equal(completion.usage!.completion_tokens, direct!.completionTokens);
      assert.equal(completion.usage!.prompt_tokens, direct!.promptTokens);
    });

    await t.step("streams chunks that add up to the plain reply", async () => {
      const messages = [{ role: "user" as const, content: PROMPTS[0]! }];
      const plain = await client.chat.completions.create({
        model: "tiny",
        messages,
        temperature: 0,
        max_tokens: 16,
      });
      const stream = await client.chat.completions.create({
        model: "tiny",
        messages,
        temperature: 0,
        max_tokens: 16,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      let chunks = 0;
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        chunks++;
        text += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      assert.equal(text, plain.choices[0]!.message.content);
      assert.ok(chunks > 3, `only ${chunks} chunks`);
      assert.equal(finish, plain.choices[0]!.finish_reason);
      assert.equal(usage?.completion_tokens, plain.usage!.completion_tokens);
    });

    await t.step("batches concurrent requests and answers each as if alone", async () => {
      const before = backend.queue.steps.length;
      const ask = (content: string) =>
        client.chat.completions.create({
          model: "tiny",
          messages: [{ role: "user", content }],
          temperature: 0,
          max_tokens: 10,
        });
      const together = await Promise.all(PROMPTS.map(ask));
      // Rows per forward pass of the backend's continuous batching.
      const steps = backend.queue.steps.slice(before);
      assert.ok(Math.max(...steps) > 1, `rows per step: ${steps}`);
      for (const [index, prompt] of PROMPTS.entries()) {
        const alone = await ask(prompt);
        assert.equal(
          together[index]!.choices[0]!.message.content,
          alone.choices[0]!.message.content,
        );
      }
    });

    await t.step("answers bad requests with OpenAI-style errors", async () => {
      await assert.rejects(
        client.chat.completions.create({ model: "tiny", messages: [] }),
        (error: Error) => {
          assert.ok(error instanceof OpenAI.BadRequestError);
          assert.match(error.message, /messages must be a non-empty array/);
          return true;
        },
      );
      await assert.rejects(
        client.chat.completions.create({
          model: "gpt-4",
          messages: [{ role: "user", content: "x" }],
        }),
        (error: Error) => {
          assert.ok(error instanceof OpenAI.NotFoundError);
          assert.match(error.message, /serves `tiny`/);
          return true;
        },
      );
      const response = await fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        body: "{oops",
      });
      assert.equal(response.status, 400);
      assert.match((await response.json()).error.message, /not valid JSON/);
    });
  } finally {
    await server.close();
    await backend.close();
  }
});

Deno.test("serveModel() rejects queued requests when closing", async () => {
  const backend = createMockBackend({ script: () => ({ delayMs: 50, reply: "late" }) });
  const server = await serveModel(backend, { modelId: "mock", port: 0, maxBatchSize: 1 });
  const ask = () =>
    fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ messages: [{ role: "user", content: "x" }] }),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));
  const pending = [ask(), ask()];
  // Close once the first request runs and the second waits in the queue (not after a fixed
  // delay: on a loaded machine the second may not have been read yet).
  for (let waited = 0; waited < 5000; waited += 5) {
    if (backend.requests.length >= 1 && server.scheduler.queued >= 1) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const closing = server.close();
  const [first, second] = await Promise.all(pending);
  await closing;
  assert.equal(first!.status, 200);
  assert.equal(second!.status, 500);
  assert.match(second!.body.error.message, /shutting down/);
});
