import { DataError } from "./data_error.ts";
import { openInput } from "./_open_input.ts";
import { readFileRange } from "./_file_range.ts";
import { scanJsonArray, sliceElementLines, WHOLE_LIMIT } from "./_json_array.ts";
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
   * @default {256 KiB}
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
  path: string,
  options: StreamHumanVoteColumnsOptions = {},
): AsyncGenerator<HumanVoteColumns> {
  const format = options.format ?? humanVoteFormat(path);
  if (format === "json") {
    let size = 0;
    try {
      size = (await Deno.stat(path)).size;
    } catch {
      // The records reader below reports the file that cannot be read.
    }
    if (size > (options.wholeLimit ?? WHOLE_LIMIT)) {
      let votes = 0;
      for await (const columns of largeArray(path, size, options)) {
        votes += columns.size;
        yield columns;
      }
      if (votes === 0) throw new DataError("the file holds no vote (it is empty)", { file: path });
      return;
    }
  }
  const records = streamHumanVoteRecords(path, {
    ...(format === undefined ? {} : { format }),
    conversations: false,
  });
  for await (const batch of records) {
    const builder = new VoteColumnsBuilder();
    for (const record of batch) builder.add(record.vote);
    yield { ...builder.build(), source: (index) => new RecordSource(path, batch[index]!) };
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

async function* largeArray(
  path: string,
  size: number,
  options: StreamHumanVoteColumnsOptions,
): AsyncGenerator<HumanVoteColumns> {
  const workers = Math.max(
    1,
    Math.min(options.workers ?? Math.min(navigator.hardwareConcurrency, 4), 16),
  );
  const sliceSize = options.sliceSize ?? SLICE_SIZE;
  if (workers === 1) {
    yield* oneThread(path, { offset: 0, beforeArray: true }, sliceSize);
    return;
  }
  const bounds = await rangeBounds(path, size, options.rangeSize ?? 16 << 20);
  const ranges: VoteRangeRequest[] = bounds.slice(0, -1).map((start, index) => ({
    path,
    start,
    end: bounds[index + 1]!,
    last: index === bounds.length - 2,
    sliceSize,
  }));
  const pool = new WorkerPool(Math.min(workers, ranges.length));
  try {
    const results = ranges.map((range) => pool.run(range));
    for (let index = 0; index < ranges.length; index++) {
      const result = await results[index]!;
      if (result.columns === undefined || result.slices === undefined) {
        // The range's start is where the one before it ended: a top-level comma.
        const start = ranges[index]!.start;
        pool.close();
        yield* oneThread(path, { offset: start, beforeArray: start === 0 }, sliceSize);
        return;
      }
      yield withSources(path, result.columns, result.slices);
    }
  } finally {
    pool.close();
  }
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
  #broken = false;

  constructor(count: number) {
    for (let index = 0; index < count; index++) {
      const worker = new Worker(new URL("./_vote_range_worker.ts", import.meta.url).href, {
        type: "module",
      });
      this.#all.push(worker);
      this.#idle.push(worker);
    }
  }

  /** Reads a range on the next idle worker; a worker that fails answers `stop`. */
  async run(request: VoteRangeRequest): Promise<VoteRangeResult> {
    while (this.#idle.length === 0 && !this.#broken) {
      await new Promise<void>((wake) => this.#waiting.push(wake));
    }
    if (this.#broken) return { stop: true };
    const worker = this.#idle.pop()!;
    try {
      return await new Promise<VoteRangeResult>((resolve) => {
        worker.onmessage = (event: MessageEvent<VoteRangeResult>) => resolve(event.data);
        worker.onerror = (event) => {
          // A worker that failed outside its read (it could not load) may answer
          // nothing more: every range left is read on the calling thread.
          event.preventDefault();
          this.close();
          resolve({ stop: true });
        };
        worker.postMessage(request);
      });
    } finally {
      this.#idle.push(worker);
      this.#waiting.shift()?.();
    }
  }

  /** Ends every worker; ranges asked for later answer `stop`. */
  close(): void {
    this.#broken = true;
    for (const worker of this.#all) worker.terminate();
    for (const wake of this.#waiting.splice(0)) wake();
  }
}
