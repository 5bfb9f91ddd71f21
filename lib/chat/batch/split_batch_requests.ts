import type { BatchLimits, BatchRequest } from "./types.ts";

/** One input file of a batch run: its requests and their JSONL text. */
export interface BatchPart {
  /** The requests, in order. */
  requests: BatchRequest[];
  /** The input file: one `{custom_id, method, url, body}` line per request. */
  jsonl: string;
  /** Its size in bytes (UTF-8). */
  bytes: number;
}

/** Options for {@linkcode splitBatchRequests}. */
export interface SplitBatchRequestsOptions {
  /**
   * The `url` of each line.
   * @default {"/v1/chat/completions"}
   */
  url?: string;
}

/**
 * Splits requests into batch input files that each stay under the provider's
 * limits (requests and bytes per file), keeping the requests of one `group`
 * in the same file, in order. Throws a `RangeError` when one request (or
 * group) alone is over the byte limit, or custom ids repeat.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitBatchRequests } from "./split_batch_requests.ts";
 * const body = { model: "m", messages: [{ role: "user" as const, content: "hi" }], n: 1 as const, temperature: 0, max_tokens: 8 };
 * const parts = splitBatchRequests(
 *   [{ customId: "a", body }, { customId: "b", body }, { customId: "c", body }],
 *   { maxRequests: 2, maxBytes: 1_000_000 },
 * );
 * assert.deepEqual(parts.map((part) => part.requests.length), [2, 1]);
 * assert.ok(parts[0]!.jsonl.startsWith('{"custom_id":"a","method":"POST","url":"/v1/chat/completions"'));
 * ```
 */
export function splitBatchRequests(
  requests: readonly BatchRequest[],
  limits: BatchLimits,
  options: SplitBatchRequestsOptions = {},
): BatchPart[] {
  const url = options.url ?? "/v1/chat/completions";
  const encoder = new TextEncoder();
  const seen = new Set<string>();
  // Groups, in order of their first request.
  const groups: { requests: BatchRequest[]; lines: string[]; bytes: number }[] = [];
  const byGroup = new Map<string, (typeof groups)[number]>();
  for (const request of requests) {
    if (seen.has(request.customId)) {
      throw new RangeError(
        `Cannot split a batch: custom id ${JSON.stringify(request.customId)} repeats`,
      );
    }
    seen.add(request.customId);
    const line = `${
      JSON.stringify({ custom_id: request.customId, method: "POST", url, body: request.body })
    }\n`;
    const bytes = encoder.encode(line).length;
    let group = request.group === undefined ? undefined : byGroup.get(request.group);
    if (group === undefined) {
      group = { requests: [], lines: [], bytes: 0 };
      groups.push(group);
      if (request.group !== undefined) byGroup.set(request.group, group);
    }
    group.requests.push(request);
    group.lines.push(line);
    group.bytes += bytes;
  }
  const parts: { requests: BatchRequest[]; lines: string[]; bytes: number }[] = [];
  for (const group of groups) {
    if (group.bytes > limits.maxBytes || group.requests.length > limits.maxRequests) {
      throw new RangeError(
        `Cannot split a batch: request ${
          JSON.stringify(group.requests[0]!.customId)
        } takes ${group.bytes} bytes, over the ${limits.maxBytes}-byte limit of an input file`,
      );
    }
    let current = parts[parts.length - 1];
    if (
      current === undefined ||
      current.bytes + group.bytes > limits.maxBytes ||
      current.requests.length + group.requests.length > limits.maxRequests
    ) {
      current = { requests: [], lines: [], bytes: 0 };
      parts.push(current);
    }
    current.requests.push(...group.requests);
    current.lines.push(...group.lines);
    current.bytes += group.bytes;
  }
  return parts.map((part) => ({
    requests: part.requests,
    jsonl: part.lines.join(""),
    bytes: part.bytes,
  }));
}
