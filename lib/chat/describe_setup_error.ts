import type { ChatRequestError } from "./chat_request_error.ts";

/** What a setup error message names. */
export interface SetupErrorContext {
  /** Environment variables the API key is read from. */
  apiKeyEnv: readonly string[];
  /** The model id sent. */
  model: string;
  /** The base URL(s) called, without credentials. */
  baseUrl: string;
}

/**
 * Says what to check after a request the server refused for the whole run:
 * the key for 401/403, the model name or the URL for 404, the model and
 * the request's parameters for another 4xx.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChatRequestError } from "./chat_request_error.ts";
 * import { describeSetupError } from "./describe_setup_error.ts";
 * const error = new ChatRequestError("HTTP 401 bad key", { kind: "http", status: 401, retryable: false });
 * const text = describeSetupError(error, { apiKeyEnv: ["GROQ_API_KEY"], model: "m", baseUrl: "http://x/v1" });
 * assert.match(text, /the API key \(GROQ_API_KEY\)/);
 * ```
 */
export function describeSetupError(error: ChatRequestError, context: SetupErrorContext): string {
  const key = context.apiKeyEnv.length === 0
    ? "the API key"
    : `the API key (${context.apiKeyEnv.join(" or ")})`;
  const what = error.status === 401 || error.status === 403
    ? `Check ${key}: the server did not accept it for model "${context.model}"`
    : error.status === 404
    ? `Check the model name "${context.model}" and the base URL ${context.baseUrl}: the server found no such model or path`
    : `Check the model name "${context.model}" and the request's parameters for ${context.baseUrl}`;
  return `the server refused a request (${error.message}). ${what}.`;
}
