import { type JudgmentLog, type LoggedRecord, readJudgmentLog } from "./judgment_log.ts";
import { isErrorRecord, recordKey } from "./record_key.ts";

/**
 * The lines of error records that a good record of the same key supersedes:
 * the rule that keeps one record per key, the good one, whatever order a
 * killed `--retry-errors` run left them in. Error records of keys with no
 * good record stay (they are what `--retry-errors` redoes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { supersededErrorLines } from "./compact_judgment_log.ts";
 * const judge: [string, string] = ["j", "single-v1"];
 * const error = { question_id: 81, model: "m", judge, score: -1, turn: 1, error: "timeout" };
 * const good = { question_id: 81, model: "m", judge, score: 7, turn: 1 };
 * const lines = supersededErrorLines([
 *   { record: good, line: 1 },
 *   { record: error, line: 2 },
 * ], "mt_bench");
 * assert.deepEqual([...lines], [2]);
 * ```
 */
export function supersededErrorLines(
  records: readonly LoggedRecord[],
  bench: string,
): Set<number> {
  const good = new Set<string>();
  for (const { record } of records) {
    if (!isErrorRecord(record)) good.add(recordKey(record, bench));
  }
  const lines = new Set<number>();
  for (const { record, line } of records) {
    if (isErrorRecord(record) && good.has(recordKey(record, bench))) lines.add(line);
  }
  return lines;
}

/**
 * Rewrites an open judgment file (atomically, under its lock) without the
 * error records that good records supersede; returns how many were dropped.
 * Run at the end of every run, and by a run that finds nothing to do, so
 * that after any completed run each key has one record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compactJudgmentLog } from "./compact_judgment_log.ts";
 * import { openJudgmentLog } from "./judgment_log.ts";
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/j_single.jsonl`;
 * const base = '"question_id": 81, "model": "m", "judge": ["j", "single-v1"], "turn": 1';
 * await Deno.writeTextFile(path, `{${base}, "score": -1, "error": "x"}\n{${base}, "score": 8}\n`);
 * const log = await openJudgmentLog(path);
 * assert.equal(await compactJudgmentLog(log, "mt_bench"), 1);
 * await log.close();
 * assert.equal(Deno.readTextFileSync(path).trim().split("\n").length, 1);
 * ```
 */
export async function compactJudgmentLog(log: JudgmentLog, bench: string): Promise<number> {
  const { records } = await readJudgmentLog(log.path);
  const lines = supersededErrorLines(records, bench);
  await log.dropLines(lines);
  return lines.size;
}
