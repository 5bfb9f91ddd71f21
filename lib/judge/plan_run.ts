import type { LoggedRecord } from "./judgment_log.ts";
import type { PreparedMatch } from "./prepare_match.ts";
import { isErrorRecord, recordKey } from "./record_key.ts";

/** Options for {@linkcode planRun}. */
export interface PlanRunOptions {
  /** The bench the records belong to (part of each record's key). */
  bench: string;
  /**
   * Judge only the matches whose records are all errors, instead of the
   * matches that have no record yet.
   * @default {false}
   */
  retryErrors?: boolean;
}

/** What {@linkcode planRun} returns. */
export interface RunPlan {
  /** The matches to judge, in the order given. */
  todo: PreparedMatch[];
  /** Matches left out because they are done (or, without `retryErrors`, failed before). */
  alreadyDone: number;
}

/**
 * Splits prepared matches into those to judge and those a judgment file
 * already holds, for resuming a run. A match is done when a good record has
 * any of its keys (its error records are then superseded), and failed when it
 * only has error records. Without `retryErrors`, done and failed matches are
 * both skipped; with it, only failed matches are judged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planRun } from "./plan_run.ts";
 * import type { PreparedMatch } from "./prepare_match.ts";
 * const match = (key: string) => ({ keys: [key] }) as unknown as PreparedMatch;
 * const plan = planRun([match("a"), match("b")], [], { bench: "mt_bench" });
 * assert.equal(plan.todo.length, 2);
 * assert.equal(plan.alreadyDone, 0);
 * ```
 */
export function planRun(
  prepared: readonly PreparedMatch[],
  records: readonly LoggedRecord[],
  options: PlanRunOptions,
): RunPlan {
  const { bench } = options;
  const retryErrors = options.retryErrors ?? false;
  // A key with a good record is done, wherever its error records stand (they are superseded).
  const done = new Set<string>();
  const failed = new Set<string>();
  for (const { record } of records) {
    (isErrorRecord(record) ? failed : done).add(recordKey(record, bench));
  }
  // An empty file: everything is to do (without --retry-errors), and no key is
  // computed (a key hashes the rendered prompt).
  if (records.length === 0) return { todo: retryErrors ? [] : [...prepared], alreadyDone: 0 };
  const todo: PreparedMatch[] = [];
  let alreadyDone = 0;
  for (const match of prepared) {
    const isDone = match.keys.some((key) => done.has(key));
    const isFailed = !isDone && match.keys.some((key) => failed.has(key));
    if (retryErrors) {
      if (isFailed) todo.push(match);
      else if (isDone) alreadyDone++;
    } else if (isDone || isFailed) alreadyDone++;
    else todo.push(match);
  }
  return { todo, alreadyDone };
}
