import type { ChatResponse } from "../chat_client.ts";
import { ChatRequestError } from "../chat_request_error.ts";

/**
 * Reads a chat-completions response body (interactive, or the `body` of a
 * Batch API output line): the first choice's content (empty when missing),
 * the usage, the model and the finish reason. Throws a retryable
 * `ChatRequestError` of kind `malformed` when it is not an object with a
 * `choices` array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chatResponseOf } from "./chat_response_of.ts";
 * const response = chatResponseOf({
 *   model: "m", choices: [{ message: { content: "[[8]]" }, finish_reason: "stop" }],
 *   usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
 * });
 * assert.equal(response.content, "[[8]]");
 * assert.equal(response.usage?.totalTokens, 13);
 * ```
 */
export function chatResponseOf(completion: unknown): ChatResponse {
  if (typeof completion !== "object" || completion === null) {
    throw new ChatRequestError("the server answered with something that is not a JSON object", {
      kind: "malformed",
      retryable: true,
    });
  }
  const { choices, usage, model } = completion as {
    choices?: unknown;
    usage?: {
      prompt_tokens?: number;
      completion_tokens?: number;
      total_tokens?: number;
    } | null;
    model?: unknown;
  };
  if (!Array.isArray(choices)) {
    throw new ChatRequestError('the server\'s response has no "choices" array', {
      kind: "malformed",
      retryable: true,
    });
  }
  const first = choices[0] as
    | { message?: { content?: unknown }; finish_reason?: unknown }
    | undefined;
  const content = first?.message?.content;
  return {
    content: typeof content === "string" ? content : "",
    usage: usage
      ? {
        promptTokens: usage.prompt_tokens ?? 0,
        completionTokens: usage.completion_tokens ?? 0,
        totalTokens: usage.total_tokens ?? 0,
      }
      : undefined,
    model: typeof model === "string" ? model : undefined,
    finishReason: typeof first?.finish_reason === "string" ? first.finish_reason : undefined,
  };
}
