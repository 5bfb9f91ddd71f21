import { dirname } from "node:path";
import { DataError } from "../../data/data_error.ts";

/** One line of a batch journal: something the runner is about to do, or learned. */
export type BatchJournalEvent =
  | {
    /** An input file is about to be uploaded; written before the upload. */
    event: "part";
    part: string;
    time: string;
    provider: string;
    base_url: string;
    model: string;
    requests: number;
    bytes: number;
    custom_ids: string[];
  }
  /** The upload returned this file id. */
  | { event: "file"; part: string; time: string; file_id: string }
  /** A batch is about to be created from the file; written before the call. */
  | { event: "create"; part: string; time: string; file_id: string }
  /** The batch was created (or found again by its input file). */
  | { event: "batch"; part: string; time: string; batch_id: string; status: string }
  /** A state the batch was seen in. */
  | {
    event: "status";
    part: string;
    time: string;
    batch_id: string;
    status: string;
    completed?: number | undefined;
    failed?: number | undefined;
    total?: number | undefined;
    output_file_id?: string | null | undefined;
    error_file_id?: string | null | undefined;
  }
  /** A cancel is about to be requested; written before the call. */
  | { event: "cancel"; part: string; time: string; batch_id: string }
  /** The results of the part are written where they belong; it is done. */
  | { event: "collected"; part: string; time: string }
  /** The part was dropped before it became a batch (never uploaded); its items are free again. */
  | { event: "abandoned"; part: string; time: string; reason: string };

/** Where one input file of the journal stands. */
export interface BatchJournalPart {
  /** The part's id. */
  part: string;
  /** When it was planned (ISO time). */
  time: string;
  /** Provider preset. */
  provider: string;
  /** Base URL, without credentials. */
  baseUrl: string;
  /** Model id. */
  model: string;
  /** Its requests' custom ids. */
  customIds: string[];
  /** How many requests. */
  requests: number;
  /** Size of the input file. */
  bytes: number;
  /** The uploaded input file. */
  fileId?: string | undefined;
  /** Whether a batch creation was attempted. */
  createAttempted: boolean;
  /** The batch. */
  batchId?: string | undefined;
  /** Its last known status. */
  status?: string | undefined;
  /** Its last known request counts. */
  completed?: number | undefined;
  /** Requests failed, as last seen. */
  failed?: number | undefined;
  /** Requests in the batch, as last seen. */
  total?: number | undefined;
  /** The output file, once the batch ended. */
  outputFileId?: string | null | undefined;
  /** The error file, once the batch ended. */
  errorFileId?: string | null | undefined;
  /** Whether a cancel was requested. */
  cancelRequested: boolean;
  /** Whether its results were collected. */
  collected: boolean;
  /** Whether it was dropped before becoming a batch. */
  abandoned: boolean;
}

/** A batch journal: the file and batch ids a run created, appended and fsynced before each provider call. */
export interface BatchJournal {
  /** The journal file. */
  readonly path: string;
  /** The parts, folded from the events, in the order they were planned. */
  parts(): BatchJournalPart[];
  /** Appends one event (its `time` is filled in) and fsyncs the file before returning. */
  append(event: DistributiveOmit<BatchJournalEvent, "time">): Promise<void>;
}

/** `Omit` over each member of a union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Options for {@linkcode openBatchJournal}. */
export interface OpenBatchJournalOptions {
  /**
   * Wall clock, for the events' `time`.
   * @default {() => new Date()}
   */
  now?: () => Date;
}

/**
 * Opens (or starts) a batch journal, `<output file>.batches.jsonl`: one JSON
 * event per line, appended and fsynced before each provider call, so a run
 * killed at any point leaves a record of every input file and batch it may
 * have created. Reading folds the events into parts; a torn last line (a
 * write cut by a crash) is cut off, and any other bad line throws a
 * `DataError` naming the line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openBatchJournal } from "./batch_journal.ts";
 * const dir = await Deno.makeTempDir();
 * const journal = await openBatchJournal(`${dir}/j_single.jsonl.batches.jsonl`);
 * await journal.append({ event: "part", part: "p1", provider: "openai", base_url: "u", model: "m", requests: 1, bytes: 10, custom_ids: ["a"] });
 * await journal.append({ event: "file", part: "p1", file_id: "file-1" });
 * const again = await openBatchJournal(journal.path);
 * assert.equal(again.parts()[0]!.fileId, "file-1");
 * ```
 */
export async function openBatchJournal(
  path: string,
  options: OpenBatchJournalOptions = {},
): Promise<BatchJournal> {
  const now = options.now ?? (() => new Date());
  const events: BatchJournalEvent[] = [];
  let bytes: Uint8Array = new Uint8Array();
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new DataError(`cannot read the batch journal: ${(error as Error).message}`, {
        file: path,
      }, { cause: error });
    }
  }
  const lastNewline = bytes.lastIndexOf(10);
  if (lastNewline + 1 < bytes.length) {
    // A torn last line: the event was never complete, so nothing after it happened.
    await Deno.truncate(path, lastNewline + 1);
  }
  const text = new TextDecoder().decode(bytes.subarray(0, lastNewline + 1));
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DataError(`invalid JSON in the batch journal: ${(error as Error).message}`, {
        file: path,
        line: index + 1,
      }, { cause: error });
    }
    const event = value as Partial<BatchJournalEvent>;
    if (
      typeof event !== "object" || typeof event.event !== "string" || typeof event.part !== "string"
    ) {
      throw new DataError('a batch journal event needs "event" and "part" strings', {
        file: path,
        line: index + 1,
      });
    }
    events.push(event as BatchJournalEvent);
  });
  const encoder = new TextEncoder();
  return {
    path,
    parts: () => foldEvents(events),
    async append(partial) {
      const event = { ...partial, time: now().toISOString() } as BatchJournalEvent;
      await Deno.mkdir(dirname(path), { recursive: true });
      const file = await Deno.open(path, { create: true, append: true });
      try {
        const data = encoder.encode(`${JSON.stringify(event)}\n`);
        let offset = 0;
        while (offset < data.length) offset += await file.write(data.subarray(offset));
        await file.sync();
      } finally {
        file.close();
      }
      events.push(event);
    },
  };
}

function foldEvents(events: readonly BatchJournalEvent[]): BatchJournalPart[] {
  const parts = new Map<string, BatchJournalPart>();
  for (const event of events) {
    if (event.event === "part") {
      parts.set(event.part, {
        part: event.part,
        time: event.time,
        provider: event.provider,
        baseUrl: event.base_url,
        model: event.model,
        customIds: event.custom_ids,
        requests: event.requests,
        bytes: event.bytes,
        createAttempted: false,
        cancelRequested: false,
        collected: false,
        abandoned: false,
      });
      continue;
    }
    const part = parts.get(event.part);
    if (part === undefined) continue;
    switch (event.event) {
      case "file":
        part.fileId = event.file_id;
        break;
      case "create":
        part.createAttempted = true;
        break;
      case "batch":
        part.batchId = event.batch_id;
        part.status = event.status;
        break;
      case "status":
        part.batchId = event.batch_id;
        part.status = event.status;
        part.completed = event.completed ?? part.completed;
        part.failed = event.failed ?? part.failed;
        part.total = event.total ?? part.total;
        if (event.output_file_id !== undefined) part.outputFileId = event.output_file_id;
        if (event.error_file_id !== undefined) part.errorFileId = event.error_file_id;
        break;
      case "cancel":
        part.cancelRequested = true;
        break;
      case "collected":
        part.collected = true;
        break;
      case "abandoned":
        part.abandoned = true;
        break;
    }
  }
  return [...parts.values()];
}
