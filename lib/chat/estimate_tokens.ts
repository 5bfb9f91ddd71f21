/**
 * A rough token count of a text or of chat messages: a quarter of the
 * characters, rounded up (about 4 characters per token in English text, as
 * OpenAI's guidance). Used where no tokenizer is at hand: rate-limit budgets,
 * usage a server did not report, and dry-run cost estimates. Messages count
 * their contents together.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimateTokens } from "./estimate_tokens.ts";
 * assert.equal(estimateTokens("Hello!"), 2);
 * assert.equal(estimateTokens(""), 0);
 * assert.equal(estimateTokens([{ content: "Be brief." }, { content: "Hi" }]), 3);
 * ```
 */
export function estimateTokens(input: string | readonly { content: string }[]): number {
  let chars = 0;
  if (typeof input === "string") chars = input.length;
  else for (const message of input) chars += message.content.length;
  return Math.ceil(chars / 4);
}
