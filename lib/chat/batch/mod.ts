/**
 * The providers' Batch APIs (OpenAI, Azure OpenAI, Groq: `/files` +
 * `/batches`), for any command that holds a list of prepared chat requests:
 * a client, a journal beside the output file (appended and fsynced before
 * each provider call), splitting under the provider's limits, and a
 * resumable runner that submits, polls and collects.
 *
 * @example Split requests under a limit
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitBatchRequests } from "./mod.ts";
 * const body = { model: "m", messages: [], n: 1 as const, temperature: 0, max_tokens: 8 };
 * const parts = splitBatchRequests([{ customId: "a", body }, { customId: "b", body }], { maxRequests: 1, maxBytes: 1e6 });
 * assert.equal(parts.length, 2);
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./batch_limits.ts";
export * from "./batch_api_error.ts";
export * from "./batch_client.ts";
export * from "./batch_journal.ts";
export * from "./split_batch_requests.ts";
export * from "./parse_batch_output.ts";
export * from "./run_batch.ts";
export * from "./cancel_batches.ts";
