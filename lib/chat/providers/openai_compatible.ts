import OpenAI, { AzureOpenAI } from "npm:openai@7.59.0";
import type { ChatClient, ChatRequest, ChatResponse } from "../chat_client.ts";
import {
  ChatRequestError,
  isContextLengthError,
  isRetryableStatus,
} from "../chat_request_error.ts";
import { redactSecrets, redactUrl } from "../../http/redact.ts";
import { chatCompletionBody } from "./chat_completion_body.ts";
import { chatResponseOf } from "./chat_response_of.ts";
import { retryAfterMs } from "../../http/retry_after.ts";

/** Options for {@linkcode createOpenAICompatibleClient}. */
export interface OpenAICompatibleOptions {
  /** Provider preset name, recorded in provenance. */
  provider: string;
  /** Model id (Azure: the deployment name). */
  model: string;
  /** Base URL of the OpenAI-compatible API (Azure: the resource endpoint). */
  baseUrl: string;
  /**
   * API key; never written anywhere.
   * @default {undefined} (a placeholder is sent, for local servers without auth)
   */
  apiKey?: string | undefined;
  /**
   * Azure OpenAI: the API version; set it to use Azure's deployment URLs and `api-key` header.
   * @default {undefined}
   */
  azureApiVersion?: string | undefined;
  /**
   * Extra headers sent with every request.
   * @default {{}}
   */
  headers?: Record<string, string>;
  /**
   * SDK-level timeout per request in milliseconds (the runner also aborts on its own timeout).
   * @default {600000}
   */
  timeoutMs?: number;
  /**
   * The `fetch` to use.
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
}

/**
 * A judge client for any OpenAI-compatible chat-completions endpoint, through
 * the official `openai` SDK with its own retries turned off (the runner
 * retries). Errors become `ChatRequestError`s with the HTTP status, the
 * server's `Retry-After`, and the API key redacted from every message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createOpenAICompatibleClient } from "./openai_compatible.ts";
 * const client = createOpenAICompatibleClient({
 *   provider: "local", model: "llama3", baseUrl: "http://127.0.0.1:11434/v1",
 * });
 * assert.equal(client.baseUrl, "http://127.0.0.1:11434/v1");
 * ```
 */
export function createOpenAICompatibleClient(options: OpenAICompatibleOptions): ChatClient {
  const apiKey = options.apiKey ?? "no-key";
  const common = {
    apiKey,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 600_000,
    organization: null,
    project: null,
    logLevel: "off" as const,
    defaultHeaders: options.headers ?? {},
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  const sdk = options.azureApiVersion === undefined
    ? new OpenAI({ ...common, baseURL: options.baseUrl })
    : new AzureOpenAI({
      ...common,
      endpoint: options.baseUrl,
      apiVersion: options.azureApiVersion,
      deployment: options.model,
    });
  const secrets = options.apiKey === undefined ? [] : [options.apiKey];
  const baseUrl = redactUrl(options.baseUrl);
  return {
    provider: options.provider,
    model: options.model,
    baseUrl,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      let completion;
      try {
        completion = await sdk.chat.completions.create(
          chatCompletionBody(options.model, request),
          request.signal === undefined ? {} : { signal: request.signal },
        );
      } catch (error) {
        throw toChatRequestError(error, secrets);
      }
      return chatResponseOf(completion);
    },
  };
}

function toChatRequestError(error: unknown, secrets: string[]): ChatRequestError {
  const message = (text: string) => redactSecrets(text, secrets);
  if (error instanceof OpenAI.APIUserAbortError) {
    return new ChatRequestError("the request was aborted", { kind: "aborted", retryable: false });
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ChatRequestError("the request timed out", { kind: "timeout", retryable: true });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${message(cause.message)}` : "";
    return new ChatRequestError(`cannot reach the server (connection failed${detail})`, {
      kind: "connection",
      retryable: true,
    });
  }
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    const text = error.message.startsWith(String(error.status))
      ? error.message
      : `${error.status} ${error.message}`;
    const code = (error as { code?: unknown }).code;
    if (error.status === 400 && isContextLengthError(typeof code === "string" ? code : "", text)) {
      return new ChatRequestError(message(`HTTP ${text}`), {
        kind: "context_length",
        status: error.status,
        retryable: false,
      });
    }
    return new ChatRequestError(message(`HTTP ${text}`), {
      kind: "http",
      status: error.status,
      retryable: isRetryableStatus(error.status),
      retryAfterMs: retryAfterMs(error.headers),
    });
  }
  if (error instanceof SyntaxError) {
    return new ChatRequestError(
      `the server's response is not valid JSON: ${message(error.message)}`,
      {
        kind: "malformed",
        retryable: true,
      },
    );
  }
  const text = error instanceof Error ? error.message : String(error);
  return new ChatRequestError(`the request failed: ${message(text)}`, {
    kind: "connection",
    retryable: true,
  });
}
