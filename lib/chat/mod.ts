/**
 * The chat layer: one OpenAI-compatible chat client used by `judge`,
 * `gen-api` and everything else that calls a model over HTTP. Provider
 * presets (`openai`, `groq`, `azure`, `openrouter`, `together`, `local`) and a
 * scripted mock, a retry policy with exponential backoff that honours
 * `Retry-After`, a rate limiter (requests and tokens per minute), list prices
 * for cost estimates, and the redaction every output path uses.
 *
 * @example Resolve a provider and create its client
 * ```ts
 * import assert from "node:assert/strict";
 * import { createChatClient, resolveChatModel } from "./mod.ts";
 * const client = createChatClient(resolveChatModel("groq"), { apiKey: "gsk_example" });
 * assert.equal(client.provider, "groq");
 * assert.equal(client.baseUrl, "https://api.groq.com/openai/v1");
 * ```
 * @module
 */
export * from "./chat_client.ts";
export * from "./chat_request_error.ts";
export * from "./rate_limiter.ts";
export * from "./request_with_retries.ts";
export * from "./model_prices.ts";
export * from "./estimate_tokens.ts";
export * from "./describe_setup_error.ts";
export * from "./providers/provider_preset.ts";
export * from "./providers/openai.ts";
export * from "./providers/groq.ts";
export * from "./providers/azure.ts";
export * from "./providers/openrouter.ts";
export * from "./providers/together.ts";
export * from "./providers/local.ts";
export * from "./providers/resolve_chat_model.ts";
export * from "./providers/model_file_name.ts";
export * from "./providers/check_base_url.ts";
export * from "./providers/openai_compatible.ts";
export * from "./providers/check_chat_setup.ts";
export * from "./providers/create_chat_client.ts";
export * from "./providers/mock.ts";
export * from "./providers/chat_completion_body.ts";
export * from "./providers/chat_response_of.ts";
export * from "./batch/mod.ts";
