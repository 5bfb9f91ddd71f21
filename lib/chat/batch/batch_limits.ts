import type { BatchLimits } from "./types.ts";

/**
 * Per-file limits of the providers' Batch APIs, from their documentation
 * (2025): OpenAI 50,000 requests and 200 MB per input file; Groq 50,000
 * requests and 200 MB; Azure OpenAI global batch 100,000 requests and
 * 200 MB per file (and 500 batch files per resource). Other servers
 * (`local`) get OpenAI's.
 */
export const BATCH_LIMITS: Readonly<Record<string, BatchLimits>> = {
  openai: { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 },
  groq: { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 },
  azure: { maxRequests: 100_000, maxBytes: 200 * 1024 * 1024 },
};

/**
 * The batch limits of a provider preset, with a safety margin of 1% on the
 * bytes (the provider counts the file as uploaded).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchLimitsOf } from "./batch_limits.ts";
 * assert.equal(batchLimitsOf("azure").maxRequests, 100_000);
 * assert.equal(batchLimitsOf("local").maxRequests, 50_000);
 * ```
 */
export function batchLimitsOf(provider: string): BatchLimits {
  const limits = BATCH_LIMITS[provider] ?? BATCH_LIMITS.openai!;
  return { maxRequests: limits.maxRequests, maxBytes: Math.floor(limits.maxBytes * 0.99) };
}
