import { parseJudgment } from "../data/read_judgments.ts";
import type { Judgment } from "../data/types.ts";
import {
  type LoggedEntry,
  openRecordLog,
  readRecordLog,
  type RecordLog,
  type RecordLogContents,
} from "../data/record_log.ts";

/** A record already in a judgment file. */
export type LoggedRecord = LoggedEntry<Judgment>;

/** What {@linkcode readJudgmentLog} found. */
export type JudgmentLogContents = RecordLogContents<Judgment>;

/** A judgment file opened for appending, under an exclusive lock. */
export type JudgmentLog = RecordLog<Judgment>;

/**
 * Reads a judgment file for resuming, without locking it: every complete
 * line is validated (a bad one throws a `DataError` naming the line); an
 * incomplete last line — a write cut off by a crash — is reported, not
 * thrown. A missing file reads as empty. (The generic reader is
 * `readRecordLog` of the data layer, shared with the answer files.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readJudgmentLog } from "./judgment_log.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, '{"question_id": 81, "model": "m", "judge": ["j", "single-v1"], "score": 7, "turn": 1}\n{"question_');
 * const contents = await readJudgmentLog(path);
 * assert.equal(contents.records.length, 1);
 * assert.equal(contents.tornTail, 11);
 * ```
 */
export function readJudgmentLog(path: string): Promise<JudgmentLogContents> {
  return readRecordLog(path, parseJudgment);
}

/**
 * Opens a judgment file for a run: takes an exclusive OS lock on
 * `<path>.lock` (released by the OS if the process dies, so a killed run
 * never blocks the next), refuses with `OutputLockedError` when another run
 * holds it, cuts off a torn last line left by an interrupted write, and
 * reads the records already there. Each `append` writes one whole line at
 * the end of the file. (The generic log is `openRecordLog` of the data
 * layer, shared with `gen` and `gen-api`.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openJudgmentLog } from "./judgment_log.ts";
 * const dir = await Deno.makeTempDir();
 * const log = await openJudgmentLog(`${dir}/model_judgment/j_single.jsonl`);
 * await log.append('{"question_id": 81, "model": "m", "judge": ["j", "single-v1"], "score": 7, "turn": 1}\n');
 * await log.close();
 * assert.ok(Deno.readTextFileSync(`${dir}/model_judgment/j_single.jsonl`).endsWith("\n"));
 * ```
 */
export function openJudgmentLog(path: string): Promise<JudgmentLog> {
  return openRecordLog(path, parseJudgment);
}
