import type { PairJudgment } from "./types.ts";
import { readRangesParallel } from "./_read_ranges_parallel.ts";
import { WINNERS } from "./_judgment_columns.ts";
import type { StreamJudgmentsParallelOptions } from "./stream_single_judgments_parallel.ts";

/**
 * Reads a pairwise-judgment file with several workers, each parsing and
 * checking the lines of one byte range (as `streamPairJudgments` does), and
 * yields the records in file order, with only what scores need:
 * `question_id`, `model_1`, `model_2`, `g1_winner`, `g2_winner`, `judge`,
 * `turn` and `error` when the line has one. A bad line throws the same
 * DataError, with the line counted from the top of the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { streamPairJudgmentsParallel } from "./stream_pair_judgments_parallel.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * const line = (winner: string) => JSON.stringify({ question_id: 81, model_1: "a", model_2: "b", g1_winner: winner, g2_winner: "tie", judge: ["gpt-4", "pair-v2"], turn: 1 });
 * await Deno.writeTextFile(path, ["model_1", "model_2", "tie"].map(line).join("\n") + "\n");
 * const winners: string[] = [];
 * for await (const batch of streamPairJudgmentsParallel(path, { workers: 2 })) {
 *   for (const record of batch) winners.push(record.g1_winner);
 * }
 * assert.deepEqual(winners, ["model_1", "model_2", "tie"]);
 * await Deno.remove(path);
 * ```
 */
export async function* streamPairJudgmentsParallel(
  path: string,
  options: StreamJudgmentsParallelOptions = {},
): AsyncGenerator<PairJudgment[]> {
  for await (const columns of readRangesParallel(path, "pair", options)) {
    const errors = new Map(columns.errors);
    for (let from = 0; from < columns.count; from += BATCH) {
      const to = Math.min(columns.count, from + BATCH);
      const batch: PairJudgment[] = new Array(to - from);
      for (let index = from; index < to; index++) {
        const winners = columns.winners[index]!;
        batch[index - from] = {
          question_id: columns.questionIds[columns.question[index]!]!,
          model_1: columns.models[columns.model[index]!]!,
          model_2: columns.models[columns.model2[index]!]!,
          g1_winner: WINNERS[winners >> 2]!,
          g2_winner: WINNERS[winners & 3]!,
          judge: columns.judges[columns.judge[index]!]!,
          turn: columns.turn[index]!,
          error: errors.get(index),
        };
      }
      yield batch;
    }
  }
}

const BATCH = 16384;
