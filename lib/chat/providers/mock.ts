import type {
  ChatClient,
  ChatRequest,
  ChatRequestMessage,
  ChatResponse,
  TokenUsage,
} from "../chat_client.ts";
import { ChatRequestError, isRetryableStatus } from "../chat_request_error.ts";
import { redactSecrets } from "../../http/redact.ts";
import { estimateTokens } from "../estimate_tokens.ts";

/** What a scripted judge does with one request. */
export type MockAction =
  | {
    /** Answer with this content (may be empty). */
    reply: string;
    /** Reported usage; estimated from the text when left out. */
    usage?: TokenUsage | undefined;
    /** Wait this long first. */
    delayMs?: number | undefined;
  }
  | {
    /** Fail with this HTTP status. */
    status: number;
    /** `Retry-After` in seconds. */
    retryAfterSeconds?: number | undefined;
    /** Error message in the body. */
    message?: string | undefined;
  }
  | {
    /**
     * `reset`: the connection drops; `timeout`: no answer until the request is
     * aborted; `malformed`: the body is not JSON; `empty`: no content.
     */
    fail: "reset" | "timeout" | "malformed" | "empty";
  };

/** A request as a scripted judge sees it. */
export interface MockRequest {
  /** 0-based count of requests so far. */
  index: number;
  /** The model asked for. */
  model: string;
  /** The messages sent. */
  messages: readonly ChatRequestMessage[];
  /** The sampling temperature asked for. */
  temperature: number;
  /** The reply's token limit asked for. */
  maxTokens: number;
}

/** Decides what a scripted judge does with each request. */
export type MockScript = (request: MockRequest) => MockAction | Promise<MockAction>;

/** Options for {@linkcode createMockClient}. */
export interface MockClientOptions {
  /**
   * The script.
   * @default {defaultMockScript}
   */
  script?: MockScript;
  /**
   * Model id reported.
   * @default {"mock-judge"}
   */
  model?: string;
  /**
   * A key it pretends to use; like the HTTP clients, it redacts it from error messages.
   * @default {undefined}
   */
  apiKey?: string | undefined;
}

/** A scripted judge client that also keeps the requests it got. */
export interface MockJudgeClient extends ChatClient {
  /** Every request, in arrival order. */
  readonly requests: MockRequest[];
}

/**
 * The default script: a pairwise prompt (one that mentions "Assistant B")
 * gets `[[A]]`, any other a rating of `[[7]]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultMockScript } from "./mock.ts";
 * const action = await defaultMockScript({
 *   index: 0, model: "m", temperature: 0, maxTokens: 10,
 *   messages: [{ role: "user", content: "[Question] hi" }],
 * });
 * assert.ok("reply" in action);
 * assert.ok(action.reply.includes("[[7]]"));
 * ```
 */
export function defaultMockScript(request: MockRequest): MockAction {
  const text = request.messages.map((message) => message.content).join("\n");
  return {
    reply: text.includes("Assistant B")
      ? "Assistant A is more helpful. [[A]]"
      : "The answer is helpful and accurate. Rating: [[7]]",
  };
}

/**
 * A judge client that answers from a script, with no network: the scripted
 * mock provider of the tests. Script actions fail the same way the HTTP
 * clients do (same `ChatRequestError` kinds and retryability), so one
 * conformance suite covers both.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMockClient } from "./mock.ts";
 * const client = createMockClient({ script: () => ({ reply: "[[9]]" }) });
 * const response = await client.complete({ messages: [{ role: "user", content: "x" }], temperature: 0, maxTokens: 8 });
 * assert.equal(response.content, "[[9]]");
 * assert.equal(client.requests.length, 1);
 * ```
 */
export function createMockClient(options: MockClientOptions = {}): MockJudgeClient {
  const script = options.script ?? defaultMockScript;
  const model = options.model ?? "mock-judge";
  const requests: MockRequest[] = [];
  return {
    provider: "mock",
    model,
    baseUrl: "mock://judge",
    requests,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      throwIfAborted(request.signal);
      const mockRequest: MockRequest = {
        index: requests.length,
        model,
        messages: request.messages,
        temperature: request.temperature,
        maxTokens: request.maxTokens,
      };
      requests.push(mockRequest);
      const action = await script(mockRequest);
      if ("reply" in action) {
        if (action.delayMs) await delay(action.delayMs, request.signal);
        throwIfAborted(request.signal);
        const promptTokens = estimateTokens(request.messages);
        const completionTokens = estimateTokens(action.reply);
        const usage = action.usage ??
          { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
        return { content: action.reply, usage, model };
      }
      if ("status" in action) {
        throw new ChatRequestError(
          redactSecrets(`HTTP ${action.status}: ${action.message ?? "scripted error"}`, [
            options.apiKey,
          ]),
          {
            kind: "http",
            status: action.status,
            retryable: isRetryableStatus(action.status),
            retryAfterMs: action.retryAfterSeconds === undefined
              ? undefined
              : action.retryAfterSeconds * 1000,
          },
        );
      }
      switch (action.fail) {
        case "reset":
          throw new ChatRequestError("cannot reach the judge (connection failed: reset)", {
            kind: "connection",
            retryable: true,
          });
        case "timeout":
          await delay(Number.POSITIVE_INFINITY, request.signal);
          throw new ChatRequestError("the request was aborted", {
            kind: "aborted",
            retryable: false,
          });
        case "malformed":
          throw new ChatRequestError("the judge's response is not valid JSON", {
            kind: "malformed",
            retryable: true,
          });
        case "empty":
          return { content: "", model };
      }
    },
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new ChatRequestError("the request was aborted", { kind: "aborted", retryable: false });
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
