import { backoffDelay } from "../../http/backoff_delay.ts";
import { redactSecrets, redactUrl } from "../../http/redact.ts";
import { retryAfterMs } from "../../http/retry_after.ts";
import { isRetryableStatus } from "../chat_request_error.ts";
import { BatchApiError } from "./batch_api_error.ts";
import type { BatchObject } from "./types.ts";
import { abortableSleep } from "../../http/abortable_sleep.ts";

/** Options for {@linkcode createBatchClient}. */
export interface BatchClientOptions {
  /** Provider preset name (`openai`, `groq`, `azure`, `local`). */
  provider: string;
  /** Base URL of the OpenAI-compatible API, e.g. `https://api.openai.com/v1` (Azure: the resource endpoint). */
  baseUrl: string;
  /**
   * API key; sent as a bearer token (Azure: the `api-key` header), never written anywhere.
   * @default {undefined}
   */
  apiKey?: string | undefined;
  /**
   * Azure OpenAI: the API version; set, the client uses Azure's `/openai/...?api-version=` URLs.
   * @default {undefined}
   */
  azureApiVersion?: string | undefined;
  /**
   * Attempts per call, the first included; 408, 409, 429, 5xx and connection failures are retried.
   * @default {6}
   */
  maxAttempts?: number;
  /**
   * First backoff delay in ms (doubles per attempt, with jitter, at least the server's `Retry-After`).
   * @default {1000}
   */
  backoffBaseMs?: number;
  /**
   * Per-call timeout in ms.
   * @default {300000}
   */
  timeoutMs?: number;
  /**
   * Stops waiting and retrying.
   * @default {undefined}
   */
  signal?: AbortSignal | undefined;
  /**
   * Called before each retry.
   * @default {undefined}
   */
  onRetry?: ((error: BatchApiError, delayMs: number) => void) | undefined;
  /**
   * The `fetch` to use.
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
}

/** The Files and Batches endpoints of an OpenAI-compatible provider. */
export interface BatchClient {
  /** Provider preset name. */
  readonly provider: string;
  /** Base URL, without credentials. */
  readonly baseUrl: string;
  /** The `url` of each input line and the `endpoint` of a batch (`/v1/chat/completions`; Azure: `/chat/completions`). */
  readonly endpoint: string;
  /** `POST /files` with purpose `batch`; returns the file id. */
  uploadFile(name: string, jsonl: string): Promise<string>;
  /** `POST /batches` for an uploaded file, completion window 24h, with metadata. */
  createBatch(inputFileId: string, metadata: Record<string, string>): Promise<BatchObject>;
  /** `GET /batches/{id}`. */
  getBatch(id: string): Promise<BatchObject>;
  /** `GET /batches`, newest first, up to `pages` pages of 100. */
  listBatches(pages?: number): Promise<BatchObject[]>;
  /** `POST /batches/{id}/cancel`. */
  cancelBatch(id: string): Promise<BatchObject>;
  /** `GET /files/{id}/content`, as text. */
  fileContent(id: string): Promise<string>;
}

/**
 * A client of the Batch API that OpenAI, Azure OpenAI and Groq share
 * (`/files` and `/batches`), over `fetch`: every call is retried on 408,
 * 409, 429, 5xx and connection failures with exponential backoff and
 * jitter, honouring `Retry-After`; other failures throw a
 * {@linkcode BatchApiError} naming the call, with the key redacted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBatchClient } from "./batch_client.ts";
 * const client = createBatchClient({ provider: "groq", baseUrl: "https://api.groq.com/openai/v1" });
 * assert.equal(client.endpoint, "/v1/chat/completions");
 * const azure = createBatchClient({ provider: "azure", baseUrl: "https://x.openai.azure.com", azureApiVersion: "2024-10-21" });
 * assert.equal(azure.endpoint, "/chat/completions");
 * ```
 */
export function createBatchClient(options: BatchClientOptions): BatchClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxAttempts = options.maxAttempts ?? 6;
  const azure = options.azureApiVersion !== undefined;
  const root = azure
    ? `${options.baseUrl.replace(/\/+$/, "")}/openai`
    : options.baseUrl.replace(/\/+$/, "");
  const secrets = [options.apiKey];
  const urlOf = (path: string, query: Record<string, string> = {}) => {
    const url = new URL(`${root}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    if (azure) url.searchParams.set("api-version", options.azureApiVersion!);
    return url.toString();
  };
  const headers = (): Record<string, string> => {
    if (options.apiKey === undefined) return {};
    return azure ? { "api-key": options.apiKey } : { authorization: `Bearer ${options.apiKey}` };
  };

  const call = async (
    method: string,
    path: string,
    init: { body?: () => BodyInit; json?: unknown; query?: Record<string, string> } = {},
  ): Promise<Response> => {
    const what = `${method} ${path}`;
    for (let attempt = 1;; attempt++) {
      options.signal?.throwIfAborted();
      let error: BatchApiError;
      try {
        const response = await doFetch(urlOf(path, init.query), {
          method,
          headers: {
            ...headers(),
            ...(init.json === undefined ? {} : { "content-type": "application/json" }),
          },
          body: init.json !== undefined ? JSON.stringify(init.json) : init.body?.(),
          signal: AbortSignal.any([
            AbortSignal.timeout(options.timeoutMs ?? 300_000),
            ...(options.signal === undefined ? [] : [options.signal]),
          ]),
        });
        if (response.ok) return response;
        const text = await response.text().catch(() => "");
        let detail = text.slice(0, 300);
        try {
          const parsed = JSON.parse(text) as { error?: { message?: string } };
          if (typeof parsed.error?.message === "string") detail = parsed.error.message;
        } catch {
          // not JSON: keep the text
        }
        error = new BatchApiError(
          redactSecrets(`${what}: HTTP ${response.status}${detail ? `: ${detail}` : ""}`, secrets),
          {
            status: response.status,
            retryable: isRetryableStatus(response.status),
            retryAfterMs: retryAfterMs(response.headers),
          },
        );
      } catch (caught) {
        if (options.signal?.aborted) throw caught;
        const text = caught instanceof Error ? caught.message : String(caught);
        error = new BatchApiError(redactSecrets(`${what}: ${text}`, secrets), {
          retryable: true,
          cause: caught,
        });
      }
      if (!error.retryable || attempt >= maxAttempts) throw error;
      const delayMs = backoffDelay(attempt, {
        baseMs: options.backoffBaseMs ?? 1000,
        retryAfterMs: error.retryAfterMs,
      });
      options.onRetry?.(error, delayMs);
      await abortableSleep(delayMs, options.signal);
    }
  };
  const json = async <T>(response: Response, what: string): Promise<T> => {
    try {
      return await response.json() as T;
    } catch (error) {
      throw new BatchApiError(`${what}: the response is not JSON`, {
        retryable: false,
        cause: error,
      });
    }
  };
  const endpoint = azure ? "/chat/completions" : "/v1/chat/completions";
  return {
    provider: options.provider,
    baseUrl: redactUrl(options.baseUrl),
    endpoint,
    async uploadFile(name, jsonl) {
      const response = await call("POST", "/files", {
        body: () => {
          const form = new FormData();
          form.set("purpose", "batch");
          form.set("file", new Blob([jsonl], { type: "application/jsonl" }), name);
          return form;
        },
      });
      const file = await json<{ id?: unknown }>(response, "POST /files");
      if (typeof file.id !== "string") {
        throw new BatchApiError('POST /files: the response has no file "id"', { retryable: false });
      }
      return file.id;
    },
    async createBatch(inputFileId, metadata) {
      const response = await call("POST", "/batches", {
        json: {
          input_file_id: inputFileId,
          endpoint,
          completion_window: "24h",
          metadata,
        },
      });
      return checkBatch(await json<BatchObject>(response, "POST /batches"), "POST /batches");
    },
    async getBatch(id) {
      const path = `/batches/${encodeURIComponent(id)}`;
      return checkBatch(await json<BatchObject>(await call("GET", path), `GET ${path}`), path);
    },
    async listBatches(pages = 10) {
      const all: BatchObject[] = [];
      let after: string | undefined;
      for (let page = 0; page < pages; page++) {
        const response = await call("GET", "/batches", {
          query: { limit: "100", ...(after === undefined ? {} : { after }) },
        });
        const list = await json<{ data?: BatchObject[]; has_more?: boolean }>(
          response,
          "GET /batches",
        );
        const data = Array.isArray(list.data) ? list.data : [];
        all.push(...data);
        if (!list.has_more || data.length === 0) break;
        after = data[data.length - 1]!.id;
      }
      return all;
    },
    async cancelBatch(id) {
      const path = `/batches/${encodeURIComponent(id)}/cancel`;
      return checkBatch(await json<BatchObject>(await call("POST", path), `POST ${path}`), path);
    },
    async fileContent(id) {
      const path = `/files/${encodeURIComponent(id)}/content`;
      const response = await call("GET", path);
      try {
        return await response.text();
      } catch (error) {
        throw new BatchApiError(`GET ${path}: the download broke off`, {
          retryable: true,
          cause: error,
        });
      }
    },
  };
}

function checkBatch(batch: BatchObject, what: string): BatchObject {
  if (typeof batch !== "object" || batch === null || typeof batch.id !== "string") {
    throw new BatchApiError(`${what}: the response is not a batch object`, { retryable: false });
  }
  return batch;
}
