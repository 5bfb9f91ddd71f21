import type { Judgment } from "../data/types.ts";
import { judgeMatches, type JudgeMatchesOptions, type JudgeRunResult } from "./judge_matches.ts";
import { type LoggedRecord, openJudgmentLog, readJudgmentLog } from "./judgment_log.ts";
import type { PreparedMatch } from "./prepare_match.ts";
import { recordKey } from "./record_key.ts";

/** Which prepared matches a judgment file already has. */
export interface JudgePlan {
  /** Matches with no record yet. */
  todo: PreparedMatch[];
  /** Matches with a record (an error record counts as done). */
  done: number;
}

/**
 * Splits prepared matches into those a judgment file already has a record
 * for (by the resume keys of `recordKey`; the latest record of a key counts,
 * error records included) and those still to judge.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planJudgeRun } from "./judge_into_file.ts";
 * const plan = planJudgeRun([], [], "mt_bench");
 * assert.deepEqual(plan, { todo: [], done: 0 });
 * ```
 */
export function planJudgeRun(
  prepared: readonly PreparedMatch[],
  records: readonly LoggedRecord[],
  bench: string,
): JudgePlan {
  const seen = new Set<string>();
  for (const logged of records) seen.add(recordKey(logged.record, bench));
  const todo: PreparedMatch[] = [];
  let done = 0;
  for (const match of prepared) {
    if (match.keys.some((key) => seen.has(key))) done++;
    else todo.push(match);
  }
  return { todo, done };
}

/** Options for {@linkcode judgeIntoFile}: those of `judgeMatches` but `onRecord`. */
export interface JudgeIntoFileOptions extends Omit<JudgeMatchesOptions, "onRecord"> {
  /** The judgment file (FastChat's `<judge>_pair.jsonl` or `<judge>_single.jsonl`). */
  outputPath: string;
  /**
   * Called once the file is locked, with the plan, before any request.
   * @default {undefined}
   */
  onPlan?: ((plan: JudgePlan) => void) | undefined;
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
  /** Matches already judged before this run. */
  alreadyDone: number;
  /** The latest record of each prepared match found in the file after the run. */
  records: Judgment[];
}

/**
 * Judges the prepared matches that a judgment file does not have yet and
 * appends their records to it: the resumable core of `judge`, as a function.
 * The file is locked for the run (`openJudgmentLog`), a torn last line is
 * repaired, and every record is appended as soon as it is built, so an
 * interrupted run loses nothing. Returns the latest record of each prepared
 * match, including those of earlier runs.
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
  const { outputPath, onPlan, runner = judgeMatches, ...judgeOptions } = options;
  const log = await openJudgmentLog(outputPath);
  let run: JudgeRunResult | undefined;
  let plan: JudgePlan;
  try {
    plan = planJudgeRun(prepared, log.records, options.bench);
    onPlan?.(plan);
    if (plan.todo.length > 0) {
      run = await runner(plan.todo, {
        ...judgeOptions,
        onRecord: async (built) => {
          await log.append(built.line);
        },
      });
    }
  } finally {
    await log.close();
  }
  const contents = await readJudgmentLog(outputPath);
  const latest = new Map<string, Judgment>();
  for (const logged of contents.records) {
    latest.set(recordKey(logged.record, options.bench), logged.record);
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
  return { run, alreadyDone: plan.done, records };
}
