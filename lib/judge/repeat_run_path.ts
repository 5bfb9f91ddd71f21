/**
 * The file of run `run` (1-based) of `judge --repeats K`: the judgment file's
 * name with `.run<k>` before `.jsonl`, beside it, so
 * `gpt-4_single.jsonl` → `gpt-4_single.run2.jsonl`. The K files of a run
 * are what `audit --input-file` compares as repeated runs; the plain file
 * (a temperature-0 run) is left alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { repeatRunPath } from "./repeat_run_path.ts";
 * assert.equal(repeatRunPath("out/mt_bench/model_judgment/gpt-4_single.jsonl", 2),
 *   "out/mt_bench/model_judgment/gpt-4_single.run2.jsonl");
 * assert.equal(repeatRunPath("judgments", 1), "judgments.run1");
 * ```
 */
export function repeatRunPath(path: string, run: number): string {
  if (!Number.isInteger(run) || run < 1) {
    throw new RangeError(`Cannot name a repeated run: run must be an integer >= 1, got ${run}`);
  }
  return path.endsWith(".jsonl")
    ? `${path.slice(0, -".jsonl".length)}.run${run}.jsonl`
    : `${path}.run${run}`;
}
