import { ERROR_OUTPUT } from "../data/error_output.ts";
import type { GenerationMessage, GenerationRequest, GenerationResult } from "../generate/types.ts";
import type { BatchScheduler } from "./batch_scheduler.ts";

/** Options for {@linkcode createOpenAIHandler}. */
export interface OpenAIHandlerOptions {
  /** Model id served (`/v1/models`, and accepted in requests besides `default`). */
  modelId: string;
  /**
   * Completion budget when a request sets none.
   * @default {1024}
   */
  defaultMaxTokens?: number;
  /**
   * Largest completion budget a request may ask for.
   * @default {8192}
   */
  maxTokensLimit?: number;
  /**
   * Largest request body, in bytes. A larger body is answered 413 at once,
   * from its `Content-Length`, or as soon as the bytes read pass the limit;
   * the rest is not read.
   * @default {8388608}
   */
  maxBodyBytes?: number;
  /**
   * Longest time one completion may take, in ms: then it is stopped and
   * answered 504.
   * @default {600000}
   */
  requestTimeoutMs?: number;
  /**
   * Seconds since the epoch, for `created` fields.
   * @default {() => Math.floor(Date.now() / 1000)}
   */
  now?: () => number;
}

/** An HTTP error in OpenAI's format. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

const JSON_HEADERS = { "content-type": "application/json" };

function errorResponse(error: ApiError): Response {
  return new Response(
    JSON.stringify({
      error: { message: error.message, type: error.type, param: error.param, code: error.code },
    }),
    { status: error.status, headers: JSON_HEADERS },
  );
}

function invalid(message: string, param: string | null = null): ApiError {
  return new ApiError(400, message, "invalid_request_error", param);
}

function messageContent(value: unknown, index: number): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    // Content parts: only text is supported.
    return value.map((part, partIndex) => {
      if (
        typeof part === "object" && part !== null && (part as { type?: unknown }).type === "text"
      ) {
        const text = (part as { text?: unknown }).text;
        if (typeof text === "string") return text;
      }
      throw invalid(
        `messages[${index}].content[${partIndex}]: only text content parts are supported`,
        `messages[${index}].content`,
      );
    }).join("");
  }
  if (value === null || value === undefined) return "";
  throw invalid(`messages[${index}].content must be a string`, `messages[${index}].content`);
}

function parseRequest(
  body: unknown,
  options: Required<Omit<OpenAIHandlerOptions, "now">>,
): { request: GenerationRequest; stream: boolean; includeUsage: boolean; model: string } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("the request body must be a JSON object");
  }
  const fields = body as Record<string, unknown>;
  const model = fields.model === undefined ? options.modelId : fields.model;
  if (typeof model !== "string") throw invalid("model must be a string", "model");
  if (model !== options.modelId && model !== "default") {
    throw new ApiError(
      404,
      `The model \`${model}\` does not exist; this server serves \`${options.modelId}\``,
      "invalid_request_error",
      "model",
      "model_not_found",
    );
  }
  if (!Array.isArray(fields.messages) || fields.messages.length === 0) {
    throw invalid("messages must be a non-empty array", "messages");
  }
  const messages: GenerationMessage[] = fields.messages.map((raw, index) => {
    if (typeof raw !== "object" || raw === null) {
      throw invalid(`messages[${index}] must be an object`, "messages");
    }
    const role = (raw as { role?: unknown }).role;
    const mapped = role === "developer" ? "system" : role;
    if (mapped !== "system" && mapped !== "user" && mapped !== "assistant") {
      throw invalid(
        `messages[${index}].role must be system, user or assistant, got ${JSON.stringify(role)}`,
        `messages[${index}].role`,
      );
    }
    return { role: mapped, content: messageContent((raw as { content?: unknown }).content, index) };
  });
  const number = (name: string, fallback: number, min: number, max: number) => {
    const value = fields[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      throw invalid(
        `${name} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`,
        name,
      );
    }
    return value;
  };
  number("n", 1, 1, 1); // One choice per request.
  const maxTokens = Math.floor(
    number(
      fields.max_completion_tokens === undefined ? "max_tokens" : "max_completion_tokens",
      options.defaultMaxTokens,
      1,
      options.maxTokensLimit,
    ),
  );
  let stop: string[] = [];
  if (typeof fields.stop === "string") stop = [fields.stop];
  else if (Array.isArray(fields.stop)) {
    if (!fields.stop.every((item) => typeof item === "string")) {
      throw invalid("stop must be a string or an array of strings", "stop");
    }
    stop = fields.stop as string[];
  } else if (fields.stop !== undefined && fields.stop !== null) {
    throw invalid("stop must be a string or an array of strings", "stop");
  }
  const seed = fields.seed === undefined || fields.seed === null
    ? undefined
    : Math.floor(number("seed", 0, -(2 ** 53), 2 ** 53));
  const streamOptions = fields.stream_options as { include_usage?: unknown } | undefined | null;
  return {
    request: {
      messages,
      temperature: number("temperature", 1, 0, 2),
      topP: number("top_p", 1, 0, 1),
      maxNewTokens: maxTokens,
      stop,
      seed,
    },
    stream: fields.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    model: options.modelId,
  };
}

/**
 * An OpenAI-compatible HTTP handler over a batch scheduler: `GET /v1/models`
 * and `POST /v1/chat/completions`, plain or streamed as server-sent events
 * (`stream: true`, with `stream_options.include_usage`). Concurrent requests
 * are batched by the scheduler. Errors use OpenAI's `{"error": {...}}` body:
 * 400 for a bad request, 404 for an unknown model or path, 500 when
 * generation fails.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createOpenAIHandler } from "./create_openai_handler.ts";
 * import { createBatchScheduler } from "./batch_scheduler.ts";
 * import { createMockBackend } from "../generate/mock_backend.ts";
 * const handler = createOpenAIHandler(createBatchScheduler(createMockBackend()), { modelId: "tiny" });
 * const response = await handler(new Request("http://localhost/v1/models"));
 * assert.equal((await response.json()).data[0].id, "tiny");
 * ```
 */
export function createOpenAIHandler(
  scheduler: BatchScheduler,
  options: OpenAIHandlerOptions,
): (request: Request) => Promise<Response> {
  const settings = {
    modelId: options.modelId,
    defaultMaxTokens: options.defaultMaxTokens ?? 1024,
    maxTokensLimit: options.maxTokensLimit ?? 8192,
    maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
    requestTimeoutMs: options.requestTimeoutMs ?? 600_000,
  };
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const started = now();
  return async (httpRequest: Request): Promise<Response> => {
    const path = new URL(httpRequest.url).pathname.replace(/\/+$/, "");
    try {
      if (path === "/v1/models" || path === "/models") {
        if (httpRequest.method !== "GET") {
          throw new ApiError(405, "use GET", "invalid_request_error");
        }
        return Response.json({
          object: "list",
          data: [{
            id: settings.modelId,
            object: "model",
            created: started,
            owned_by: "llm-judge",
          }],
        });
      }
      if (path === "/v1/chat/completions" || path === "/chat/completions") {
        if (httpRequest.method !== "POST") {
          throw new ApiError(405, "use POST", "invalid_request_error");
        }
        const text = await readBody(httpRequest, settings.maxBodyBytes);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw invalid("the request body is not valid JSON");
        }
        const parsed = parseRequest(body, settings);
        const id = `chatcmpl-${crypto.randomUUID().replaceAll("-", "")}`;
        const created = now();
        const deadline = AbortSignal.timeout(settings.requestTimeoutMs);
        if (parsed.stream) return streamCompletion(scheduler, parsed, id, created, deadline);
        const result = await submitWithDeadline(scheduler, parsed.request, deadline);
        if (result.error !== undefined) throw generationError(result, settings.requestTimeoutMs);
        return Response.json({
          id,
          object: "chat.completion",
          created,
          model: parsed.model,
          choices: [{
            index: 0,
            message: { role: "assistant", content: result.text },
            logprobs: null,
            finish_reason: result.finishReason,
          }],
          usage: {
            prompt_tokens: result.promptTokens,
            completion_tokens: result.completionTokens,
            total_tokens: result.promptTokens + result.completionTokens,
          },
        });
      }
      throw new ApiError(
        404,
        `no route for ${httpRequest.method} ${path}`,
        "invalid_request_error",
      );
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      return errorResponse(
        new ApiError(500, `generation failed: ${(error as Error).message}`, "server_error"),
      );
    }
  };
}

/**
 * The body as text, read no further than `limit` bytes: a larger one is a 413
 * (from `Content-Length` before reading, or as soon as the count passes it).
 */
async function readBody(request: Request, limit: number): Promise<string> {
  const tooLarge = () =>
    new ApiError(
      413,
      `the request body is larger than this server's limit of ${limit} bytes (--max-body-bytes)`,
      "invalid_request_error",
      null,
      "request_too_large",
    );
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Submits a request and answers a timeout when `deadline` fires first; the
 * deadline also stops the request in the backend where it can be stopped.
 */
function submitWithDeadline(
  scheduler: BatchScheduler,
  request: GenerationRequest,
  deadline: AbortSignal,
  onText?: (text: string) => void,
): Promise<GenerationResult> {
  const timedOut = new Promise<GenerationResult>((resolve) => {
    const fire = () =>
      resolve({
        text: ERROR_OUTPUT,
        finishReason: "length",
        promptTokens: 0,
        completionTokens: 0,
        firstTokenMs: 0,
        totalMs: 0,
        error: "timeout",
        errorCode: "request_timeout",
      });
    if (deadline.aborted) fire();
    else deadline.addEventListener("abort", fire, { once: true });
  });
  return Promise.race([scheduler.submit(request, { signal: deadline, onText }), timedOut]);
}

/** The API error of a reply that failed: 400 for a prompt over the context, 504 for a timeout. */
function generationError(result: GenerationResult, timeoutMs: number): ApiError {
  if (result.errorCode === "context_length_exceeded") {
    return new ApiError(
      400,
      result.error ?? "the prompt is longer than the model's context",
      "invalid_request_error",
      "messages",
      "context_length_exceeded",
    );
  }
  if (result.errorCode === "request_timeout") {
    return new ApiError(
      504,
      `the completion took longer than this server's limit of ${
        timeoutMs / 1000
      } s (--request-timeout)`,
      "timeout",
      null,
      "request_timeout",
    );
  }
  return new ApiError(
    400,
    result.error ?? "generation failed",
    "invalid_request_error",
    "messages",
    "generation_failed",
  );
}

function streamCompletion(
  scheduler: BatchScheduler,
  parsed: ReturnType<typeof parseRequest>,
  id: string,
  created: number,
  deadline: AbortSignal,
): Response {
  const encoder = new TextEncoder();
  let cancelled = false;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    encoder.encode(
      `data: ${
        JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created,
          model: parsed.model,
          choices,
          ...extra,
        })
      }\n\n`,
    );
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (bytes: Uint8Array) => {
        if (!cancelled) controller.enqueue(bytes);
      };
      send(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]));
      try {
        const result = await submitWithDeadline(
          scheduler,
          parsed.request,
          deadline,
          (text) => send(chunk([{ index: 0, delta: { content: text }, finish_reason: null }])),
        );
        if (result.error !== undefined) {
          send(encoder.encode(
            `data: ${
              JSON.stringify({ error: { message: result.error, type: "invalid_request_error" } })
            }\n\n`,
          ));
        } else {
          send(chunk([{ index: 0, delta: {}, finish_reason: result.finishReason }]));
          if (parsed.includeUsage) {
            send(chunk([], {
              usage: {
                prompt_tokens: result.promptTokens,
                completion_tokens: result.completionTokens,
                total_tokens: result.promptTokens + result.completionTokens,
              },
            }));
          }
        }
      } catch (error) {
        send(encoder.encode(
          `data: ${
            JSON.stringify({
              error: {
                message: `generation failed: ${(error as Error).message}`,
                type: "server_error",
              },
            })
          }\n\n`,
        ));
      }
      send(encoder.encode("data: [DONE]\n\n"));
      if (!cancelled) controller.close();
    },
    cancel() {
      // The client went away; the batch finishes without it.
      cancelled = true;
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    },
  });
}
