import { batchLimitsOf } from "./batch_limits.ts";
import type { BatchClient } from "./batch_client.ts";
import type { BatchJournal, BatchJournalPart } from "./batch_journal.ts";
import { parseBatchOutput } from "./parse_batch_output.ts";
import { splitBatchRequests } from "./split_batch_requests.ts";
import {
  type BatchItemResult,
  type BatchLimits,
  type BatchObject,
  type BatchRequest,
  TERMINAL_BATCH_STATUSES,
} from "./types.ts";
import { abortableSleep } from "../../http/abortable_sleep.ts";

/** Where a batch run stands; passed to `onProgress`. */
export interface BatchProgress {
  /** Batches this run waits for or has collected. */
  batches: number;
  /** Requests in them (this run's). */
  total: number;
  /** Requests the provider reports done, and failed. */
  completed: number;
  /** Requests the provider reports failed. */
  failed: number;
  /** Batches per provider status, e.g. `{ in_progress: 2, completed: 1 }`. */
  statuses: Record<string, number>;
  /** ms since the run started. */
  elapsedMs: number;
}

/** Options for {@linkcode runBatch}. */
export interface RunBatchOptions {
  /** The provider's Files and Batches endpoints. */
  client: BatchClient;
  /** The journal beside the output file. */
  journal: BatchJournal;
  /** Model id, recorded in the journal. */
  model: string;
  /**
   * Per-file limits.
   * @default {batchLimitsOf(client.provider)}
   */
  limits?: BatchLimits;
  /**
   * First wait between polls, in ms; it grows by half after each poll that sees no change.
   * @default {15000}
   */
  pollIntervalMs?: number;
  /**
   * Longest wait between polls, in ms.
   * @default {300000}
   */
  pollMaxIntervalMs?: number;
  /**
   * Called with the results of each batch as it ends; await it to write them.
   * @default {undefined}
   */
  onResults?: ((results: BatchItemResult[], part: string) => void | Promise<void>) | undefined;
  /**
   * Journal a batch as collected once `onResults` resolved. Off, the caller
   * does it (`markCollected`) when the results are safe, e.g. after a later
   * turn: until then a re-run takes them from the batch again.
   * @default {true}
   */
  collect?: boolean;
  /**
   * Called after each poll.
   * @default {undefined}
   */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /**
   * Called with notes (resumed batches, malformed lines, retries).
   * @default {undefined}
   */
  onNote?: ((text: string) => void) | undefined;
  /**
   * Stops polling (submitted batches go on at the provider; a re-run resumes them).
   * @default {undefined}
   */
  signal?: AbortSignal | undefined;
  /**
   * Makes the id of a new part.
   * @default {a timestamp and a random suffix}
   */
  newPartId?: () => string;
}

/** What {@linkcode runBatch} did. */
export interface RunBatchResult {
  /** A result for every request whose batch ended (all of them unless aborted). */
  results: Map<string, BatchItemResult>;
  /** The parts (journal ids) that gave results. */
  parts: string[];
  /** Requests submitted in new batches by this run. */
  submitted: number;
  /** Requests found in batches of an earlier run (not submitted again). */
  resumed: number;
  /** Whether `signal` stopped it before every batch ended. */
  aborted: boolean;
}

interface ActivePart {
  part: string;
  /** This run's custom ids in it. */
  ids: string[];
  jsonl?: string | undefined;
  fileId?: string | undefined;
  createAttempted: boolean;
  batchId?: string | undefined;
  status?: string | undefined;
  batch?: BatchObject | undefined;
  done: boolean;
}

/**
 * Runs chat requests through a provider's Batch API, resumably: reads the
 * journal first and waits for the unfinished batches of earlier runs that
 * hold any of the requests (never submitting those again; a batch whose
 * creation was cut off is found again by its input file); splits the rest
 * under the provider's limits; for each file journals the part, uploads it,
 * journals the file, journals the intent, creates the batch (completion
 * window 24h) and journals it — each journal line fsynced before the call
 * it announces. Then it polls with a growing interval, and as each batch
 * ends downloads its output and error files, reads every line, and gives
 * each request a result: the answer, or an explicit error (the provider's
 * message; a batch that expired, was cancelled or failed before the request
 * was done; a line that could not be read).
 *
 * @example Against a scripted in-memory provider
 * ```ts
 * import assert from "node:assert/strict";
 * import { runBatch } from "./run_batch.ts";
 * import { openBatchJournal } from "./batch_journal.ts";
 * import type { BatchClient } from "./batch_client.ts";
 * const files = new Map<string, string>();
 * const client: BatchClient = {
 *   provider: "openai", baseUrl: "mock", endpoint: "/v1/chat/completions",
 *   uploadFile: (_name, jsonl) => { files.set("in", jsonl); return Promise.resolve("in"); },
 *   createBatch: () => Promise.resolve({ id: "b1", status: "validating", input_file_id: "in" }),
 *   getBatch: () => {
 *     const out = files.get("in")!.trim().split("\n").map((line) => JSON.stringify({
 *       custom_id: JSON.parse(line).custom_id,
 *       response: { status_code: 200, body: { choices: [{ message: { content: "[[8]]" } }] } },
 *     })).join("\n");
 *     files.set("out", out);
 *     return Promise.resolve({ id: "b1", status: "completed", input_file_id: "in", output_file_id: "out" });
 *   },
 *   listBatches: () => Promise.resolve([]),
 *   cancelBatch: () => Promise.reject(new Error("no")),
 *   fileContent: (id) => Promise.resolve(files.get(id)!),
 * };
 * const journal = await openBatchJournal(`${await Deno.makeTempDir()}/out.jsonl.batches.jsonl`);
 * const body = { model: "m", messages: [{ role: "user" as const, content: "hi" }], n: 1 as const, temperature: 0, max_tokens: 8 };
 * const run = await runBatch([{ customId: "a", body }], { client, journal, model: "m", pollIntervalMs: 1 });
 * const a = run.results.get("a")!;
 * assert.ok(a.ok && a.response.content === "[[8]]");
 * assert.ok(journal.parts()[0]!.collected);
 * ```
 */
export async function runBatch(
  requests: readonly BatchRequest[],
  options: RunBatchOptions,
): Promise<RunBatchResult> {
  const { client, journal, signal } = options;
  const note = options.onNote ?? (() => {});
  const collect = options.collect ?? true;
  const started = performance.now();
  const wanted = new Map<string, BatchRequest>();
  for (const request of requests) {
    if (!wanted.has(request.customId)) wanted.set(request.customId, request);
  }
  const results = new Map<string, BatchItemResult>();
  const resultParts: string[] = [];
  const active: ActivePart[] = [];
  const covered = new Set<string>();
  let others = 0;
  let resumed = 0;

  // 1. The journal: unfinished parts that hold any of this run's requests.
  for (const part of journal.parts()) {
    if (part.collected || part.abandoned) continue;
    const ids = part.customIds.filter((id) => wanted.has(id) && !covered.has(id));
    if (ids.length === 0) {
      others++;
      continue;
    }
    if (part.fileId === undefined) {
      // Cut off before its upload returned: nothing was submitted from it.
      await journal.append({
        event: "abandoned",
        part: part.part,
        reason: "the run stopped before the upload returned",
      });
      continue;
    }
    for (const id of ids) covered.add(id);
    resumed += ids.length;
    active.push(fromJournal(part, ids));
  }
  if (resumed > 0) {
    note(
      `resuming ${active.length} batch(es) of an earlier run with ${resumed} of this run's request(s); they are not submitted again`,
    );
  }
  if (others > 0) {
    note(
      `${others} unfinished batch(es) in ${journal.path} hold none of this run's requests (see --batch-status)`,
    );
  }

  // 2. New parts for the rest, journaled before anything is uploaded.
  const fresh = [...wanted.values()].filter((request) => !covered.has(request.customId));
  const limits = options.limits ?? batchLimitsOf(client.provider);
  const newPartId = options.newPartId ??
    (() =>
      `${new Date().toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${
        crypto.randomUUID().slice(0, 8)
      }`);
  for (const split of splitBatchRequests(fresh, limits, { url: client.endpoint })) {
    const part = newPartId();
    const ids = split.requests.map((request) => request.customId);
    await journal.append({
      event: "part",
      part,
      provider: client.provider,
      base_url: client.baseUrl,
      model: options.model,
      requests: ids.length,
      bytes: split.bytes,
      custom_ids: ids,
    });
    active.push({ part, ids, jsonl: split.jsonl, createAttempted: false, done: false });
  }
  const submitted = fresh.length;

  // 3. Upload and create what is not a batch yet.
  for (const part of active) {
    if (signal?.aborted) break;
    await submit(part);
  }

  // 4. Poll until every batch has ended and been collected.
  let interval = options.pollIntervalMs ?? 15_000;
  const maxInterval = options.pollMaxIntervalMs ?? 300_000;
  while (!signal?.aborted) {
    let changed = false;
    for (const part of active) {
      if (part.done || part.batchId === undefined || signal?.aborted) continue;
      const batch = await client.getBatch(part.batchId);
      const before = part.batch;
      part.batch = batch;
      if (
        before === undefined || before.status !== batch.status ||
        before.request_counts?.completed !== batch.request_counts?.completed
      ) changed = true;
      if (batch.status !== part.status) {
        part.status = batch.status;
        await journal.append({
          event: "status",
          part: part.part,
          batch_id: batch.id,
          status: batch.status,
          completed: batch.request_counts?.completed,
          failed: batch.request_counts?.failed,
          total: batch.request_counts?.total,
          output_file_id: batch.output_file_id,
          error_file_id: batch.error_file_id,
        });
      }
      if (TERMINAL_BATCH_STATUSES.includes(batch.status)) await collectPart(part, batch);
    }
    options.onProgress?.(progress());
    if (active.every((part) => part.done)) break;
    interval = changed ? (options.pollIntervalMs ?? 15_000) : Math.min(maxInterval, interval * 1.5);
    try {
      await abortableSleep(interval, signal);
    } catch {
      break;
    }
  }
  return {
    results,
    parts: resultParts,
    submitted,
    resumed,
    aborted: !active.every((part) => part.done),
  };

  async function submit(part: ActivePart): Promise<void> {
    if (part.batchId !== undefined) return;
    if (part.fileId === undefined) {
      part.fileId = await client.uploadFile(`llm-judge-${part.part}.jsonl`, part.jsonl!);
      await journal.append({ event: "file", part: part.part, file_id: part.fileId });
      part.jsonl = undefined;
    }
    if (part.createAttempted) {
      // A creation was cut off: it may have happened. Look for a batch of this file first.
      const found = (await client.listBatches()).find((batch) =>
        batch.input_file_id === part.fileId
      );
      if (found !== undefined) {
        note(`found batch ${found.id} of an interrupted creation (file ${part.fileId})`);
        part.batchId = found.id;
        part.status = found.status;
        await journal.append({
          event: "batch",
          part: part.part,
          batch_id: found.id,
          status: found.status,
        });
        return;
      }
    }
    await journal.append({ event: "create", part: part.part, file_id: part.fileId });
    part.createAttempted = true;
    const batch = await client.createBatch(part.fileId, { "llm-judge-part": part.part });
    part.batchId = batch.id;
    part.status = batch.status;
    await journal.append({
      event: "batch",
      part: part.part,
      batch_id: batch.id,
      status: batch.status,
    });
  }

  async function collectPart(part: ActivePart, batch: BatchObject): Promise<void> {
    const found = new Map<string, BatchItemResult>();
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (typeof fileId !== "string" || fileId === "") continue;
      const parsed = parseBatchOutput(await client.fileContent(fileId), batch.id);
      if (parsed.malformedLines.length > 0) {
        note(
          `batch ${batch.id}: ${parsed.malformedLines.length} line(s) of file ${fileId} could not be read (line ${
            parsed.malformedLines.slice(0, 5).join(", ")
          }); their requests get error results`,
        );
      }
      for (const [id, result] of parsed.results) {
        const previous = found.get(id);
        if (previous === undefined || (!previous.ok && result.ok)) found.set(id, result);
      }
    }
    const partResults = part.ids.map((id): BatchItemResult =>
      found.get(id) ?? { customId: id, ok: false, error: missingReason(batch), batchId: batch.id }
    );
    await options.onResults?.(partResults, part.part);
    for (const result of partResults) results.set(result.customId, result);
    resultParts.push(part.part);
    if (collect) await journal.append({ event: "collected", part: part.part });
    part.done = true;
  }

  function progress(): BatchProgress {
    const statuses: Record<string, number> = {};
    let total = 0;
    let completed = 0;
    let failed = 0;
    for (const part of active) {
      const status = part.batch?.status ?? part.status ?? "not submitted";
      statuses[status] = (statuses[status] ?? 0) + 1;
      const counts = part.batch?.request_counts;
      total += counts && counts.total > 0 ? counts.total : part.ids.length;
      completed += counts?.completed ?? 0;
      failed += counts?.failed ?? 0;
    }
    return {
      batches: active.length,
      total,
      completed,
      failed,
      statuses,
      elapsedMs: performance.now() - started,
    };
  }
}

function fromJournal(part: BatchJournalPart, ids: string[]): ActivePart {
  return {
    part: part.part,
    ids,
    fileId: part.fileId,
    createAttempted: part.createAttempted,
    batchId: part.batchId,
    status: part.status,
    done: false,
  };
}

function missingReason(batch: BatchObject): string {
  switch (batch.status) {
    case "expired":
      return `the batch ${batch.id} expired (24h window) before this request was done`;
    case "cancelled":
      return `the batch ${batch.id} was cancelled before this request was done`;
    case "failed": {
      const errors = (batch.errors?.data ?? []).map((error) => error.message).filter(Boolean);
      return `the batch ${batch.id} failed${errors.length > 0 ? `: ${errors.join("; ")}` : ""}`;
    }
    default:
      return `the batch ${batch.id} ended (${batch.status}) without a result for this request`;
  }
}
