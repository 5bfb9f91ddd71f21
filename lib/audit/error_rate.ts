import type { Judgment } from "../data/types.ts";
import { isPairJudgment } from "../data/types.ts";

/** One cause of failed judgments and how often it occurred. */
export interface ErrorCause {
  /** The error text with numbers replaced by `N`, so alike failures group. */
  cause: string;
  /** Failed requests with this cause. */
  count: number;
}

/** Failed judgments of a run. */
export interface ErrorRate {
  /** Judge requests the records stand for (pairwise: two games per record). */
  requests: number;
  /** Requests without a usable verdict. */
  failed: number;
  /** `failed / requests`; NaN without a request. */
  errorRate: number;
  /** Failed requests whose answer came but could not be read (no verdict in the text). */
  parseFailures: number;
  /** Failed requests whose call itself failed (the judgment is `$ERROR$`). */
  apiFailures: number;
  /** Records with at least one failed request. */
  failedRecords: number;
  /** The most frequent causes, most frequent first. */
  causes: ErrorCause[];
}

/** Options for {@linkcode errorRate}. */
export interface ErrorRateOptions {
  /**
   * Causes listed.
   * @default {5}
   */
  top?: number;
}

/**
 * The error and parse-failure rate of judgment records, ours or FastChat's:
 * a single record failed when its score is -1 (or it has an `error`), a
 * pairwise game when its winner is `error`. Each failed request is a parse
 * failure when the judge answered (its judgment text is there) and an API
 * failure when the call failed (`$ERROR$`). Causes come from the records'
 * `error` text (llm-judge) or say "no verdict" (FastChat writes none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorRate } from "./error_rate.ts";
 * const judge: [string, string] = ["j", "single-v1"];
 * const rate = errorRate([
 *   { question_id: 81, model: "a", judge, score: 7, turn: 1 },
 *   { question_id: 82, model: "a", judge, score: -1, turn: 1, judgment: "great", error: "no rating found" },
 * ]);
 * assert.equal(rate.errorRate, 0.5);
 * assert.equal(rate.parseFailures, 1);
 * assert.deepEqual(rate.causes, [{ cause: "no rating found", count: 1 }]);
 * ```
 */
export function errorRate(records: readonly Judgment[], options: ErrorRateOptions = {}): ErrorRate {
  let requests = 0, failed = 0, parseFailures = 0, apiFailures = 0, failedRecords = 0;
  const causes = new Map<string, number>();
  const count = (judgment: unknown, error: string | undefined) => {
    failed++;
    if (judgment === "$ERROR$") apiFailures++;
    else parseFailures++;
    const cause = (error ?? "no verdict").replace(/\d+(\.\d+)?/g, "N").slice(0, 160);
    causes.set(cause, (causes.get(cause) ?? 0) + 1);
  };
  for (const record of records) {
    if (isPairJudgment(record)) {
      requests += 2;
      const parts = typeof record.error === "string" ? record.error.split("; ") : [];
      const errorOf = (game: string) =>
        parts.find((part) => part.startsWith(`${game}: `))?.slice(game.length + 2);
      let any = false;
      for (const game of ["g1", "g2"] as const) {
        const winner = game === "g1" ? record.g1_winner : record.g2_winner;
        if (winner !== "error") continue;
        any = true;
        count(record[`${game}_judgment`], errorOf(game));
      }
      if (any) failedRecords++;
    } else {
      requests++;
      if (record.score === -1 || typeof record.error === "string") {
        failedRecords++;
        count(record.judgment, typeof record.error === "string" ? record.error : undefined);
      }
    }
  }
  return {
    requests,
    failed,
    errorRate: requests === 0 ? NaN : failed / requests,
    parseFailures,
    apiFailures,
    failedRecords,
    causes: [...causes].map(([cause, count]) => ({ cause, count }))
      .sort((a, b) => b.count - a.count || (a.cause < b.cause ? -1 : 1))
      .slice(0, options.top ?? 5),
  };
}
