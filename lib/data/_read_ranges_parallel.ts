import { DataError } from "./data_error.ts";
import { openInput } from "./_open_input.ts";
import { newlinesBefore } from "./_file_range.ts";
import type { ReadJudgmentKindOptions } from "./read_judgments.ts";
import type { RangeColumns, RangeFailure, RangeRequest } from "./_judgment_columns.ts";

/**
 * Reads a judgment file with one worker per byte range (split at line ends),
 * each parsing and checking every line of its range, and yields the ranges'
 * columns in file order. A bad line throws the DataError a one-thread read
 * throws, with the line counted from the top of the file.
 */
export async function* readRangesParallel(
  path: string,
  kind: "single" | "pair",
  options: ReadJudgmentKindOptions & { workers?: number },
): AsyncGenerator<RangeColumns> {
  const size = await openInput(path).then(async (file) => {
    try {
      return (await file.stat()).size;
    } finally {
      file.close();
    }
  });
  const count = Math.max(1, Math.min(options.workers ?? navigator.hardwareConcurrency, 8));
  const bounds = Array.from({ length: count + 1 }, (_, index) => Math.floor(size * index / count));
  const workers: Worker[] = [];
  const results = bounds.slice(0, -1).map((start, index) => {
    const worker = new Worker(new URL("./_judgment_range_worker.ts", import.meta.url).href, {
      type: "module",
    });
    workers.push(worker);
    const request: RangeRequest = {
      kind,
      path,
      start,
      end: bounds[index + 1]!,
      hint: options.hint,
      questionIds: options.questionIds,
    };
    return new Promise<{ ok?: RangeColumns; failure?: RangeFailure }>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`a reader worker of "${path}" failed: ${event.message}`));
      };
      worker.postMessage(request);
    });
  });
  try {
    for (let index = 0; index < results.length; index++) {
      const result = await results[index]!;
      workers[index]!.terminate();
      if (result.failure !== undefined) {
        throw rangeError(path, bounds[index]!, result.failure);
      }
      yield result.ok!;
    }
  } finally {
    for (const worker of workers) worker.terminate();
  }
}

/** The worker's failure as the error a one-thread read throws (line counted from the top). */
function rangeError(path: string, start: number, failure: RangeFailure): Error {
  if (failure.kind === "other") return new Error(failure.message);
  let line = failure.line;
  if (line !== undefined && start > 0) line += newlinesBefore(path, start - 1) + 1;
  return new DataError(failure.reason, { file: path, line, field: failure.field });
}
