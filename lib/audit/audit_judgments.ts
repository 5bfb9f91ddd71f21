import type { HumanVote, Judgment, PairJudgment, SingleJudgment } from "../data/types.ts";
import { isPairJudgment } from "../data/types.ts";
import type { AnswerLength } from "./answer_lengths.ts";
import { type ErrorRate, errorRate } from "./error_rate.ts";
import { judgeFamily } from "./judge_family.ts";
import { type LengthBias, lengthBias } from "./length_bias.ts";
import { type PositionBias, positionBias } from "./position_bias.ts";
import { type RepeatAgreement, repeatAgreement } from "./repeat_agreement.ts";
import { type ScoreDistribution, scoreDistribution } from "./score_distribution.ts";
import { type ScoreSignificance, scoreSignificance } from "./score_significance.ts";
import { type SelfPreference, selfPreference } from "./self_preference.ts";

/** Options for {@linkcode auditJudgments}. */
export interface AuditOptions {
  /**
   * Answer lengths, for the verbosity bias.
   * @default {undefined} (no verbosity figures)
   */
  lengthOf?: AnswerLength | undefined;
  /**
   * The judge's family names for self-preference.
   * @default {[judgeFamily(<judge of the first record>)]}
   */
  family?: readonly string[] | undefined;
  /**
   * Expert votes on the same items, for the self-preference reference.
   * @default {[]}
   */
  referenceVotes?: readonly HumanVote[];
  /**
   * Bootstrap rounds (slope and score-difference intervals).
   * @default {1000}
   */
  rounds?: number;
  /**
   * Bootstrap seed.
   * @default {0}
   */
  seed?: number;
}

/** Everything `audit` reports on a run. */
export interface AuditReport {
  /** The judge named in the records (`judge[0]`), and its prompt names. */
  judge: string;
  /** The judge prompts the records name (`judge[1]`). */
  prompts: string[];
  /** `pairwise`, `single`, or `mixed` when the files hold both kinds. */
  kind: "pairwise" | "single" | "mixed" | "empty";
  /** Runs (files) read. */
  runs: number;
  /** Records of the first run. */
  records: number;
  /** Error and parse-failure rate, with the top causes. */
  errors: ErrorRate;
  /** Pairwise: position consistency and first-position preference. */
  positionBias: PositionBias | null;
  /** Verbosity bias; null without answer lengths. */
  lengthBias: LengthBias | null;
  /** Preference for the judge's own model family. */
  selfPreference: SelfPreference;
  /** Verdict distribution and entropy. */
  distribution: ScoreDistribution;
  /** With two or more runs (files). */
  repeats: RepeatAgreement | null;
  /** Single grades: what differences the run can resolve. */
  significance: ScoreSignificance | null;
}

/**
 * Audits judgment records of one judge — one run per file, several files
 * for repeated runs over the same matches: error and parse-failure rate,
 * position bias, verbosity bias, self-preference, verdict distribution and
 * entropy, agreement between runs and, for single grades, the smallest
 * difference of mean scores the run can call significant. Pure: the caller
 * reads the files and the answers. Figures over records use the first run;
 * `repeats` compares the runs.
 *
 * @example A judge that always says "[[A]]"
 * ```ts
 * import assert from "node:assert/strict";
 * import { auditJudgments } from "./audit_judgments.ts";
 * const judge: [string, string] = ["gpt-4", "pair-v2"];
 * const report = auditJudgments([[
 *   { question_id: 81, model_1: "a", model_2: "b", g1_winner: "model_1", g2_winner: "model_2", judge, turn: 1 },
 * ]], { rounds: 0 });
 * assert.equal(report.positionBias!.consistency, 0);
 * assert.equal(report.selfPreference.family[0], "gpt");
 * ```
 */
export function auditJudgments(
  runs: readonly (readonly Judgment[])[],
  options: AuditOptions = {},
): AuditReport {
  const records = runs[0] ?? [];
  const pairs = records.filter(isPairJudgment) as PairJudgment[];
  const singles = records.filter((record) => !isPairJudgment(record)) as SingleJudgment[];
  const judge = records[0]?.judge[0] ?? "";
  const prompts = [...new Set(records.map((record) => record.judge[1]))].sort();
  const kind = records.length === 0
    ? "empty"
    : pairs.length === 0
    ? "single"
    : singles.length === 0
    ? "pairwise"
    : "mixed";
  const bootstrap = { rounds: options.rounds ?? 1000, seed: options.seed ?? 0 };
  return {
    judge,
    prompts,
    kind,
    runs: runs.length,
    records: records.length,
    errors: errorRate(records),
    positionBias: pairs.length > 0 ? positionBias(pairs) : null,
    lengthBias: options.lengthOf === undefined
      ? null
      : lengthBias(records, options.lengthOf, bootstrap),
    selfPreference: selfPreference(records, options.family ?? [judgeFamily(judge)], {
      referenceVotes: options.referenceVotes ?? [],
    }),
    distribution: scoreDistribution(records),
    repeats: runs.length >= 2 ? repeatAgreement(runs) : null,
    significance: singles.length > 0 ? scoreSignificance(singles, bootstrap) : null,
  };
}
