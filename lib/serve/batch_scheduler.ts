import type { GenerationBackend, GenerationRequest, GenerationResult } from "../generate/types.ts";

/** Options for {@linkcode createBatchScheduler}. */
export interface BatchSchedulerOptions {
  /**
   * Largest batch.
   * @default {backend.maxBatchSize}
   */
  maxBatchSize?: number;
  /**
   * How long the first request of a batch waits for others to join, in ms.
   * @default {5}
   */
  maxWaitMs?: number;
}

/** Options of one submitted request. */
export interface SubmitOptions {
  /**
   * Receives the reply's text as it is generated.
   * @default {undefined}
   */
  onText?: ((text: string) => void) | undefined;
  /**
   * Stops the request: removed from the queue while it waits, its reply
   * ended as it stands once it runs (backends that batch calls themselves;
   * in a shared static batch the others go on).
   * @default {undefined}
   */
  signal?: AbortSignal | undefined;
}

/** Batches concurrent requests onto one backend. */
export interface BatchScheduler {
  /** Queues a request; resolves with its reply. */
  submit(request: GenerationRequest, options?: SubmitOptions): Promise<GenerationResult>;
  /** Requests waiting for a batch. */
  readonly queued: number;
  /** Requests answered so far. */
  readonly answered: number;
  /** Sizes of the batches formed so far (none when the backend batches calls itself). */
  readonly batches: readonly number[];
  /** Waits for the running batch; queued requests are rejected. */
  close(): Promise<void>;
}

interface Pending {
  request: GenerationRequest;
  options: SubmitOptions;
  resolve: (result: GenerationResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects concurrent requests into batches for a backend that decodes a
 * batch together (a backend that batches concurrent calls itself,
 * `batchesCalls`, gets each request at once): while a batch runs, new requests queue; when it ends, up
 * to `maxBatchSize` queued requests run as the next batch (the first
 * request of an idle scheduler waits `maxWaitMs` for company). Each
 * request's streamed text goes to its own `onText`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatchScheduler } from "./batch_scheduler.ts";
 * import { createMockBackend } from "../generate/mock_backend.ts";
 * const scheduler = createBatchScheduler(createMockBackend({ script: () => "ok" }));
 * const request = { messages: [{ role: "user" as const, content: "hi" }], temperature: 0, maxNewTokens: 8 };
 * const results = await Promise.all([scheduler.submit(request), scheduler.submit(request)]);
 * assert.equal(results.length, 2);
 * assert.equal(scheduler.batches[0], 2);
 * ```
 */
export function createBatchScheduler(
  backend: GenerationBackend,
  options: BatchSchedulerOptions = {},
): BatchScheduler {
  const maxBatchSize = options.maxBatchSize ?? backend.maxBatchSize;
  const maxWaitMs = options.maxWaitMs ?? 5;
  const queue: Pending[] = [];
  const batches: number[] = [];
  let running: Promise<void> | undefined;
  let closed = false;
  let answered = 0;

  const runLoop = async () => {
    await new Promise((resolve) => setTimeout(resolve, maxWaitMs));
    while (queue.length > 0 && !closed) {
      const batch = queue.splice(0, maxBatchSize);
      batches.push(batch.length);
      try {
        const results = await backend.generate(
          batch.map((pending) => pending.request),
          { onText: (index, text) => batch[index]!.options.onText?.(text) },
        );
        batch.forEach((pending, index) => pending.resolve(results[index]!));
        answered += batch.length;
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    running = undefined;
  };

  return {
    submit(request, submitOptions = {}) {
      if (closed) return Promise.reject(new Error("The scheduler is closed"));
      if (backend.batchesCalls === true) {
        // The backend batches concurrent calls itself (continuously, for the ONNX backend).
        const onText = submitOptions.onText;
        return backend.generate([request], {
          onText: onText === undefined ? undefined : (_, text) => onText(text),
          signal: submitOptions.signal,
        }).then(([result]) => {
          answered++;
          return result!;
        });
      }
      return new Promise((resolve, reject) => {
        const pending: Pending = { request, options: submitOptions, resolve, reject };
        queue.push(pending);
        submitOptions.signal?.addEventListener("abort", () => {
          const index = queue.indexOf(pending);
          if (index < 0) return;
          queue.splice(index, 1);
          reject(new Error("The request was stopped before its batch started"));
        }, { once: true });
        running ??= runLoop();
      });
    },
    get queued() {
      return queue.length;
    },
    get answered() {
      return answered;
    },
    batches,
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) {
        pending.reject(new Error("The server is shutting down"));
      }
      await running;
    },
  };
}
