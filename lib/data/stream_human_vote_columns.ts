import { DataError } from "./data_error.ts";
import { openInput } from "./_open_input.ts";
import { readFileRange } from "./_file_range.ts";
import { readJsonArray, scanJsonArray, sliceElementLines, WHOLE_LIMIT } from "./_json_array.ts";
import { type JsonLine, readJsonl } from "./read_jsonl.ts";
import { SLICE_SIZE, sliceJsonArray, type SliceStop } from "./_slice_json_array.ts";
import { VoteColumnsBuilder, type VoteColumnsData } from "./_vote_columns.ts";
import type { SliceSpan, VoteRangeRequest, VoteRangeResult } from "./_vote_range_worker.ts";
import {
  humanVoteFormat,
  type HumanVoteRecord,
  parseHumanVote,
  type ReadHumanVotesOptions,
  streamHumanVoteRecords,
} from "./read_human_votes.ts";
import type { HumanVoteColumns, HumanVoteSource } from "./types.ts";

/** Options for {@linkcode streamHumanVoteColumns}. */
export interface StreamHumanVoteColumnsOptions {
  /**
   * File format; by default taken from the extension (`.parquet`, `.json`, `.jsonl`).
   * @default {undefined} (from the extension)
   */
  format?: ReadHumanVotesOptions["format"];
  /**
   * Workers reading a large JSON array (over 16 MiB) in byte ranges; 1 reads it
   * on the calling thread.
   * @default {Math.min(navigator.hardwareConcurrency, 4)}
   */
  workers?: number;
  /**
   * Bytes per range given to a worker.
   * @default {16 MiB}
   */
  rangeSize?: number;
  /**
   * Files up to this many bytes are read on the calling thread with one parse.
   * @default {16 MiB}
   */
  wholeLimit?: number;
  /**
   * Bytes of a large JSON array parsed at once.
   * @default {64 KiB}
   */
  sliceSize?: number;
}

/**
 * Streams the votes of a human-judgment file (labels only: the conversations
 * are dropped unchecked) in columns, for counting millions of votes without an
 * object per vote. Every vote is checked as {@linkcode streamHumanVotes} checks
 * it, and a bad one throws the same {@linkcode DataError}, naming the file, the
 * line (or parquet row) and the field. A large JSON array (FastChat's
 * `human_judgments.json`) is read by workers, each parsing a byte range cut at
 * a comma between elements; whatever a worker cannot read cleanly (a bad vote,
 * an odd file) is read again on the calling thread, which reports it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamHumanVoteColumns } from "./stream_human_vote_columns.ts";
 * import { HUMAN_VOTE_WINNERS } from "./types.ts";
 * const vote = { question_id: 81, model_a: "a", model_b: "b", winner: "tie", judge: "expert_0", turn: 1 };
 * const path = await Deno.makeTempFile({ suffix: ".json" });
 * await Deno.writeTextFile(path, JSON.stringify([vote, { ...vote, winner: "model_b", turn: 2 }]));
 * const winners: string[] = [];
 * for await (const columns of streamHumanVoteColumns(path)) {
 *   for (let index = 0; index < columns.size; index++) {
 *     winners.push(HUMAN_VOTE_WINNERS[columns.winner[index]!]);
 *   }
 *   assert.equal(columns.source(1).line, 1);
 * }
 * assert.deepEqual(winners, ["tie", "model_b"]);
 * ```
 */
export async function* streamHumanVoteColumns(
  paths: string | readonly string[],
  options: StreamHumanVoteColumnsOptions = {},
): AsyncGenerator<HumanVoteColumns> {
  const files = typeof paths === "string" ? [paths] : paths;
  const wholeLimit = options.wholeLimit ?? WHOLE_LIMIT;
  const sizes = await Promise.all(files.map(async (path) => {
    if ((options.format ?? humanVoteFormat(path)) !== "json") return 0;
    try {
      return (await Deno.stat(path)).size;
    } catch {
      return 0; // the records reader reports the file that cannot be read
    }
  }));
  const workers = Math.max(
    1,
    Math.min(options.workers ?? Math.min(navigator.hardwareConcurrency, 4), 16),
  );
  const large = files.flatMap((path, index) => sizes[index]! > wholeLimit ? [path] : []);
  // One pool for every large file, its ranges all asked for at once, in file order.
  const pool = workers > 1 && large.length > 0 ? new WorkerPool(workers) : undefined;
  try {
    const pending = new Map<string, Promise<RangeRead[]>>();
    for (const path of large) {
      // A file that cannot be cut (gone since) is read on this thread, which reports it.
      const reads = pool === undefined
        ? Promise.resolve([])
        : askRanges(pool, path, options).catch(() => []);
      pending.set(path, reads);
    }
    for (let index = 0; index < files.length; index++) {
      const path = files[index]!;
      const reads = pending.get(path);
      if (reads === undefined) {
        yield* smallFile(path, options);
        continue;
      }
      let votes = 0;
      for await (const columns of largeArray(path, await reads, options)) {
        votes += columns.size;
        yield columns;
      }
      if (votes === 0) throw noVotes(path);
    }
  } finally {
    pool?.close();
  }
}

async function* smallFile(
  path: string,
  options: StreamHumanVoteColumnsOptions,
): AsyncGenerator<HumanVoteColumns> {
  const format = options.format ?? humanVoteFormat(path);
  if (format === "json" || format === "jsonl") {
    // Well-formed votes go straight into the columns; anything else through
    // parseHumanVote, which reports it (file, line, field) as the records reader does.
    let votes = 0;
    for await (const batch of format === "json" ? readJsonArray(path) : readJsonl(path)) {
      const builder = new VoteColumnsBuilder();
      for (let index = 0; index < batch.length; index++) {
        const entry = batch[index]!;
        if (builder.addValue(entry.value)) continue;
        builder.add(parseHumanVote(entry.value, new LineSource(path, entry), NO_CONVERSATIONS));
      }
      votes += builder.size;
      yield { ...builder.build(), source: (index) => new LineSource(path, batch[index]!) };
    }
    if (votes === 0) throw noVotes(path);
    return;
  }
  const records = streamHumanVoteRecords(path, {
    ...(options.format === undefined ? {} : { format: options.format }),
    conversations: false,
  });
  for await (const batch of records) {
    const builder = new VoteColumnsBuilder();
    for (const record of batch) builder.add(record.vote);
    yield { ...builder.build(), source: (index) => new RecordSource(path, batch[index]!) };
  }
}

/** A range of a file and the worker's answer to come. */
interface RangeRead {
  /** Byte offset of the range. */
  start: number;
  /** The worker's answer. */
  result: Promise<VoteRangeResult>;
}

/** Cuts a file into ranges and hands them to the pool. */
async function askRanges(
  pool: WorkerPool,
  path: string,
  options: StreamHumanVoteColumnsOptions,
): Promise<RangeRead[]> {
  const size = (await Deno.stat(path)).size;
  const bounds = await rangeBounds(path, size, options.rangeSize ?? 16 << 20);
  return bounds.slice(0, -1).map((start, index) => ({
    start,
    result: pool.run({
      path,
      start,
      end: bounds[index + 1]!,
      last: index === bounds.length - 2,
      sliceSize: options.sliceSize ?? SLICE_SIZE,
    }),
  }));
}

const NO_CONVERSATIONS = { conversations: false } as const;

/** The error for a file that holds no vote, as the records reader words it. */
function noVotes(path: string): DataError {
  return new DataError("the file holds no vote (it is empty)", { file: path });
}

/** An element's place, its line read from the entry when asked for (a JSON array computes it). */
class LineSource implements HumanVoteSource {
  readonly unit = "line";
  constructor(readonly file: string, readonly entry: JsonLine) {}
  get line(): number {
    return this.entry.line;
  }
}

/** A record's place, its line read from the record when asked for. */
class RecordSource implements HumanVoteSource {
  constructor(readonly file: string, readonly record: HumanVoteRecord) {}
  get line(): number {
    return this.record.line;
  }
  get unit(): "line" | "row" {
    return this.record.unit;
  }
}

/** A vote of a slice read from a file: its line found when asked for. */
class SliceSource implements HumanVoteSource {
  readonly unit = "line";
  #lines: number[] | undefined;
  constructor(readonly file: string, readonly slice: SliceSpan, public index: number) {}
  get line(): number {
    this.#lines ??= sliceElementLines(this.file, this.slice);
    return this.#lines[this.index]!;
  }
}

/** The columns of a run of slices, each vote's source found from its slice. */
function withSources(path: string, data: VoteColumnsData, slices: SliceSpan[]): HumanVoteColumns {
  const firsts: number[] = [];
  let first = 0;
  for (const slice of slices) {
    firsts.push(first);
    first += slice.count;
  }
  return {
    ...data,
    source(index: number): HumanVoteSource {
      // The last slice that starts at or before the vote.
      let low = 0;
      let high = slices.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (firsts[middle]! <= index) low = middle;
        else high = middle - 1;
      }
      return new SliceSource(path, slices[low]!, index - firsts[low]!);
    },
  };
}

/** The votes of a large JSON array: from the workers' ranges, else on this thread. */
async function* largeArray(
  path: string,
  reads: RangeRead[],
  options: StreamHumanVoteColumnsOptions,
): AsyncGenerator<HumanVoteColumns> {
  const sliceSize = options.sliceSize ?? SLICE_SIZE;
  for (const read of reads) {
    const result = await read.result;
    if (result.columns === undefined || result.slices === undefined) {
      // The range's start is where the one before it ended: a top-level comma.
      yield* oneThread(path, { offset: read.start, beforeArray: read.start === 0 }, sliceSize);
      return;
    }
    yield withSources(path, result.columns, result.slices);
  }
  if (reads.length === 0) yield* oneThread(path, { offset: 0, beforeArray: true }, sliceSize);
}

/**
 * Reads the votes of a large JSON array from `from` on the calling thread:
 * slices while they parse, then the precise scanner, which reports the line of
 * what is wrong.
 */
async function* oneThread(
  path: string,
  from: SliceStop,
  sliceSize: number,
): AsyncGenerator<HumanVoteColumns> {
  const file = await openInput(path);
  let stop: SliceStop | undefined;
  const options = { conversations: false };
  try {
    const size = (await file.stat()).size;
    const stream = sliceJsonArray(file, { start: from.offset, end: size, last: true }, sliceSize);
    let builder = new VoteColumnsBuilder();
    let slices: SliceSpan[] = [];
    while (true) {
      const next = await stream.next();
      if (next.done) {
        stop = next.value;
        break;
      }
      const { values, start, end } = next.value;
      const slice: SliceSpan = { start, end, count: values.length };
      // One source for the slice's votes: read only if a check fails, at once.
      const source = new SliceSource(path, slice, 0);
      for (let index = 0; index < values.length; index++) {
        source.index = index;
        builder.add(parseHumanVote(values[index], source, options));
      }
      slices.push(slice);
      if (builder.size >= 1 << 16) {
        yield withSources(path, builder.build(), slices);
        builder = new VoteColumnsBuilder();
        slices = [];
      }
    }
    if (builder.size > 0) yield withSources(path, builder.build(), slices);
  } finally {
    file.close();
  }
  if (stop === undefined) return;
  for await (const batch of scanJsonArray(path, stop)) {
    const builder = new VoteColumnsBuilder();
    for (const entry of batch) {
      builder.add(parseHumanVote(entry.value, { file: path, line: entry.line }, options));
    }
    yield {
      ...builder.build(),
      source: (index) => ({ file: path, line: batch[index]!.line, unit: "line" }),
    };
  }
}

/**
 * Byte offsets that cut a file into ranges of about `rangeSize`: each one just
 * after a comma that ends a line (or follows a `}`), which the range before it
 * must prove to be a top-level one by ending there.
 */
async function rangeBounds(path: string, size: number, rangeSize: number): Promise<number[]> {
  const count = Math.max(1, Math.round(size / rangeSize));
  const bounds = [0];
  const file = await openInput(path);
  try {
    for (let index = 1; index < count; index++) {
      const nominal = Math.floor(size * index / count);
      if (nominal <= bounds.at(-1)!) continue;
      const window = await readFileRange(file, nominal, 1 << 16);
      const cut = commaAt(window);
      if (cut >= 0 && nominal + cut + 1 < size) bounds.push(nominal + cut + 1);
    }
  } finally {
    file.close();
  }
  bounds.push(size);
  return bounds;
}

/** The first `,` followed by a newline, else the first `},`, in a window; or -1. */
function commaAt(window: Uint8Array): number {
  for (let at = window.indexOf(44); at !== -1; at = window.indexOf(44, at + 1)) {
    if (window[at + 1] === 10 || window[at + 1] === 13) return at;
  }
  for (let at = window.indexOf(44); at !== -1; at = window.indexOf(44, at + 1)) {
    if (at > 0 && window[at - 1] === 125) return at;
  }
  return -1;
}

/** Workers that read ranges, each taking the next range when it is done. */
class WorkerPool {
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #waiting: (() => void)[] = [];
  readonly #running = new Set<(result: VoteRangeResult) => void>();
  #closed = false;

  constructor(count: number) {
    for (let index = 0; index < count; index++) {
      const worker = new Worker(new URL("./_vote_range_worker.ts", import.meta.url).href, {
        type: "module",
      });
      this.#all.push(worker);
      this.#idle.push(worker);
    }
  }

  /** Reads a range on the next idle worker; a closed pool, or a failed worker, answers `stop`. */
  async run(request: VoteRangeRequest): Promise<VoteRangeResult> {
    while (this.#idle.length === 0 && !this.#closed) {
      await new Promise<void>((wake) => this.#waiting.push(wake));
    }
    if (this.#closed) return { stop: true };
    const worker = this.#idle.pop()!;
    let answer!: (result: VoteRangeResult) => void;
    const result = new Promise<VoteRangeResult>((resolve) => answer = resolve);
    this.#running.add(answer);
    worker.onmessage = (event: MessageEvent<VoteRangeResult>) => answer(event.data);
    worker.onerror = (event) => {
      // A worker that failed outside its read (it could not load) may answer
      // nothing more: every range left is read on the calling thread.
      event.preventDefault();
      this.close();
    };
    worker.postMessage(request);
    try {
      return await result;
    } finally {
      this.#running.delete(answer);
      this.#idle.push(worker);
      this.#waiting.shift()?.();
    }
  }

  /** Ends every worker; the ranges being read and those asked for later answer `stop`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const worker of this.#all) worker.terminate();
    for (const resolve of this.#running) resolve({ stop: true });
    this.#running.clear();
    for (const wake of this.#waiting.splice(0)) wake();
  }
}
