import { createHash } from "node:crypto";
import { chatCompletionBody } from "../chat/providers/chat_completion_body.ts";
import { estimateTokens } from "../chat/estimate_tokens.ts";
import type { BatchClient } from "../chat/batch/batch_client.ts";
import type { BatchJournal } from "../chat/batch/batch_journal.ts";
import { type BatchProgress, runBatch } from "../chat/batch/run_batch.ts";
import type { BatchRequest } from "../chat/batch/types.ts";
import { ERROR_OUTPUT } from "../data/error_output.ts";
import type {
  BackendInfo,
  GenerateOptions,
  GenerationBackend,
  GenerationRequest,
  GenerationResult,
} from "./types.ts";

/** Options for {@linkcode createBatchBackend}. */
export interface BatchBackendOptions {
  /** The provider's Batch API. */
  client: BatchClient;
  /** The journal beside the answer file. */
  journal: BatchJournal;
  /** Model id sent in the requests. */
  model: string;
  /**
   * First wait between polls, in ms.
   * @default {15000}
   */
  pollIntervalMs?: number | undefined;
  /**
   * Called after each poll.
   * @default {undefined}
   */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /**
   * Called with notes of the runner.
   * @default {undefined}
   */
  onNote?: ((text: string) => void) | undefined;
}

/** The Batch API backend: a generation backend, and the journal parts whose results it used. */
export interface BatchBackend extends GenerationBackend {
  /** Marks every batch this backend took results from as collected (call once the answers are written). */
  markCollected(): Promise<void>;
}

/**
 * A generation backend over a provider's Batch API, for `gen-api --batch`:
 * each `generate` call is one batch run (`runBatch`) of the same request
 * bodies the API backend sends, with a hash of the body as `custom_id`.
 * `answerQuestions` calls it once per turn, so turn 1 goes in one batch and
 * turn 2 when it returns. Batches are journaled but not marked collected
 * until `markCollected`: a run stopped in turn 2 takes turn 1's answers from
 * its batch again instead of paying for them twice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatchBackend } from "./batch_backend.ts";
 * import { openBatchJournal } from "../chat/batch/batch_journal.ts";
 * import type { BatchClient } from "../chat/batch/batch_client.ts";
 * let input = "";
 * const client: BatchClient = {
 *   provider: "openai", baseUrl: "mock", endpoint: "/v1/chat/completions",
 *   uploadFile: (_name, jsonl) => { input = jsonl; return Promise.resolve("in"); },
 *   createBatch: () => Promise.resolve({ id: "b1", status: "validating", input_file_id: "in" }),
 *   getBatch: () => Promise.resolve({ id: "b1", status: "completed", input_file_id: "in", output_file_id: "out" }),
 *   listBatches: () => Promise.resolve([]),
 *   cancelBatch: () => Promise.reject(new Error("no")),
 *   fileContent: () => Promise.resolve(input.trim().split("\n").map((line) => JSON.stringify({
 *     custom_id: JSON.parse(line).custom_id,
 *     response: { status_code: 200, body: { choices: [{ message: { content: "Hi!" } }] } },
 *   })).join("\n")),
 * };
 * const journal = await openBatchJournal(`${await Deno.makeTempDir()}/a.jsonl.batches.jsonl`);
 * const backend = createBatchBackend({ client, journal, model: "m", pollIntervalMs: 1 });
 * const [result] = await backend.generate([{ messages: [{ role: "user", content: "Hello" }], temperature: 0, maxNewTokens: 16 }]);
 * assert.equal(result!.text, "Hi!");
 * ```
 */
export function createBatchBackend(options: BatchBackendOptions): BatchBackend {
  const { client, journal } = options;
  const used = new Set<string>();
  const info: BackendInfo = {
    kind: "api",
    model: options.model,
    device: client.baseUrl,
    template: "server",
    details: { provider: client.provider, batch: true },
  };
  return {
    info,
    maxBatchSize: Number.MAX_SAFE_INTEGER,
    async generate(
      requests: readonly GenerationRequest[],
      generateOptions: GenerateOptions = {},
    ): Promise<GenerationResult[]> {
      const started = performance.now();
      const batchRequests: BatchRequest[] = requests.map((request) => {
        const body = chatCompletionBody(options.model, {
          messages: request.messages,
          temperature: request.temperature,
          maxTokens: request.maxNewTokens,
          stop: request.stop,
          seed: request.seed,
        });
        return { customId: `gen-${sha256(JSON.stringify(body)).slice(0, 40)}`, body };
      });
      const run = await runBatch(batchRequests, {
        client,
        journal,
        model: options.model,
        collect: false,
        pollIntervalMs: options.pollIntervalMs,
        signal: generateOptions.signal,
        onProgress: options.onProgress,
        onNote: options.onNote,
      });
      for (const part of run.parts) used.add(part);
      const totalMs = performance.now() - started;
      return batchRequests.map((request, index): GenerationResult => {
        const result = run.results.get(request.customId);
        if (result === undefined || !result.ok) {
          return {
            text: ERROR_OUTPUT,
            finishReason: "stop",
            promptTokens: 0,
            completionTokens: 0,
            firstTokenMs: totalMs,
            totalMs,
            error: result === undefined ? "the run stopped before the batch ended" : result.error,
          };
        }
        const { response } = result;
        generateOptions.onText?.(index, response.content);
        return {
          text: response.content,
          finishReason: response.finishReason === "length" ? "length" : "stop",
          promptTokens: response.usage?.promptTokens ??
            estimateTokens(requests[index]!.messages),
          completionTokens: response.usage?.completionTokens ??
            estimateTokens(response.content),
          firstTokenMs: totalMs,
          totalMs,
        };
      });
    },
    async markCollected() {
      for (const part of used) await journal.append({ event: "collected", part });
      used.clear();
    },
    close: () => Promise.resolve(),
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
