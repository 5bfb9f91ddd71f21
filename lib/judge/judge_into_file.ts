import type { Judgment } from "../data/types.ts";
import { supersededErrorLines } from "./compact_judgment_log.ts";
import { judgeMatches, type JudgeMatchesOptions, type JudgeRunResult } from "./judge_matches.ts";
import { type LoggedRecord, openJudgmentLog, readJudgmentLog } from "./judgment_log.ts";
import { planRun, type RunPlan } from "./plan_run.ts";
import type { PreparedMatch } from "./prepare_match.ts";
import { isErrorRecord, recordKey } from "./record_key.ts";

/** Options for {@linkcode judgeIntoFile}: those of `judgeMatches` but `onRecord`. */
export interface JudgeIntoFileOptions extends Omit<JudgeMatchesOptions, "onRecord"> {
  /** The judgment file (FastChat's `<judge>_pair.jsonl` or `<judge>_single.jsonl`). */
  outputPath: string;
  /**
   * Judge only the matches whose records are all errors (`--retry-errors`),
   * instead of the matches with no record yet.
   * @default {false}
   */
  retryErrors?: boolean;
  /**
   * Called once the file is locked, with the plan (and the bytes of a torn
   * last line that opening cut off), before any request.
   * @default {undefined}
   */
  onPlan?: ((plan: RunPlan, repairedBytes: number) => void) | undefined;
  /**
   * What judges the matches left to do: `judgeMatches`, or a function of the
   * same shape (`judge --batch` and `calibrate --batch` pass the Batch API's).
   * @default {judgeMatches}
   */
  runner?:
    | ((matches: readonly PreparedMatch[], options: JudgeMatchesOptions) => Promise<JudgeRunResult>)
    | undefined;
}

/** What {@linkcode judgeIntoFile} did, and the file's records for the matches. */
export interface JudgeIntoFileResult {
  /** The run; undefined when nothing was left to judge. */
  run: JudgeRunResult | undefined;
  /** Matches already judged before this run (or, without `retryErrors`, failed before). */
  alreadyDone: number;
  /** Error records dropped at the end because good records of the same key replace them. */
  compacted: number;
  /** The latest record of each prepared match found in the file after the run. */
  records: Judgment[];
}

/**
 * Judges the prepared matches that a judgment file does not have yet (or,
 * with `retryErrors`, those it holds only error records for) and appends
 * their records to it: the resumable core of `judge` and `calibrate`. The
 * file is locked for the run (`openJudgmentLog`), a torn last line is
 * repaired, every record is appended as soon as it is built, so an
 * interrupted run loses nothing, and at the end error records that good
 * records replace are dropped (`supersededErrorLines`: one record per key).
 * Returns the record of each prepared match, including those of earlier runs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { judgeIntoFile } from "./judge_into_file.ts";
 * import { createMockClient } from "../chat/providers/mock.ts";
 * const dir = await Deno.makeTempDir();
 * const result = await judgeIntoFile([], { client: createMockClient(), bench: "b", outputPath: `${dir}/j.jsonl` });
 * assert.equal(result.records.length, 0);
 * ```
 */
export async function judgeIntoFile(
  prepared: readonly PreparedMatch[],
  options: JudgeIntoFileOptions,
): Promise<JudgeIntoFileResult> {
  const { outputPath, onPlan, retryErrors, runner = judgeMatches, ...judgeOptions } = options;
  const log = await openJudgmentLog(outputPath);
  let run: JudgeRunResult | undefined;
  let plan: RunPlan;
  let compacted = 0;
  let written: LoggedRecord[] = [];
  try {
    plan = planRun(prepared, log.records, { bench: options.bench, retryErrors });
    onPlan?.(plan, log.repairedBytes);
    if (plan.todo.length > 0) {
      run = await runner(plan.todo, {
        ...judgeOptions,
        onRecord: async (built) => {
          await log.append(built.line);
        },
      });
    }
    // One read, under the lock, serves both the compaction and the records returned.
    written = (await readJudgmentLog(outputPath)).records;
    const superseded = supersededErrorLines(written, options.bench);
    await log.dropLines(superseded);
    compacted = superseded.size;
  } finally {
    await log.close();
  }
  const latest = new Map<string, Judgment>();
  for (const { record } of written) {
    const key = recordKey(record, options.bench);
    // A good record stands for its key, whatever error records are around it.
    if (!isErrorRecord(record) || !latest.has(key)) latest.set(key, record);
  }
  const records: Judgment[] = [];
  for (const match of prepared) {
    for (const key of match.keys) {
      const record = latest.get(key);
      if (record !== undefined) {
        records.push(record);
        break;
      }
    }
  }
  return { run, alreadyDone: plan.alreadyDone, compacted, records };
}
