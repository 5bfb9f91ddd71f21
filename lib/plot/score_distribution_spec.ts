import type { TopLevelSpec } from "npm:vega-lite@5.23.0";
import type { QuestionId, SingleJudgment } from "../data/types.ts";
import { categoryLabel, checkSize, colorScheme, firstSeen, VEGA_LITE_SCHEMA } from "./_common.ts";

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
  category: string;
  model: string;
  score: number;
  count: number;
}

/** What a score-distribution spec says about itself in `usermeta.llmJudge`. */
export interface ScoreDistributionMeta {
  kind: "score-distribution";
  categories: string[];
  models: string[];
  /** Records counted (score -1, `error` and other-turn records are not). */
  records: number;
  /** Records left out because their score is -1 or they carry an `error` field. */
  excluded: number;
}

/**
 * A Vega-Lite chart of how single-grade scores are distributed: one panel per
 * category (in question-file order), score on x, number of judgments on y,
 * one bar per model side by side. Records with score -1 or an `error` field
 * are left out and counted in `usermeta.llmJudge.excluded`; a record whose
 * question has no category is a RangeError. The counts are inline
 * (`datasets.counts`, {@linkcode ScoreCount}).
 *
 * @example
 * ```ts
 * import { scoreDistributionSpec } from "./score_distribution_spec.ts";
 * const judge: [string, string] = ["gpt-4", "single-v1"];
 * const spec = scoreDistributionSpec([
 *   { question_id: 81, model: "a", judge, score: 8, turn: 1 },
 *   { question_id: 82, model: "a", judge, score: 8, turn: 1 },
 *   { question_id: 82, model: "a", judge, score: -1, turn: 2 },
 * ], new Map([[81, "writing"], [82, "writing"]]));
 * const counts = spec.datasets!.counts as { count: number }[];
 * console.assert(counts.length === 1 && counts[0]!.count === 2);
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
  // Every whole score 1-10 gets a slot, plus any fractional score that occurs (8.5).
  const scores = [...new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...counts.map((row) => row.score)])]
    .sort((a, b) => a - b);
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
      mark: { type: "bar" },
      encoding: {
        x: { field: "score", type: "ordinal", scale: { domain: scores }, title: "score" },
        y: { field: "count", type: "quantitative", title: "judgments" },
        color: {
          field: "model",
          type: "nominal",
          sort: models,
          scale: { scheme: colorScheme(models.length) },
          legend: { title: "Model", orient: "right", labelLimit: 240 },
        },
        xOffset: { field: "model", type: "nominal", sort: models },
        tooltip: [
          { field: "model" },
          { field: "score", type: "quantitative" },
          { field: "count", type: "quantitative", title: "judgments" },
        ],
      },
    },
  };
}
