import assert from "node:assert/strict";
import { splitBatchRequests } from "../../../lib/chat/batch/split_batch_requests.ts";
import type { BatchRequest } from "../../../lib/chat/batch/types.ts";

function request(customId: string, content: string, group?: string): BatchRequest {
  return {
    customId,
    group,
    body: {
      model: "m",
      messages: [{ role: "user", content }],
      n: 1,
      temperature: 0,
      max_tokens: 8,
    },
  };
}

Deno.test("splitBatchRequests()", async (t) => {
  await t.step("keeps every file under the request and byte limits", () => {
    const requests = Array.from({ length: 25 }, (_, i) => request(`r${i}`, "x".repeat(100 + i)));
    const parts = splitBatchRequests(requests, { maxRequests: 10, maxBytes: 1_000 });
    for (const part of parts) {
      assert.ok(part.requests.length <= 10);
      assert.ok(part.bytes <= 1_000);
      assert.equal(new TextEncoder().encode(part.jsonl).length, part.bytes);
    }
    assert.deepEqual(
      parts.flatMap((part) => part.requests.map((r) => r.customId)),
      requests.map((r) => r.customId),
    );
  });

  await t.step("keeps a group (both orders of a pair) in one file", () => {
    const requests = [
      request("a#g1", "x".repeat(300), "a"),
      request("b#g1", "x".repeat(300), "b"),
      request("b#g2", "x".repeat(300), "b"),
    ];
    const parts = splitBatchRequests(requests, { maxRequests: 2, maxBytes: 100_000 });
    assert.deepEqual(parts.map((part) => part.requests.map((r) => r.customId)), [["a#g1"], [
      "b#g1",
      "b#g2",
    ]]);
  });

  await t.step("counts bytes in UTF-8 and refuses a request over the limit", () => {
    assert.throws(
      () =>
        splitBatchRequests([request("big", "é".repeat(400))], { maxRequests: 5, maxBytes: 500 }),
      /request "big" takes \d+ bytes, over the 500-byte limit/,
    );
  });

  await t.step("refuses repeated custom ids", () => {
    assert.throws(
      () =>
        splitBatchRequests([request("a", "x"), request("a", "y")], {
          maxRequests: 5,
          maxBytes: 1e6,
        }),
      /custom id "a" repeats/,
    );
  });
});
