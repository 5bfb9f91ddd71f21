import { ChatRequestError } from "../chat_request_error.ts";
import { chatResponseOf } from "../providers/chat_response_of.ts";
import type { BatchItemResult } from "./types.ts";

/** What {@linkcode parseBatchOutput} read. */
export interface ParsedBatchOutput {
  /** Results by custom id; an answer wins over an error for the same id. */
  results: Map<string, BatchItemResult>;
  /** 1-based numbers of lines that are not JSON or have no `custom_id`. */
  malformedLines: number[];
}

/**
 * Reads a Batch API output or error file: one `{custom_id, response:
 * {status_code, body}, error}` line per request. A 200 body is read as the
 * interactive client reads a response (`chatResponseOf`); an empty content,
 * another status, an `error` object or a body that is not a completion
 * becomes an error result with the provider's message. Lines that cannot be
 * read are counted, not thrown: their requests simply have no result.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBatchOutput } from "./parse_batch_output.ts";
 * const { results, malformedLines } = parseBatchOutput(
 *   '{"custom_id": "a", "response": {"status_code": 200, "body": {"choices": [{"message": {"content": "[[8]]"}}]}}, "error": null}\n{oops\n',
 *   "batch_1",
 * );
 * const a = results.get("a")!;
 * assert.ok(a.ok && a.response.content === "[[8]]");
 * assert.deepEqual(malformedLines, [2]);
 * ```
 */
export function parseBatchOutput(text: string, batchId: string): ParsedBatchOutput {
  const results = new Map<string, BatchItemResult>();
  const malformedLines: number[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    let value: {
      custom_id?: unknown;
      response?: { status_code?: unknown; body?: unknown } | null;
      error?: { code?: unknown; message?: unknown } | null;
    };
    try {
      value = JSON.parse(line);
    } catch {
      malformedLines.push(index + 1);
      return;
    }
    if (typeof value !== "object" || value === null || typeof value.custom_id !== "string") {
      malformedLines.push(index + 1);
      return;
    }
    const customId = value.custom_id;
    const result = readItem(value, customId, batchId);
    const previous = results.get(customId);
    if (previous === undefined || (!previous.ok && result.ok)) results.set(customId, result);
  });
  return { results, malformedLines };
}

function readItem(
  value: {
    response?: { status_code?: unknown; body?: unknown } | null;
    error?: { code?: unknown; message?: unknown } | null;
  },
  customId: string,
  batchId: string,
): BatchItemResult {
  const fail = (error: string): BatchItemResult => ({ customId, ok: false, error, batchId });
  if (value.error !== null && value.error !== undefined) {
    const code = typeof value.error.code === "string" ? `${value.error.code}: ` : "";
    const message = typeof value.error.message === "string" ? value.error.message : "no message";
    return fail(`the batch ${batchId} failed this request (${code}${message})`);
  }
  const response = value.response;
  if (typeof response !== "object" || response === null) {
    return fail(`the batch ${batchId} returned no response for this request`);
  }
  const status = Number(response.status_code);
  if (status !== 200) {
    const body = response.body as { error?: { message?: unknown } } | undefined;
    const message = typeof body?.error?.message === "string" ? `: ${body.error.message}` : "";
    return fail(`the batch ${batchId} answered this request with HTTP ${status}${message}`);
  }
  try {
    const chat = chatResponseOf(response.body);
    if (chat.content.trim() === "") {
      return fail(`the batch ${batchId} returned empty content for this request`);
    }
    return { customId, ok: true, response: chat, batchId };
  } catch (error) {
    if (error instanceof ChatRequestError) return fail(`the batch ${batchId}: ${error.message}`);
    throw error;
  }
}
