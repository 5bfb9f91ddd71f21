import { ERROR_OUTPUT } from "../data/error_output.ts";
import { TextStream } from "./_text_stream.ts";
import { GREEDY_BELOW } from "./sample_token.ts";
import type {
  BackendInfo,
  GenerateOptions,
  GenerationBackend,
  GenerationRequest,
  GenerationResult,
} from "./types.ts";

/** What a scripted model does with one request: the full reply it would give, or a failure. */
export type MockReply = string | { error: string } | { delayMs: number; reply: string };

/** A request as the script sees it. */
export interface MockGenerationRequest extends GenerationRequest {
  /** 0-based count of requests so far. */
  index: number;
}

/** Decides a scripted model's replies. */
export type MockGenerationScript = (request: MockGenerationRequest) => MockReply;

/** Options for {@linkcode createMockBackend}. */
export interface MockBackendOptions {
  /**
   * The script.
   * @default {defaultGenerationScript}
   */
  script?: MockGenerationScript;
  /**
   * Model name reported.
   * @default {"mock-model"}
   */
  model?: string;
  /**
   * Largest batch.
   * @default {8}
   */
  maxBatchSize?: number;
}

/** A scripted backend that also keeps the requests and batches it got. */
export interface MockBackend extends GenerationBackend {
  /** Every request, in arrival order. */
  readonly requests: MockGenerationRequest[];
  /** Size of every `generate` call. */
  readonly batches: number[];
}

/**
 * The default script: a reply that quotes the last user message and says how
 * many messages came before it; with sampling, the seed is appended, so
 * different seeds give different replies.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultGenerationScript } from "./mock_backend.ts";
 * const reply = defaultGenerationScript({
 *   index: 0, temperature: 0, maxNewTokens: 100, messages: [{ role: "user", content: "Hi" }],
 * });
 * assert.equal(reply, 'Reply to "Hi" after 0 message(s).');
 * ```
 */
export function defaultGenerationScript(request: MockGenerationRequest): MockReply {
  const last = [...request.messages].reverse().find((message) => message.role === "user");
  const text = `Reply to "${last?.content ?? ""}" after ${request.messages.length - 1} message(s).`;
  return request.temperature < GREEDY_BELOW ? text : `${text} (seed ${request.seed ?? 0})`;
}

/**
 * A generation backend that answers from a script, with no model: the
 * scripted mock of the tests. Each character counts as one token, so token
 * budgets, stop strings and streaming behave as with a real model, and the
 * same conformance suite runs against it and the ONNX backend.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMockBackend } from "./mock_backend.ts";
 * const backend = createMockBackend({ script: () => "Hello world" });
 * const [result] = await backend.generate([
 *   { messages: [{ role: "user", content: "Hi" }], temperature: 0, maxNewTokens: 5 },
 * ]);
 * assert.equal(result!.text, "Hello");
 * assert.equal(result!.finishReason, "length");
 * ```
 */
export function createMockBackend(options: MockBackendOptions = {}): MockBackend {
  const script = options.script ?? defaultGenerationScript;
  const model = options.model ?? "mock-model";
  const requests: MockGenerationRequest[] = [];
  const batches: number[] = [];
  const info: BackendInfo = { kind: "mock", model, device: "none", template: "none" };
  return {
    info,
    maxBatchSize: options.maxBatchSize ?? 8,
    requests,
    batches,
    async generate(
      batch: readonly GenerationRequest[],
      generateOptions: GenerateOptions = {},
    ): Promise<GenerationResult[]> {
      batches.push(batch.length);
      const started = performance.now();
      const results: GenerationResult[] = [];
      for (const [index, request] of batch.entries()) {
        const scripted: MockGenerationRequest = { ...request, index: requests.length };
        requests.push(scripted);
        let reply = script(scripted);
        if (typeof reply === "object" && "delayMs" in reply) {
          const { delayMs } = reply;
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          reply = reply.reply;
        }
        const promptTokens = request.messages.reduce((sum, m) => sum + m.content.length, 0);
        if (typeof reply === "object") {
          results.push({
            text: ERROR_OUTPUT,
            finishReason: "stop",
            promptTokens,
            completionTokens: 0,
            firstTokenMs: 0,
            totalMs: performance.now() - started,
            error: reply.error,
          });
          continue;
        }
        const characters = [...reply];
        const stream = new TextStream((ids) => String.fromCodePoint(...ids), request.stop ?? []);
        let generated = 0;
        let finishReason: GenerationResult["finishReason"] = "stop";
        for (const character of characters) {
          if (generateOptions.signal?.aborted) break;
          if (generated >= request.maxNewTokens) {
            finishReason = "length";
            break;
          }
          generated++;
          const piece = stream.push(character.codePointAt(0)!);
          if (piece !== "") generateOptions.onText?.(index, piece);
          if (stream.stopped) break;
        }
        const rest = stream.finish();
        if (rest !== "") generateOptions.onText?.(index, rest);
        results.push({
          text: stream.text,
          finishReason,
          promptTokens,
          completionTokens: generated,
          firstTokenMs: 0,
          totalMs: performance.now() - started,
        });
      }
      return results;
    },
    close: () => Promise.resolve(),
  };
}
