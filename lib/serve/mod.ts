/**
 * A local OpenAI-compatible server over a generation backend (an ONNX model):
 * `/v1/models` and `/v1/chat/completions` with server-sent-event streaming,
 * concurrent requests batched onto the model. It replaces FastChat's
 * controller, model worker and OpenAI API server, and lets a local model be
 * the judge or be answered through `gen-api`.
 *
 * @example Serve the scripted mock model and ask it once
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveModel } from "./mod.ts";
 * import { createMockBackend } from "../generate/mod.ts";
 * const server = await serveModel(createMockBackend({ script: () => "Hello!" }), { modelId: "mock", port: 0 });
 * const response = await fetch(`${server.baseUrl}/chat/completions`, {
 *   method: "POST",
 *   body: JSON.stringify({ model: "mock", messages: [{ role: "user", content: "Hi" }] }),
 * });
 * assert.equal((await response.json()).choices[0].message.content, "Hello!");
 * await server.close();
 * ```
 * @module
 */
export * from "./batch_scheduler.ts";
export * from "./create_openai_handler.ts";
export * from "./serve_model.ts";
