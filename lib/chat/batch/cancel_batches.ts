import type { BatchClient } from "./batch_client.ts";
import type { BatchJournal } from "./batch_journal.ts";
import { TERMINAL_BATCH_STATUSES } from "./types.ts";

/** One batch {@linkcode cancelBatches} asked to stop. */
export interface CancelledBatch {
  /** The journal part. */
  part: string;
  /** The batch. */
  batchId: string;
  /** The status the provider answered with (`cancelling`, `cancelled`, …). */
  status: string;
}

/**
 * Cancels the journal's live batches (`POST /batches/{id}/cancel`), each
 * journaled before the call. Work already done is kept by the provider: the
 * next run with the same arguments collects it, and the rest become error
 * records (redo them with `--retry-errors`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cancelBatches } from "./cancel_batches.ts";
 * import { openBatchJournal } from "./batch_journal.ts";
 * import type { BatchClient } from "./batch_client.ts";
 * const journal = await openBatchJournal(`${await Deno.makeTempDir()}/x.batches.jsonl`);
 * await journal.append({ event: "part", part: "p", provider: "openai", base_url: "u", model: "m", requests: 1, bytes: 1, custom_ids: ["a"] });
 * await journal.append({ event: "batch", part: "p", batch_id: "b1", status: "in_progress" });
 * const client = { cancelBatch: (id: string) => Promise.resolve({ id, status: "cancelling", input_file_id: "f" }) } as unknown as BatchClient;
 * const cancelled = await cancelBatches(journal, client);
 * assert.deepEqual(cancelled, [{ part: "p", batchId: "b1", status: "cancelling" }]);
 * ```
 */
export async function cancelBatches(
  journal: BatchJournal,
  client: BatchClient,
): Promise<CancelledBatch[]> {
  const cancelled: CancelledBatch[] = [];
  for (const part of journal.parts()) {
    if (part.batchId === undefined || part.collected) continue;
    if (part.status !== undefined && TERMINAL_BATCH_STATUSES.includes(part.status)) continue;
    await journal.append({ event: "cancel", part: part.part, batch_id: part.batchId });
    const batch = await client.cancelBatch(part.batchId);
    await journal.append({
      event: "status",
      part: part.part,
      batch_id: batch.id,
      status: batch.status,
    });
    cancelled.push({ part: part.part, batchId: part.batchId, status: batch.status });
  }
  return cancelled;
}
