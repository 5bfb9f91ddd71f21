import type { QuestionId, SingleJudgment } from "../data/types.ts";
import { type BootstrapSettings, bootstrapSettings, byValueThenModel } from "./_bootstrap.ts";
import { clusterMeanBounds, type ClusterSums, STRIDE } from "./_cluster_bootstrap.ts";
import { SingleScoreCollector, type SingleScoreColumns } from "./single_score_collector.ts";

/** Options for {@linkcode singleScoreTable}. */
export interface SingleScoreTableOptions {
  /**
   * Models to report (FastChat's `--model-list`); others are left out.
   * @default {undefined} (every model)
   */
  modelList?: readonly string[] | undefined;
  /**
   * Category of each question (from `question.jsonl`), for the per-category
   * table. A kept record whose question is not in the map is a RangeError.
   * @default {undefined} (no per-category table)
   */
  categories?: ReadonlyMap<QuestionId, string> | undefined;
  /**
   * Bootstrap resamples for the intervals of the means; 0 disables them.
   * @default {1000}
   */
  rounds?: number;
  /**
   * Seed of the bootstrap. Every model is resampled with this seed, so a
   * model's interval does not depend on which other models are reported.
   * @default {0}
   */
  seed?: number;
  /**
   * Confidence level of the intervals.
   * @default {0.95}
   */
  confidence?: number;
}

/** One model's mean score in a table. */
export interface ModelScore {
  /** The model's name. */
  model: string;
  /** Mean of the kept scores. */
  score: number;
  /** Number of kept scores averaged. */
  records: number;
  /** Questions with at least one kept score: the clusters the bootstrap resamples. */
  questions: number;
  /** Lower bound of the bootstrap interval (absent when the bootstrap is off). */
  lower?: number;
  /** Upper bound of the bootstrap interval (absent when the bootstrap is off). */
  upper?: number;
}

/** One model's mean score over the questions of one category, both turns pooled. */
export interface CategoryScore {
  /** The model's name. */
  model: string;
  /** The category, as in the question file. */
  category: string;
  /** Mean of the kept scores of the model's answers in the category. */
  score: number;
  /** Number of kept scores averaged. */
  records: number;
}

/** What was left out of one model's records, and why. */
export interface ExcludedRecords {
  /** The model's name. */
  model: string;
  /** Records of the model in the file. */
  records: number;
  /** Records averaged. */
  kept: number;
  /** Records left out because `score` is -1. */
  scoreMinusOne: number;
  /** Records left out because they carry an `error` field. */
  errors: number;
  /** (question, turn, judge) keys that occur more than once (they are all averaged in). */
  duplicateKeys: number;
  /** Records beyond the first of each repeated key. */
  duplicateRecords: number;
}

/** Totals over the models in scope. */
export interface SingleScoreTotals {
  /** Records of the models in scope. */
  records: number;
  /** Records averaged. */
  kept: number;
  /** Records left out because `score` is -1. */
  scoreMinusOne: number;
  /** Records left out because they carry an `error` field. */
  errors: number;
  /** (question, turn, judge) keys that occur more than once. */
  duplicateKeys: number;
  /** Records beyond the first of each repeated key. */
  duplicateRecords: number;
  /** Records of models not in the model list (not counted above). */
  outsideModelList: number;
}

/** The tables of `show --mode single`. */
export interface SingleScoreTable {
  /** Mean turn-1 score per model, best first. */
  firstTurn: ModelScore[];
  /** Mean turn-2 score per model, best first; empty when no turn-2 score is kept. */
  secondTurn: ModelScore[];
  /** Mean of all kept scores per model (turns pooled, as FastChat does), best first. */
  average: ModelScore[];
  /** Category names in question-file order; null without `categories`. */
  categories: string[] | null;
  /** Mean score per model and category, in `average` then `categories` order; null without `categories`. */
  perCategory: CategoryScore[] | null;
  /** Every model in scope, by name, with what was excluded. */
  excluded: ExcludedRecords[];
  /** Sums of `excluded` over the models in scope. */
  totals: SingleScoreTotals;
  /** Names in the model list that have no record. */
  missingModels: string[];
  /** The bootstrap that made the intervals (`rounds` 0: none). */
  bootstrap: BootstrapSettings;
}

type Turn = "turn1" | "turn2" | "total";

/**
 * Computes FastChat's `show_result.py --mode single` tables: the mean score
 * per model of turn 1, of turn 2 and of all kept records (turns pooled, not
 * the mean of the two turn means), each sorted by score, highest first, ties
 * by model name. Records with `score` -1 or an `error` field are left out and
 * counted per model; repeated records are averaged in, as FastChat does, and
 * counted. Beyond FastChat: per-category means, and percentile bootstrap
 * intervals that resample a model's questions (both turns of a question
 * move together).
 *
 * Takes records, or a {@linkcode SingleScoreCollector} that streamed them.
 *
 * @example Mean scores of two models
 * ```ts
 * import assert from "node:assert/strict";
 * import { singleScoreTable } from "./single_score_table.ts";
 * const judge: [string, string] = ["gpt-4", "single-v1"];
 * const table = singleScoreTable([
 *   { question_id: 81, model: "a", judge, score: 8, turn: 1 },
 *   { question_id: 81, model: "a", judge, score: 6, turn: 2 },
 *   { question_id: 81, model: "b", judge, score: 9, turn: 1 },
 *   { question_id: 81, model: "b", judge, score: -1, turn: 2 },
 * ], { rounds: 0 });
 * assert.equal(table.firstTurn[0]!.model, "b");
 * assert.equal(table.average[0]!.score, 9);
 * assert.equal(table.secondTurn.length, 1);
 * assert.equal(table.totals.scoreMinusOne, 1);
 * ```
 */
export function singleScoreTable(
  input: Iterable<SingleJudgment> | SingleScoreCollector,
  options: SingleScoreTableOptions = {},
): SingleScoreTable {
  const settings = bootstrapSettings(options, "singleScoreTable()");
  const collector = input instanceof SingleScoreCollector
    ? input
    : new SingleScoreCollector().addAll(input);
  const data = collector.columns();
  const wanted = options.modelList === undefined ? undefined : new Set(options.modelList);
  const inScope = data.models.map((model) => wanted === undefined || wanted.has(model));

  // Units (model, question) with at least one kept score, grouped by model.
  const unitsOf: number[][] = data.models.map(() => []);
  for (let unit = 0; unit < data.unitModel.length; unit++) {
    const model = data.unitModel[unit]!;
    if (inScope[model] && data.totalCount[unit]! > 0) unitsOf[model]!.push(unit);
  }

  const firstTurn: ModelScore[] = [];
  const secondTurn: ModelScore[] = [];
  const average: ModelScore[] = [];
  const scored: Record<Turn, ModelScore | undefined>[] = [];
  const sums: ClusterSums[] = [];
  for (let model = 0; model < data.models.length; model++) {
    const units = unitsOf[model]!;
    if (units.length === 0) continue;
    const modelSums = clusterSums(data, units);
    const scores = modelScores(data.models[model]!, modelSums);
    scored.push(scores);
    sums.push(modelSums);
    if (scores.turn1) firstTurn.push(scores.turn1);
    if (scores.turn2) secondTurn.push(scores.turn2);
    if (scores.total) average.push(scores.total);
  }
  if (settings.rounds > 0) {
    const bounds = clusterMeanBounds(sums, settings);
    scored.forEach((scores, index) => {
      (["turn1", "turn2", "total"] as const).forEach((turn, statistic) => {
        const row = scores[turn];
        const { lower, upper } = bounds[index]![statistic]!;
        if (row === undefined || Number.isNaN(lower) || Number.isNaN(upper)) return;
        row.lower = lower;
        row.upper = upper;
      });
    });
  }
  const order = byValueThenModel((row: ModelScore) => row.score);
  firstTurn.sort(order);
  secondTurn.sort(order);
  average.sort(order);

  const excluded: ExcludedRecords[] = [];
  const totals: SingleScoreTotals = {
    records: 0,
    kept: 0,
    scoreMinusOne: 0,
    errors: 0,
    duplicateKeys: 0,
    duplicateRecords: 0,
    outsideModelList: 0,
  };
  for (let model = 0; model < data.models.length; model++) {
    const tally = data.tallies[model]!;
    if (!inScope[model]) {
      totals.outsideModelList += tally.records;
      continue;
    }
    const kept = tally.records - tally.scoreMinusOne - tally.errors;
    excluded.push({
      model: data.models[model]!,
      records: tally.records,
      kept,
      scoreMinusOne: tally.scoreMinusOne,
      errors: tally.errors,
      duplicateKeys: tally.duplicateKeys,
      duplicateRecords: tally.duplicateRecords,
    });
    totals.records += tally.records;
    totals.kept += kept;
    totals.scoreMinusOne += tally.scoreMinusOne;
    totals.errors += tally.errors;
    totals.duplicateKeys += tally.duplicateKeys;
    totals.duplicateRecords += tally.duplicateRecords;
  }
  excluded.sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));

  const known = new Set(data.models);
  const missingModels = (options.modelList ?? []).filter((model) => !known.has(model));
  const byCategory = options.categories === undefined
    ? null
    : categoryScores(data, unitsOf, average, options.categories);
  return {
    firstTurn,
    secondTurn,
    average,
    categories: byCategory?.categories ?? null,
    perCategory: byCategory?.rows ?? null,
    excluded,
    totals,
    missingModels,
    bootstrap: settings,
  };
}

/** Means of one model's kept scores per turn, from its questions' sums. */
function modelScores(model: string, sums: ClusterSums): Record<Turn, ModelScore | undefined> {
  const make = (offset: number): ModelScore | undefined => {
    let total = 0;
    let records = 0;
    let questions = 0;
    for (let at = offset; at < sums.length; at += STRIDE) {
      total += sums[at]!;
      records += sums[at + 1]!;
      if (sums[at + 1]! > 0) questions++;
    }
    return records > 0 ? { model, score: total / records, records, questions } : undefined;
  };
  return { turn1: make(0), turn2: make(2), total: make(4) };
}

/** One model's per-question sums, gathered from the collector's units. */
function clusterSums(data: SingleScoreColumns, units: readonly number[]): ClusterSums {
  const sums = new Float64Array(units.length * STRIDE);
  for (let index = 0; index < units.length; index++) {
    const unit = units[index]!;
    const at = index * STRIDE;
    sums[at] = data.turn1Sum[unit]!;
    sums[at + 1] = data.turn1Count[unit]!;
    sums[at + 2] = data.turn2Sum[unit]!;
    sums[at + 3] = data.turn2Count[unit]!;
    sums[at + 4] = data.totalSum[unit]!;
    sums[at + 5] = data.totalCount[unit]!;
  }
  return sums;
}

function categoryScores(
  data: SingleScoreColumns,
  unitsOf: readonly number[][],
  average: readonly ModelScore[],
  categoryOf: ReadonlyMap<QuestionId, string>,
): { categories: string[]; rows: CategoryScore[] } {
  const order = new Map<string, number>();
  for (const category of categoryOf.values()) {
    if (!order.has(category)) order.set(category, order.size);
  }
  const modelIds = new Map(data.models.map((model, id) => [model, id]));
  const used = new Set<number>();
  const cells = new Map<number, Map<number, { sum: number; count: number }>>();
  for (const row of average) {
    const model = modelIds.get(row.model)!;
    const byCategory = new Map<number, { sum: number; count: number }>();
    cells.set(model, byCategory);
    for (const unit of unitsOf[model]!) {
      const questionId = data.questions[data.unitQuestion[unit]!]!;
      const category = categoryOf.get(questionId);
      if (category === undefined) {
        throw new RangeError(
          `Cannot score by category: question_id ${
            JSON.stringify(questionId)
          } of model "${row.model}" has no category`,
        );
      }
      const index = order.get(category)!;
      used.add(index);
      const cell = byCategory.get(index) ?? { sum: 0, count: 0 };
      cell.sum += data.totalSum[unit]!;
      cell.count += data.totalCount[unit]!;
      byCategory.set(index, cell);
    }
  }
  const names = [...order.keys()];
  const columns = [...used].sort((a, b) => a - b);
  const rows: CategoryScore[] = [];
  for (const row of average) {
    const byCategory = cells.get(modelIds.get(row.model)!)!;
    for (const index of columns) {
      const cell = byCategory.get(index);
      if (cell === undefined) continue;
      rows.push({
        model: row.model,
        category: names[index]!,
        score: cell.sum / cell.count,
        records: cell.count,
      });
    }
  }
  return { categories: columns.map((index) => names[index]!), rows };
}
