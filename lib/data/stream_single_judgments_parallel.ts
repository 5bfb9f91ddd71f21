import type { ReadJudgmentKindOptions } from "./read_judgments.ts";
import type { SingleJudgment } from "./types.ts";
import { readRangesParallel } from "./_read_ranges_parallel.ts";

/** Options for {@linkcode streamSingleJudgmentsParallel}. */
export interface StreamJudgmentsParallelOptions extends ReadJudgmentKindOptions {
  /**
   * Workers, each reading one byte range of the file (split at line ends).
   * @default {navigator.hardwareConcurrency, at most 8}
   */
  workers?: number;
}

/**
 * Reads a single-judgment file with several workers, each parsing and
 * checking the lines of one byte range of the file (every line, as
 * `streamSingleJudgments` does: JSON, repeated keys, fields, the kind, known
 * question ids), and yields the records in file order. The records carry only
 * what scores need: `question_id`, `model`, `judge`, `score`, `turn` and
 * `error` when the line has one; the texts stay in the workers. A bad line
 * throws the same DataError, with the line counted from the top of the file.
 * Worth it for large files: a worker costs some milliseconds to start.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamSingleJudgmentsParallel } from "./stream_single_judgments_parallel.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * const line = (q: number) => JSON.stringify({ question_id: q, model: "m", judge: ["gpt-4", "single-v1"], score: 5, turn: 1 });
 * await Deno.writeTextFile(path, [81, 82, 83].map(line).join("\n") + "\n");
 * const ids: number[] = [];
 * for await (const batch of streamSingleJudgmentsParallel(path, { workers: 2 })) {
 *   for (const record of batch) ids.push(record.question_id as number);
 * }
 * assert.deepEqual(ids, [81, 82, 83]);
 * await Deno.remove(path);
 * ```
 */
export async function* streamSingleJudgmentsParallel(
  path: string,
  options: StreamJudgmentsParallelOptions = {},
): AsyncGenerator<SingleJudgment[]> {
  for await (const columns of readRangesParallel(path, "single", options)) {
    const errors = new Map(columns.errors);
    for (let from = 0; from < columns.count; from += BATCH) {
      const to = Math.min(columns.count, from + BATCH);
      const batch: SingleJudgment[] = new Array(to - from);
      for (let index = from; index < to; index++) {
        batch[index - from] = {
          question_id: columns.questionIds[columns.question[index]!]!,
          model: columns.models[columns.model[index]!]!,
          judge: columns.judges[columns.judge[index]!]!,
          score: columns.score[index]!,
          turn: columns.turn[index]!,
          error: errors.get(index),
        };
      }
      yield batch;
    }
  }
}

const BATCH = 16384;
