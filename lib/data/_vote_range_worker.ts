// A worker that reads one byte range of a large JSON array of human votes (see
// stream_human_vote_columns.ts): every element parsed and checked as the
// one-thread reader does, sent back in columns. On anything unusual (a vote
// that fails its checks, text the fast path cannot slice, a range that does not
// end at a top-level comma) it answers `stop`, and the main thread reads from
// the range's start itself, reporting what is wrong with its line.
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { type ArrayRange, sliceJsonArray } from "./_slice_json_array.ts";
import { VoteColumnsBuilder, type VoteColumnsData } from "./_vote_columns.ts";
import { parseHumanVote } from "./read_human_votes.ts";

/** What the main thread asks a worker to read. */
export interface VoteRangeRequest extends ArrayRange {
  /** Path of the file. */
  path: string;
  /** Bytes per slice. */
  sliceSize: number;
}

/** Where a run of elements lies and how many it holds. */
export interface SliceSpan {
  /** Byte offset of its text. */
  start: number;
  /** Byte offset of the `,` or `]` after it. */
  end: number;
  /** Number of elements. */
  count: number;
}

/** A worker's answer. */
export interface VoteRangeResult {
  /** The range's votes, when all were read and checked. */
  columns?: VoteColumnsData;
  /** Where the range's elements lie. */
  slices?: SliceSpan[];
  /** True when the main thread must read the range itself. */
  stop?: boolean;
}

// Only read when a check fails: the worker then stops, without the line.
const source = { file: "", line: 0 };

self.onmessage = async (event: MessageEvent<VoteRangeRequest>) => {
  let result: VoteRangeResult;
  try {
    result = await readRange(event.data);
  } catch {
    result = { stop: true };
  }
  if (result.columns === undefined) {
    self.postMessage(result);
    return;
  }
  const { question, modelA, modelB, judge, winner, turn } = result.columns;
  const transfer = [question, modelA, modelB, judge, winner, turn].map((array) =>
    array.buffer as ArrayBuffer
  );
  self.postMessage(result, { transfer });
};

async function readRange(request: VoteRangeRequest): Promise<VoteRangeResult> {
  const file = await Deno.open(request.path, { read: true });
  try {
    const builder = new VoteColumnsBuilder();
    const slices: SliceSpan[] = [];
    const options = { conversations: false };
    const stream = sliceJsonArray(file, request, request.sliceSize);
    while (true) {
      const next = await stream.next();
      if (next.done) {
        if (next.value !== undefined) return { stop: true };
        break;
      }
      const { values, start, end } = next.value;
      for (const value of values) {
        if (!builder.addValue(value)) builder.add(parseHumanVote(value, source, options));
      }
      slices.push({ start, end, count: values.length });
    }
    return { columns: builder.build(), slices };
  } finally {
    file.close();
  }
}
