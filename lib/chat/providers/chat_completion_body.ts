import type { ChatRequest } from "../chat_client.ts";

/** The JSON body of a chat-completions request, as every client of the project sends it. */
export interface ChatCompletionBody {
  /** Model id (Azure: the deployment). */
  model: string;
  /** The messages, copied. */
  messages: { role: "system" | "user" | "assistant"; content: string }[];
  /** Always one completion. */
  n: 1;
  /** Sampling temperature. */
  temperature: number;
  /** Completion budget. */
  max_tokens: number;
  /** Stop strings, when any. */
  stop?: string[];
  /** Sampling seed, when given. */
  seed?: number;
}

/**
 * The body of a chat-completions request: the interactive client sends it as
 * the request, the Batch API path as the `body` of each input line, so both
 * ask the same question with the same parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chatCompletionBody } from "./chat_completion_body.ts";
 * const body = chatCompletionBody("gpt-4", {
 *   messages: [{ role: "user", content: "hi" }], temperature: 0, maxTokens: 2048,
 * });
 * assert.deepEqual(body, {
 *   model: "gpt-4", messages: [{ role: "user", content: "hi" }], n: 1, temperature: 0, max_tokens: 2048,
 * });
 * ```
 */
export function chatCompletionBody(
  model: string,
  request: Omit<ChatRequest, "signal">,
): ChatCompletionBody {
  return {
    model,
    messages: request.messages.map((message) => ({ ...message })),
    n: 1,
    temperature: request.temperature,
    max_tokens: request.maxTokens,
    ...(request.stop === undefined || request.stop.length === 0 ? {} : { stop: [...request.stop] }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
  };
}
