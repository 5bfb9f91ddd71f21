import type { ChatClient } from "../chat/chat_client.ts";
import type { ChatRequestError } from "../chat/chat_request_error.ts";
import { RateLimiter } from "../chat/rate_limiter.ts";
import { estimateTokens } from "../chat/estimate_tokens.ts";
import {
  requestWithRetries,
  type RetryEvent,
  type RetryPolicy,
  retryPolicy,
} from "../chat/request_with_retries.ts";
import { ERROR_OUTPUT } from "../data/error_output.ts";
import type {
  BackendInfo,
  GenerateOptions,
  GenerationBackend,
  GenerationRequest,
  GenerationResult,
} from "./types.ts";

/** Options for {@linkcode createApiBackend}. */
export interface ApiBackendOptions extends RetryPolicy {
  /**
   * Largest batch: requests of one `generate` call are sent at once.
   * @default {8}
   */
  maxBatchSize?: number;
  /**
   * Requests per minute over all replicas (`--rpm`).
   * @default {undefined} (no limit)
   */
  rpm?: number | undefined;
  /**
   * Tokens per minute over all replicas (`--tpm`).
   * @default {undefined} (no limit)
   */
  tpm?: number | undefined;
  /**
   * Per-request timeout in ms.
   * @default {600000}
   */
  timeoutMs?: number;
  /**
   * Called before each retry, with the replica that failed.
   * @default {undefined}
   */
  onRetry?: ((event: RetryEvent, baseUrl: string) => void) | undefined;
}

/** The API backend, with its run statistics. */
export interface ApiBackend extends GenerationBackend {
  /** The non-retryable error that stopped it, if one did. */
  readonly fatal: ChatRequestError | undefined;
  /** Retried attempts so far. */
  readonly retries: number;
  /** Requests answered per replica base URL. */
  readonly answeredBy: ReadonlyMap<string, number>;
}

/**
 * A generation backend over OpenAI-compatible chat endpoints (vLLM, SGLang,
 * TGI, Ollama, Groq, OpenAI, or `llm-judge serve`), for `gen-api`: the
 * requests of a batch go out at once, each to the replica with the fewest
 * requests in flight (ties in turn), with the judge runner's retries, backoff
 * and rate limits (`requestWithRetries`); a retry may go to another replica.
 * A request that still fails gives a `$ERROR$` reply with an `error`; a
 * non-retryable failure (400, 401, 403, 404) stops the backend and rejects.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createApiBackend } from "./api_backend.ts";
 * import { createMockClient } from "../chat/providers/mock.ts";
 * const backend = createApiBackend([createMockClient({ script: () => ({ reply: "Hi!" }) })]);
 * const [result] = await backend.generate([
 *   { messages: [{ role: "user", content: "Hello" }], temperature: 0, maxNewTokens: 16 },
 * ]);
 * assert.equal(result!.text, "Hi!");
 * ```
 */
export function createApiBackend(
  clients: readonly ChatClient[],
  options: ApiBackendOptions = {},
): ApiBackend {
  if (clients.length === 0) throw new RangeError("Cannot create an API backend: no endpoint");
  const limiter = new RateLimiter({ rpm: options.rpm, tpm: options.tpm });
  const inFlight = clients.map(() => 0);
  const answeredBy = new Map<string, number>();
  let turn = 0;
  let fatal: ChatRequestError | undefined;
  let retries = 0;
  const stop = new AbortController();
  const pick = (): number => {
    const least = Math.min(...inFlight);
    for (let offset = 0; offset < clients.length; offset++) {
      const index = (turn + offset) % clients.length;
      if (inFlight[index] === least) {
        turn = index + 1;
        return index;
      }
    }
    return 0;
  };
  const info: BackendInfo = {
    kind: "api",
    model: clients[0]!.model,
    device: clients.map((client) => client.baseUrl).join(","),
    template: "server",
    details: { provider: clients[0]!.provider },
  };

  const one = async (
    request: GenerationRequest,
    signal: AbortSignal,
  ): Promise<GenerationResult> => {
    const started = performance.now();
    const estimatedPromptTokens = estimateTokens(request.messages);
    let usedBy = "";
    const outcome = await requestWithRetries(
      async (attemptSignal) => {
        const index = pick();
        const client = clients[index]!;
        usedBy = client.baseUrl;
        inFlight[index]!++;
        try {
          return await client.complete({
            messages: request.messages,
            temperature: request.temperature,
            maxTokens: request.maxNewTokens,
            signal: attemptSignal,
            stop: request.stop,
            seed: request.seed,
          });
        } finally {
          inFlight[index]!--;
        }
      },
      {
        signal,
        limiter,
        estimatedTokens: estimatedPromptTokens + request.maxNewTokens,
        ...retryPolicy(options),
        timeoutMs: options.timeoutMs ?? 600_000,
        onRetry: (event) => {
          retries++;
          options.onRetry?.(event, usedBy);
        },
      },
    );
    const totalMs = performance.now() - started;
    const failed = (error: string): GenerationResult => ({
      text: ERROR_OUTPUT,
      finishReason: "stop",
      promptTokens: 0,
      completionTokens: 0,
      firstTokenMs: totalMs,
      totalMs,
      error,
    });
    switch (outcome.kind) {
      case "ok": {
        const { response } = outcome;
        answeredBy.set(usedBy, (answeredBy.get(usedBy) ?? 0) + 1);
        return {
          text: response.content,
          finishReason: response.finishReason === "length" ? "length" : "stop",
          promptTokens: response.usage?.promptTokens ?? estimatedPromptTokens,
          completionTokens: response.usage?.completionTokens ??
            estimateTokens(response.content),
          firstTokenMs: outcome.latencyMs,
          totalMs,
        };
      }
      case "failed":
        return failed(
          `the request failed after ${outcome.attempts} attempt(s): ${outcome.error.message}`,
        );
      case "fatal":
        fatal ??= outcome.error;
        stop.abort();
        throw outcome.error;
      case "aborted":
        return failed("the request was aborted");
    }
  };

  return {
    info,
    maxBatchSize: options.maxBatchSize ?? 8,
    get fatal() {
      return fatal;
    },
    get retries() {
      return retries;
    },
    answeredBy,
    async generate(
      requests: readonly GenerationRequest[],
      generateOptions: GenerateOptions = {},
    ): Promise<GenerationResult[]> {
      if (fatal !== undefined) throw fatal;
      const signal = generateOptions.signal === undefined
        ? stop.signal
        : AbortSignal.any([stop.signal, generateOptions.signal]);
      const settled = await Promise.allSettled(requests.map((request) => one(request, signal)));
      const rejected = settled.find((result) => result.status === "rejected");
      if (rejected !== undefined) throw (rejected as PromiseRejectedResult).reason;
      const results = settled.map((result) =>
        (result as PromiseFulfilledResult<GenerationResult>).value
      );
      results.forEach((result, index) => {
        if (result.error === undefined && result.text !== "") {
          generateOptions.onText?.(index, result.text);
        }
      });
      return results;
    },
    close: () => Promise.resolve(),
  };
}
