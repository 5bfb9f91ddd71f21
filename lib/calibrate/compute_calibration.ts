import type { HumanVote, PairJudgment, Question, SingleJudgment } from "../data/types.ts";
import { addSingleScoreVotes } from "../agree/add_single_score_votes.ts";
import { agreementByCategory, type CategoryAgreement } from "../agree/agreement_by_category.ts";
import { type AgreementResult, computeAgreement } from "../agree/compute_agreement.ts";
import { judgeGroup } from "../agree/judge_group.ts";
import { pairJudgmentVote } from "../agree/pair_judgment_vote.ts";
import { ScoreIndex } from "../agree/score_index.ts";
import { VoteTally } from "../agree/vote_tally.ts";
import { type ErrorRate, errorRate } from "../audit/error_rate.ts";
import { type PositionBias, positionBias } from "../audit/position_bias.ts";
import { itemKey } from "./item_key.ts";
import type { HumanBenchItem } from "./types.ts";

/** What calibration compares. */
export interface CalibrationInputs {
  /** The judge's name in the report (e.g. `--judge-model`). */
  judge: string;
  /** The items judged (the whole bench, or a sample). */
  items: readonly HumanBenchItem[];
  /** Votes of the human-judgment dataset (experts and authors). */
  humanVotes: readonly HumanVote[];
  /** The dataset's GPT-4 pair votes. */
  gpt4Votes: readonly HumanVote[];
  /** Question categories, for the per-category rows. */
  questions: readonly Pick<Question, "question_id" | "category">[];
  /** The judge's pairwise records on the items; undefined in single mode. */
  pairRecords?: readonly PairJudgment[] | undefined;
  /** The judge's single grades on the items' answers; undefined in pairwise mode. */
  singleRecords?: readonly SingleJudgment[] | undefined;
  /**
   * What the reference rows (GPT-4 vs human, human vs human) cover: every
   * vote of the dataset (the paper's figures), or only the judged items
   * (comparable with a sampled judge).
   * @default {"dataset"}
   */
  referenceScope?: "dataset" | "items";
}

/** Options for {@linkcode computeCalibration}. */
export interface CalibrationOptions {
  /**
   * Bootstrap rounds for the intervals (questions resampled); 0 for none.
   * @default {1000}
   */
  rounds?: number;
  /**
   * Bootstrap seed.
   * @default {0}
   */
  seed?: number;
  /**
   * Score margin within which two single grades are a tie (FastChat's `TIE_DELTA`).
   * @default {0.1}
   */
  tieDelta?: number;
}

/** One agreement row of the report. */
export interface CalibrationRow {
  /** e.g. `gpt4-pair vs human`. */
  label: string;
  /** Reference rows come from the dataset; judge rows from the judge's records. */
  kind: "reference" | "judge";
  /** The two judges compared. */
  judges: [string, string];
  /** Which votes the row covers. */
  scope: "dataset" | "items";
  /** Agreement per turn (S1, S2, kappa, interval). */
  result: AgreementResult;
  /** The same per question category. */
  categories: CategoryAgreement[];
}

/** Items a judge has no usable verdict on. */
export interface CalibrationFailures {
  /** Items (or answers, single) whose record is an error. */
  failed: number;
  /** Items with no record at all (the run stopped before them). */
  missing: number;
  /** Their keys (`turn|question|model_a|model_b`; single: `turn|question|model`). */
  keys: string[];
  /** Error and parse-failure rate with the top causes. */
  errors: ErrorRate;
}

/** What {@linkcode computeCalibration} returns. */
export interface CalibrationReport {
  /** The judge's name. */
  judge: string;
  /** Items judged. */
  items: number;
  /** Questions they come from. */
  questions: number;
  /** Reference rows first, then the judge's rows. */
  rows: CalibrationRow[];
  /** The judge's position consistency and bias (pairwise). */
  positionBias: PositionBias | null;
  /** Failed or missing items, per mode. */
  failures: { pair: CalibrationFailures | null; single: CalibrationFailures | null };
  /** How the intervals were computed. */
  bootstrap: { rounds: number; seed: number };
}

/**
 * Compares a judge with the MT-Bench human experts on the human-study items,
 * next to the dataset's reference rows, as the MT-Bench paper does:
 *
 * - `gpt4-pair vs human` and `human vs human` (every expert pair on a key),
 *   from the dataset;
 * - `<judge> vs human`: the judge's pairwise votes (both orders; an order
 *   flip is a tie, as FastChat's `tie (inconsistent)`);
 * - `<judge> (single) vs human`: single grades turned into votes (a tie
 *   within `tieDelta`), and `<judge> (single) vs <judge>`: single-vs-pair
 *   agreement of the same judge;
 *
 * each per turn with ties (S1) and without (S2), Cohen's kappa and a
 * bootstrap interval over questions, and per category. Failed judgments are
 * left out of the agreement and listed. Pure.
 *
 * @example A judge that always agrees with the one expert
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeCalibration } from "./compute_calibration.ts";
 * const judge: [string, string] = ["j", "pair-v2"];
 * const report = computeCalibration({
 *   judge: "j",
 *   items: [{ question_id: 81, model_a: "a", model_b: "b", turn: 1, votes: [{ judge: "expert_0", winner: "model_b" }] }],
 *   humanVotes: [{ question_id: 81, model_a: "b", model_b: "a", winner: "model_a", judge: "expert_0", turn: 1 }],
 *   gpt4Votes: [],
 *   questions: [{ question_id: 81, category: "writing" }],
 *   pairRecords: [{ question_id: 81, model_1: "a", model_2: "b", g1_winner: "model_2", g2_winner: "model_2", judge, turn: 1 }],
 * }, { rounds: 0 });
 * const row = report.rows.find((entry) => entry.label === "j vs human")!;
 * assert.equal(row.result.turns[0]!.withTie.ratio, 1);
 * assert.equal(report.positionBias!.consistency, 1);
 * ```
 */
export function computeCalibration(
  inputs: CalibrationInputs,
  options: CalibrationOptions = {},
): CalibrationReport {
  const rounds = options.rounds ?? 1000;
  const seed = options.seed ?? 0;
  const agreementOptions = { rounds, seed };
  const scope = inputs.referenceScope ?? "dataset";
  const keys = new Set(inputs.items.map(itemKey));
  const inItems = (vote: HumanVote) => keys.has(itemKey(vote));
  const rows: CalibrationRow[] = [];
  const row = (
    label: string,
    kind: CalibrationRow["kind"],
    tally: VoteTally,
    rowScope: CalibrationRow["scope"],
  ) =>
    rows.push({
      label,
      kind,
      judges: [tally.judges[0], tally.judges[1]],
      scope: rowScope,
      result: computeAgreement(tally, agreementOptions),
      categories: agreementByCategory(tally, inputs.questions, agreementOptions),
    });
  const experts = inputs.humanVotes.filter((vote) =>
    judgeGroup(vote.judge) === "human" && (scope === "dataset" || inItems(vote))
  );
  const judgedExperts = inputs.humanVotes.filter((vote) =>
    judgeGroup(vote.judge) === "human" && inItems(vote)
  );
  const gpt4 = new VoteTally(["gpt4-pair", "human"]);
  for (const vote of inputs.gpt4Votes) {
    if (scope === "dataset" || inItems(vote)) gpt4.addHumanVote(vote);
  }
  for (const vote of experts) gpt4.addHumanVote(vote);
  row("gpt4-pair vs human", "reference", gpt4, scope);
  const humans = new VoteTally(["human", "human"]);
  for (const vote of experts) humans.addHumanVote(vote);
  row("human vs human", "reference", humans, scope);

  const pairLabel = inputs.judge;
  const singleLabel = `${inputs.judge} (single)`;
  let bias: PositionBias | null = null;
  let pairFailures: CalibrationFailures | null = null;
  let singleFailures: CalibrationFailures | null = null;
  let pairVotes: VoteTally | undefined;
  if (inputs.pairRecords !== undefined) {
    const tally = new VoteTally([pairLabel, "human"]);
    const usable: PairJudgment[] = [];
    const seen = new Set<string>();
    const failedKeys: string[] = [];
    for (const record of inputs.pairRecords) {
      const key = itemKey({ ...record, model_a: record.model_1, model_b: record.model_2 });
      if (!keys.has(key) || seen.has(key)) continue;
      seen.add(key);
      usable.push(record);
      const vote = pairJudgmentVote(record);
      if (vote === undefined) failedKeys.push(key);
      else tally.add(pairLabel, vote);
    }
    for (const vote of judgedExperts) tally.addHumanVote(vote);
    row(`${pairLabel} vs human`, "judge", tally, "items");
    bias = positionBias(usable);
    const missing = [...keys].filter((key) => !seen.has(key));
    pairFailures = {
      failed: failedKeys.length,
      missing: missing.length,
      keys: [...failedKeys, ...missing],
      errors: errorRate(usable),
    };
    pairVotes = new VoteTally([singleLabel, pairLabel]);
    for (const record of usable) {
      const vote = pairJudgmentVote(record);
      if (vote !== undefined) pairVotes.add(pairLabel, vote);
    }
  }
  if (inputs.singleRecords !== undefined) {
    const needed = new Set<string>();
    for (const item of inputs.items) {
      for (const model of [item.model_a, item.model_b]) {
        needed.add(`${item.turn}|${item.question_id}|${model}`);
      }
    }
    const scores = new ScoreIndex(singleLabel);
    const usable: SingleJudgment[] = [];
    const seen = new Set<string>();
    const failedKeys: string[] = [];
    for (const record of inputs.singleRecords) {
      const key = `${record.turn}|${record.question_id}|${record.model}`;
      if (!needed.has(key) || seen.has(key)) continue;
      seen.add(key);
      usable.push(record);
      if (!scores.add(record)) failedKeys.push(key);
    }
    const tally = new VoteTally([singleLabel, "human"]);
    for (const vote of judgedExperts) tally.addHumanVote(vote);
    addSingleScoreVotes(tally, scores, { tieDelta: options.tieDelta });
    row(`${singleLabel} vs human`, "judge", tally, "items");
    if (pairVotes !== undefined) {
      addSingleScoreVotes(pairVotes, scores, { tieDelta: options.tieDelta });
      row(`${singleLabel} vs ${pairLabel}`, "judge", pairVotes, "items");
    }
    const missing = [...needed].filter((key) => !seen.has(key));
    singleFailures = {
      failed: failedKeys.length,
      missing: missing.length,
      keys: [...failedKeys, ...missing],
      errors: errorRate(usable),
    };
  }
  return {
    judge: inputs.judge,
    items: inputs.items.length,
    questions: new Set(inputs.items.map((item) => item.question_id)).size,
    rows,
    positionBias: bias,
    failures: { pair: pairFailures, single: singleFailures },
    bootstrap: { rounds, seed },
  };
}
