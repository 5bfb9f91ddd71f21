/** USD per million tokens. */
export interface TokenPrice {
  /** USD per million prompt tokens. */
  input: number;
  /** USD per million completion tokens. */
  output: number;
}

/**
 * List prices of common judge models, USD per million input/output tokens,
 * for cost estimates only (as published by the providers in 2025; check
 * before relying on them, or pass `--price-input`/`--price-output`).
 */
export const MODEL_PRICES: Readonly<Record<string, TokenPrice>> = {
  "gpt-4": { input: 30, output: 60 },
  "gpt-4-turbo": { input: 10, output: 30 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-3.5-turbo": { input: 0.5, output: 1.5 },
  "llama-3.3-70b-versatile": { input: 0.59, output: 0.79 },
  "llama-3.1-8b-instant": { input: 0.05, output: 0.08 },
  "openai/gpt-4o": { input: 2.5, output: 10 },
  "meta-llama/Llama-3.3-70B-Instruct-Turbo": { input: 0.88, output: 0.88 },
};

/**
 * The list price of a judge model, if known; local servers cost nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { priceOf } from "./model_prices.ts";
 * assert.equal(priceOf("groq", "llama-3.3-70b-versatile")?.input, 0.59);
 * assert.equal(priceOf("local", "anything")?.output, 0);
 * assert.equal(priceOf("openai", "unknown-model"), undefined);
 * ```
 */
export function priceOf(provider: string, model: string): TokenPrice | undefined {
  if (provider === "local" || provider === "mock") return { input: 0, output: 0 };
  return MODEL_PRICES[model];
}
