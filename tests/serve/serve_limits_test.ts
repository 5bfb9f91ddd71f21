import assert from "node:assert/strict";
import { createMockBackend, loadOnnxBackend, serveModel } from "../../mod.ts";
import { tinyModel } from "../generate/_fixtures.ts";

/** Sends raw HTTP/1.1 bytes and returns the status line and how long it took. */
async function rawRequest(
  port: number,
  head: string,
  body: Uint8Array,
): Promise<{ status: string; ms: number }> {
  const started = performance.now();
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await connection.write(new TextEncoder().encode(head));
    // Part of the body only: a server that waited for all of it would hang.
    await connection.write(body).catch(() => 0);
    const buffer = new Uint8Array(4096);
    const read = await connection.read(buffer);
    const text = new TextDecoder().decode(buffer.subarray(0, read ?? 0));
    return { status: text.split("\r\n")[0] ?? "", ms: performance.now() - started };
  } finally {
    connection.close();
  }
}

const MESSAGE = JSON.stringify({ model: "mock", messages: [{ role: "user", content: "hi" }] });

Deno.test("serveModel() limits", async (t) => {
  const backend = createMockBackend({
    script: (request) =>
      request.messages[0]!.content === "slow" ? { delayMs: 3000, reply: "late" } : "ok",
  });
  const server = await serveModel(backend, {
    modelId: "mock",
    port: 0,
    maxBodyBytes: 4096,
    requestTimeoutMs: 300,
  });
  const url = `${server.baseUrl}/chat/completions`;
  try {
    await t.step("answers 413 at once to a declared 100 MB body, unread", async () => {
      const head = `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
        `content-type: application/json\r\ncontent-length: ${100 * 1024 * 1024}\r\n\r\n`;
      const { status, ms } = await rawRequest(server.port, head, new Uint8Array(64 * 1024));
      assert.match(status, /^HTTP\/1\.1 413/);
      assert.ok(ms < 1000, `took ${ms} ms`);
    });

    await t.step("answers 413 to a chunked body once it passes the limit", async () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += 1024;
          if (sent > 1024 * 1024) controller.close();
          else controller.enqueue(new Uint8Array(1024).fill(32));
        },
      });
      const response = await fetch(url, { method: "POST", body });
      assert.equal(response.status, 413);
      const { error } = await response.json();
      assert.equal(error.code, "request_too_large");
      assert.match(error.message, /limit of 4096 bytes/);
    });

    await t.step("keeps answering small requests while a large one is refused", async () => {
      const head = `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
        `content-length: ${30 * 1024 * 1024}\r\n\r\n`;
      const [large, small] = await Promise.all([
        rawRequest(server.port, head, new Uint8Array(1024)),
        fetch(url, { method: "POST", body: MESSAGE }),
      ]);
      assert.match(large.status, / 413/);
      assert.equal(small.status, 200);
      assert.equal((await small.json()).choices[0].message.content, "ok");
    });

    await t.step("answers 504 when a completion passes the time limit", async () => {
      const started = performance.now();
      const response = await fetch(url, {
        method: "POST",
        body: JSON.stringify({ model: "mock", messages: [{ role: "user", content: "slow" }] }),
      });
      assert.equal(response.status, 504);
      assert.equal((await response.json()).error.code, "request_timeout");
      assert.ok(performance.now() - started < 2000);
    });
  } finally {
    await server.close();
  }
});

Deno.test("serveModel() refuses a prompt over the model's context with 400", async () => {
  const backend = await loadOnnxBackend((await tinyModel()).dir, { ep: "cpu", maxBatchSize: 2 });
  const server = await serveModel(backend, { modelId: "tiny", port: 0, maxWaitMs: 1 });
  try {
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({
        model: "tiny",
        messages: [{ role: "user", content: "a".repeat(3000) }],
        max_tokens: 4,
      }),
    });
    assert.equal(response.status, 400);
    const { error } = await response.json();
    assert.equal(error.code, "context_length_exceeded");
    assert.match(error.message, /context length of 2048/);
    const ok = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({
        model: "tiny",
        messages: [{ role: "user", content: "hi" }],
        max_tokens: 2,
      }),
    });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  } finally {
    await server.close();
    await backend.close();
  }
});
