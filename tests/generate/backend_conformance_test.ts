/**
 * One conformance suite, run against every generation backend: the scripted
 * mock, the ONNX backend on the tiny Llama fixture in both layouts, and the
 * API backend talking to `serve` (over loopback) in front of the ONNX model.
 */
import assert from "node:assert/strict";
import {
  createApiBackend,
  createMockBackend,
  type GenerationBackend,
  type GenerationRequest,
  loadOnnxBackend,
} from "../../lib/generate/mod.ts";
import { createOpenAICompatibleClient } from "../../lib/chat/mod.ts";
import { serveModel } from "../../lib/serve/mod.ts";
import { PROMPTS, tinyModel } from "./_fixtures.ts";

interface Harness {
  backend: GenerationBackend;
  /** Whether `ignoreEos` is honoured (not through an API). */
  ignoresEos: boolean;
  close(): Promise<void>;
}

const BACKENDS: [string, () => Promise<Harness>][] = [
  ["mock", () =>
    Promise.resolve({
      backend: createMockBackend(),
      ignoresEos: true,
      close: () => Promise.resolve(),
    })],
  ["onnx (optimum layout)", async () => {
    const backend = await loadOnnxBackend((await tinyModel()).dir, { ep: "cpu" });
    return { backend, ignoresEos: true, close: () => backend.close() };
  }],
  ["onnx (genai layout)", async () => {
    const backend = await loadOnnxBackend((await tinyModel({ layout: "genai" })).dir, {
      ep: "cpu",
    });
    return { backend, ignoresEos: true, close: () => backend.close() };
  }],
  ["api through serve (onnx)", async () => {
    const onnx = await loadOnnxBackend((await tinyModel()).dir, { ep: "cpu" });
    const server = await serveModel(onnx, { modelId: "tiny", port: 0 });
    const client = createOpenAICompatibleClient({
      provider: "local",
      model: "tiny",
      baseUrl: server.baseUrl,
    });
    return {
      backend: createApiBackend([client], { maxAttempts: 1 }),
      ignoresEos: false,
      close: async () => {
        await server.close();
        await onnx.close();
      },
    };
  }],
];

function request(content: string, extra: Partial<GenerationRequest> = {}): GenerationRequest {
  return { messages: [{ role: "user", content }], temperature: 0, maxNewTokens: 24, ...extra };
}

for (const [name, factory] of BACKENDS) {
  Deno.test(`generation backend conformance: ${name}`, async (t) => {
    const harness = await factory();
    const { backend } = harness;
    try {
      await t.step("returns one result per request, in order, with token counts", async () => {
        const results = await backend.generate(PROMPTS.map((prompt) => request(prompt)));
        assert.equal(results.length, PROMPTS.length);
        for (const result of results) {
          assert.equal(result.error, undefined);
          assert.ok(result.promptTokens > 0);
          assert.ok(result.completionTokens <= 24);
          assert.ok(result.finishReason === "stop" || result.finishReason === "length");
        }
        assert.ok(backend.info.kind.length > 0 && backend.info.model.length > 0);
      });

      await t.step("is deterministic at temperature 0", async () => {
        const first = await backend.generate([request(PROMPTS[0]!)]);
        const second = await backend.generate([request(PROMPTS[0]!)]);
        assert.equal(first[0]!.text, second[0]!.text);
      });

      await t.step("gives the same replies batched and one by one", async () => {
        const batched = await backend.generate(PROMPTS.map((prompt) => request(prompt)));
        for (const [index, prompt] of PROMPTS.entries()) {
          const [alone] = await backend.generate([request(prompt)]);
          assert.equal(batched[index]!.text, alone!.text, `prompt ${index}`);
          assert.equal(batched[index]!.completionTokens, alone!.completionTokens);
        }
      });

      await t.step("repeats a seeded sample", async () => {
        const sampled = request(PROMPTS[2]!, { temperature: 0.7, seed: 5 });
        const [a] = await backend.generate([sampled]);
        const [b] = await backend.generate([sampled, request(PROMPTS[1]!)]);
        assert.equal(a!.text, b!.text);
      });

      await t.step("stops at the token budget", async () => {
        const [result] = await backend.generate([
          request(PROMPTS[2]!, { maxNewTokens: 3, ignoreEos: true }),
        ]);
        assert.ok(result!.completionTokens <= 3);
        if (harness.ignoresEos) {
          assert.equal(result!.completionTokens, 3);
          assert.equal(result!.finishReason, "length");
        }
      });

      await t.step("cuts the reply before a stop string", async () => {
        // Find a prompt whose greedy reply is long enough to hold a stop string.
        let base: { prompt: string; text: string } | undefined;
        for (const prompt of PROMPTS) {
          const [result] = await backend.generate([
            request(prompt, { maxNewTokens: 16, ignoreEos: true }),
          ]);
          if (result!.text.length >= 6) {
            base = { prompt, text: result!.text };
            break;
          }
        }
        assert.ok(base, "no prompt gave a reply of 6 characters");
        const stop = base.text.slice(3, 5);
        const [result] = await backend.generate([
          request(base.prompt, { maxNewTokens: 16, ignoreEos: true, stop: [stop] }),
        ]);
        assert.equal(result!.text, base.text.slice(0, base.text.indexOf(stop)));
        assert.equal(result!.finishReason, "stop");
      });

      await t.step("streams pieces that add up to each reply", async () => {
        const pieces = PROMPTS.map(() => "");
        const results = await backend.generate(PROMPTS.map((prompt) => request(prompt)), {
          onText: (index, text) => pieces[index] += text,
        });
        assert.deepEqual(pieces, results.map((result) => result.text));
      });
    } finally {
      await harness.close();
    }
  });
}
