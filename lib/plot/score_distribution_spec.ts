import type { TopLevelSpec } from "./top_level_spec.ts";
import type { QuestionId, SingleJudgment } from "../data/types.ts";
import {
  categoryLabel,
  checkSize,
  firstSeen,
  modelColorScale,
  VEGA_LITE_SCHEMA,
} from "./_common.ts";

/** Options for {@linkcode scoreDistributionSpec}. */
export interface ScoreDistributionOptions {
  /**
   * Only records of this turn.
   * @default {undefined} (both turns)
   */
  turn?: number | undefined;
  /**
   * Models to show, in legend order; records of other models are left out.
   * @default {undefined} (models in order of first appearance)
   */
  models?: readonly string[] | undefined;
  /**
   * Every model of the report, for colors that stay the same from chart to
   * chart: see {@linkcode modelColors}.
   * @default {undefined} (the models shown)
   */
  colorDomain?: readonly string[] | undefined;
  /**
   * Panels per row.
   * @default {4}
   */
  columns?: number;
  /**
   * Chart title.
   * @default {"Score distribution per category"}
   */
  title?: string;
  /**
   * Width of one panel in pixels.
   * @default {220}
   */
  panelWidth?: number;
}

/** One bar: how many kept records of `model` in `category` have `score`. */
export interface ScoreCount {
  /** The category's display name. */
  category: string;
  /** The model's name. */
  model: string;
  /** The score. */
  score: number;
  /** How many records of the model in the category got this score. */
  count: number;
}

/** What a score-distribution spec says about itself in `usermeta.llmJudge`. */
export interface ScoreDistributionMeta {
  /** Which chart this is. */
  kind: "score-distribution";
  /** The categories shown (one panel each), in order. */
  categories: string[];
  /** The models, in legend order. */
  models: string[];
  /** Records counted (score -1, `error` and other-turn records are not). */
  records: number;
  /** Records left out because their score is -1 or they carry an `error` field. */
  excluded: number;
}

/**
 * A Vega-Lite chart of how single-grade scores are distributed: one panel per
 * category (in question-file order), score on a numeric 1-10 axis (a
 * fractional score such as 8.5 between its neighbours), number of judgments on
 * y, one bar per model side by side in its color of {@linkcode modelColors}. Records with score -1 or an `error` field
 * are left out and counted in `usermeta.llmJudge.excluded`; a record whose
 * question has no category is a RangeError. The counts are inline
 * (`datasets.counts`, {@linkcode ScoreCount}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scoreDistributionSpec } from "./score_distribution_spec.ts";
 * const judge: [string, string] = ["gpt-4", "single-v1"];
 * const spec = scoreDistributionSpec([
 *   { question_id: 81, model: "a", judge, score: 8, turn: 1 },
 *   { question_id: 82, model: "a", judge, score: 8, turn: 1 },
 *   { question_id: 82, model: "a", judge, score: -1, turn: 2 },
 * ], new Map([[81, "writing"], [82, "writing"]]));
 * const counts = spec.datasets!.counts as { count: number }[];
 * assert.equal(counts.length, 1);
 * assert.equal(counts[0]!.count, 2);
 * ```
 */
export function scoreDistributionSpec(
  records: Iterable<SingleJudgment>,
  categories: ReadonlyMap<QuestionId, string>,
  options: ScoreDistributionOptions = {},
): TopLevelSpec {
  const caller = "a score distribution";
  const panelWidth = checkSize(options.panelWidth ?? 220, "panelWidth", caller);
  const columns = checkSize(options.columns ?? 4, "columns", caller);
  const wanted = options.models === undefined ? undefined : new Set(options.models);
  const tally = new Map<string, ScoreCount>();
  let counted = 0;
  let excluded = 0;
  const seenModels: string[] = [];
  for (const record of records) {
    if (options.turn !== undefined && record.turn !== options.turn) continue;
    if (wanted !== undefined && !wanted.has(record.model)) continue;
    if (record.score === -1 || record.error !== undefined) {
      excluded++;
      continue;
    }
    const category = categories.get(record.question_id);
    if (category === undefined) {
      throw new RangeError(
        `Cannot build ${caller}: question_id ${
          JSON.stringify(record.question_id)
        } of model "${record.model}" has no category`,
      );
    }
    seenModels.push(record.model);
    const key = JSON.stringify([category, record.model, record.score]);
    const cell = tally.get(key);
    if (cell === undefined) {
      tally.set(key, {
        category: categoryLabel(category),
        model: record.model,
        score: record.score,
        count: 1,
      });
    } else {
      cell.count++;
    }
    counted++;
  }
  const order = firstSeen(categories.values());
  const models = options.models === undefined ? firstSeen(seenModels) : [...options.models];
  const counts = [...tally.values()];
  const used = new Set(counts.map((row) => row.category));
  const shown = order.filter((category) => used.has(categoryLabel(category)));
  const labels = shown.map(categoryLabel);
  // Scores are numbers on a 1-10 axis: the models' bars of one score stand side
  // by side, in a group 0.8 wide, narrower when a fractional score (8.5) sits
  // closer to its neighbours.
  const scores = [...new Set(counts.map((row) => row.score))].sort((a, b) => a - b);
  const gap = Math.min(1, ...scores.slice(1).map((score, index) => score - scores[index]!));
  const group = 0.8 * gap;
  const barWidth = group / Math.max(1, models.length);
  const low = Math.min(1, ...scores) - gap / 2;
  const high = Math.max(10, ...scores) + gap / 2;
  const highest = Math.max(0, ...counts.map((row) => row.count));
  const meta: ScoreDistributionMeta = {
    kind: "score-distribution",
    categories: shown,
    models,
    records: counted,
    excluded,
  };
  const turnText = options.turn === undefined ? "both turns" : `turn ${options.turn}`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "Score distribution per category",
      subtitle: `judgments per score, ${turnText}; failed judgments (score -1) left out`,
    },
    usermeta: { llmJudge: meta },
    datasets: { counts },
    data: { name: "counts" },
    facet: { field: "category", type: "nominal", sort: labels, title: null },
    columns,
    spec: {
      width: panelWidth,
      height: 140,
      transform: [
        { calculate: `indexof(${JSON.stringify(models)}, datum.model)`, as: "slot" },
        {
          calculate: `datum.score - ${group / 2} + datum.slot * ${barWidth}`,
          as: "barStart",
        },
        { calculate: `datum.barStart + ${barWidth}`, as: "barEnd" },
      ],
      mark: { type: "rect" },
      encoding: {
        x: {
          field: "barStart",
          type: "quantitative",
          scale: { domain: [low, high], nice: false, zero: false },
          axis: { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], grid: false },
          title: "score",
        },
        x2: { field: "barEnd" },
        y: {
          field: "count",
          type: "quantitative",
          // Headroom: the tallest bar ends below the top of the panel.
          scale: { domainMax: Math.max(1, Math.ceil(highest * 1.15)), nice: true },
          title: "judgments",
        },
        color: {
          field: "model",
          type: "nominal",
          sort: models,
          scale: modelColorScale(models, options.colorDomain),
          legend: { title: "Model", orient: "right", labelLimit: 240 },
        },
        tooltip: [
          { field: "model" },
          { field: "score", type: "quantitative" },
          { field: "count", type: "quantitative", title: "judgments" },
        ],
      },
    },
  };
}
