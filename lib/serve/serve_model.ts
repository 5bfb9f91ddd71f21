import type { GenerationBackend } from "../generate/types.ts";
import { type BatchScheduler, createBatchScheduler } from "./batch_scheduler.ts";
import { createOpenAIHandler } from "./create_openai_handler.ts";

/** Options for {@linkcode serveModel}. */
export interface ServeModelOptions {
  /** Model id served. */
  modelId: string;
  /**
   * Interface to bind; 127.0.0.1 keeps the server to this machine.
   * @default {"127.0.0.1"}
   */
  hostname?: string;
  /**
   * Port; 0 picks a free one.
   * @default {8000}
   */
  port?: number;
  /**
   * Largest batch.
   * @default {backend.maxBatchSize}
   */
  maxBatchSize?: number;
  /**
   * How long a request waits for others to join its batch, in ms.
   * @default {5}
   */
  maxWaitMs?: number;
  /**
   * Completion budget when a request sets none.
   * @default {1024}
   */
  defaultMaxTokens?: number;
  /**
   * Largest request body in bytes; a larger one is answered 413 without being read.
   * @default {8388608}
   */
  maxBodyBytes?: number;
  /**
   * Longest time one completion may take, in ms (then 504).
   * @default {600000}
   */
  requestTimeoutMs?: number;
  /**
   * Stops the server.
   * @default {undefined}
   */
  signal?: AbortSignal | undefined;
}

/** A running server. */
export interface ModelServer {
  /** `http://<host>:<port>/v1`, for OpenAI clients. */
  baseUrl: string;
  /** The port bound. */
  port: number;
  /** The scheduler (batch statistics). */
  scheduler: BatchScheduler;
  /** Stops accepting requests, lets running batches finish, and resolves when stopped. */
  close(): Promise<void>;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
}

/**
 * Serves a generation backend as an OpenAI-compatible HTTP API (see
 * `createOpenAIHandler`) with `Deno.serve`, on 127.0.0.1 unless told
 * otherwise; concurrent requests are batched.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveModel } from "./serve_model.ts";
 * import { createMockBackend } from "../generate/mock_backend.ts";
 * const server = await serveModel(createMockBackend(), { modelId: "mock", port: 0 });
 * const response = await fetch(`${server.baseUrl}/models`);
 * assert.equal((await response.json()).data[0].id, "mock");
 * await server.close();
 * ```
 */
export function serveModel(
  backend: GenerationBackend,
  options: ServeModelOptions,
): Promise<ModelServer> {
  const scheduler = createBatchScheduler(backend, {
    ...(options.maxBatchSize === undefined ? {} : { maxBatchSize: options.maxBatchSize }),
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
  });
  const handler = createOpenAIHandler(scheduler, {
    modelId: options.modelId,
    defaultMaxTokens: options.defaultMaxTokens,
    maxBodyBytes: options.maxBodyBytes,
    requestTimeoutMs: options.requestTimeoutMs,
  });

  const controller = new AbortController();
  const hostname = options.hostname ?? "127.0.0.1";
  let active = 0;
  const server = Deno.serve({
    hostname,
    port: options.port ?? 8000,
    signal: controller.signal,
    onListen: () => {},
  }, async (request) => {
    active++;
    try {
      return await handler(request);
    } finally {
      active--;
    }
  });
  const { port } = server.addr;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const finished = server.finished.then(() => scheduler.close());
  // Queued requests are answered with an error and the running batch ends
  // before the connections close.
  const close = async () => {
    await scheduler.close();
    // Let the handlers of the last batch hand their responses over.
    for (let waited = 0; active > 0 && waited < 5000; waited += 5) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await finished;
  };
  options.signal?.addEventListener("abort", () => void close(), { once: true });
  return Promise.resolve({
    baseUrl: `http://${host}:${port}/v1`,
    port,
    scheduler,
    finished,
    close,
  });
}
