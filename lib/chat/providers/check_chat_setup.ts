import type { ResolvedChatModel } from "./resolve_chat_model.ts";

/**
 * Checks what a client of a resolved model needs before any request: a key
 * when the provider needs one, and an endpoint (Azure). Throws a `RangeError`
 * naming the environment variables, never a value. `createChatClient` runs
 * it; a dry run runs it alone, without loading the client.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkChatSetup } from "./check_chat_setup.ts";
 * import { resolveChatModel } from "./resolve_chat_model.ts";
 * assert.throws(() => checkChatSetup(resolveChatModel("groq"), undefined), /set GROQ_API_KEY/);
 * checkChatSetup(resolveChatModel("groq"), "gsk_example");
 * ```
 */
export function checkChatSetup(resolved: ResolvedChatModel, apiKey: string | undefined): void {
  const { preset } = resolved;
  if (apiKey === undefined && !preset.keyOptional) {
    throw new RangeError(
      `No API key for judge "${resolved.name}" (provider ${preset.name}): set ${
        resolved.apiKeyEnv.join(" or ")
      }`,
    );
  }
  if (resolved.baseUrl === "") {
    throw new RangeError(
      `No endpoint for judge "${resolved.name}" (provider ${preset.name}): set ${
        preset.baseUrlEnv ?? "the base URL"
      } or --judge-base-url`,
    );
  }
}
