import type { ChatClient } from "../chat_client.ts";
import { checkChatSetup } from "./check_chat_setup.ts";
import { createOpenAICompatibleClient } from "./openai_compatible.ts";
import type { ResolvedChatModel } from "./resolve_chat_model.ts";

/** Options for {@linkcode createChatClient}. */
export interface CreateChatClientOptions {
  /**
   * The API key (read by the caller from `resolved.apiKeyEnv`).
   * @default {undefined}
   */
  apiKey?: string | undefined;
  /**
   * Azure API version (`OPENAI_API_VERSION`).
   * @default {the preset's}
   */
  azureApiVersion?: string | undefined;
  /**
   * SDK-level timeout per request, in milliseconds.
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
 * Creates the client of a resolved judge. Throws a `RangeError` when a key is
 * needed and missing, or Azure has no endpoint; the message names the
 * environment variables, never a value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createChatClient } from "./create_chat_client.ts";
 * import { resolveChatModel } from "./resolve_chat_model.ts";
 * const client = createChatClient(resolveChatModel("groq:llama-3.1-8b-instant"), { apiKey: "gsk_example" });
 * assert.equal(client.provider, "groq");
 * assert.equal(client.model, "llama-3.1-8b-instant");
 * ```
 */
export function createChatClient(
  resolved: ResolvedChatModel,
  options: CreateChatClientOptions = {},
): ChatClient {
  checkChatSetup(resolved, options.apiKey);
  const { preset } = resolved;
  return createOpenAICompatibleClient({
    provider: preset.name,
    model: resolved.model,
    baseUrl: resolved.baseUrl,
    apiKey: options.apiKey,
    azureApiVersion: preset.azureApiVersion === undefined
      ? undefined
      : options.azureApiVersion ?? preset.azureApiVersion,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}
