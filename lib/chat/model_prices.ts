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
 * The discount of each provider's Batch API on its list prices: OpenAI and
 * Azure OpenAI (global batch) charge half; Groq 25% (check before relying
 * on it).
 */
export const BATCH_DISCOUNTS: Readonly<Record<string, number>> = {
  openai: 0.5,
  azure: 0.5,
  // Groq's own documentation, https://console.groq.com/docs/batch ("Groq
  // Batch API"): "25% lower cost", "Pricing is at a 25% cost discount
  // compared to synchronous API pricing". Third-party summaries that say 50%
  // are not Groq's word; change this when Groq's page does.
  groq: 0.25,
};

/** Options for {@linkcode priceOf}. */
export interface PriceOfOptions {
  /**
   * The price through the provider's Batch API (list price less {@linkcode BATCH_DISCOUNTS});
   * `undefined` for a provider without one.
   * @default {false}
   */
  batch?: boolean;
}

/**
 * The list price of a judge model, if known; local servers cost nothing.
 * With `batch`, the price through the provider's Batch API.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { priceOf } from "./model_prices.ts";
 * assert.equal(priceOf("groq", "llama-3.3-70b-versatile")?.input, 0.59);
 * assert.equal(priceOf("local", "anything")?.output, 0);
 * assert.equal(priceOf("openai", "unknown-model"), undefined);
 * assert.deepEqual(priceOf("openai", "gpt-4o", { batch: true }), { input: 1.25, output: 5 });
 * ```
 */
export function priceOf(
  provider: string,
  model: string,
  options: PriceOfOptions = {},
): TokenPrice | undefined {
  if (provider === "local" || provider === "mock") return { input: 0, output: 0 };
  const price = MODEL_PRICES[model];
  if (!options.batch || price === undefined) return price;
  const discount = BATCH_DISCOUNTS[provider];
  if (discount === undefined) return undefined;
  return { input: price.input * (1 - discount), output: price.output * (1 - discount) };
}
