import type { TopLevelSpec } from "./top_level_spec.ts";
import {
  categoryLabel,
  checkSize,
  firstSeen,
  modelColorScale,
  VEGA_LITE_SCHEMA,
} from "./_common.ts";

/** One model's mean score in one category: a point of the radar chart. */
export interface RadarScore {
  /** The model's name. */
  model: string;
  /** The category (MT-Bench's names get display names). */
  category: string;
  /** The model's mean score in the category. */
  score: number;
}

/** Options for {@linkcode radarChartSpec}. */
export interface RadarChartOptions {
  /**
   * Categories, one axis each, clockwise from the top. Scores of other
   * categories are left out.
   * @default {undefined} (categories in order of first appearance in the scores)
   */
  categories?: readonly string[] | undefined;
  /**
   * Models to draw, in legend order. Scores of other models are left out.
   * @default {undefined} (models in order of first appearance)
   */
  models?: readonly string[] | undefined;
  /**
   * Every model of the report, for colors that stay the same from chart to
   * chart: see {@linkcode modelColors}.
   * @default {undefined} (the drawn models)
   */
  colorDomain?: readonly string[] | undefined;
  /**
   * Score at the outer ring.
   * @default {10}
   */
  max?: number;
  /**
   * Rings drawn (and labeled) at every multiple of this score.
   * @default {2}
   */
  ringStep?: number;
  /**
   * Chart title.
   * @default {"MT-Bench score per category"}
   */
  title?: string;
  /**
   * Subtitle, e.g. which turn the scores are from.
   * @default {undefined} (none)
   */
  subtitle?: string | undefined;
  /**
   * Height of the plot area in pixels; the width follows, so the rings stay round.
   * @default {420}
   */
  size?: number;
}

/** What a radar spec says about itself in `usermeta.llmJudge`. */
export interface RadarChartMeta {
  /** Which chart this is. */
  kind: "radar";
  /** The axes' categories, in order. */
  categories: string[];
  /** The models drawn, in legend order. */
  models: string[];
  /** The score at the outer ring. */
  max: number;
}

/**
 * A Vega-Lite radar chart of scores per category, as FastChat's MT-Bench radar
 * figure: one axis per category (clockwise from the top), rings every
 * `ringStep` points up to `max` (labeled between the first two spokes, clear
 * of the points), one closed polygon per model in its color of
 * {@linkcode modelColors} and a legend of the models. Vega-Lite has no polar coordinates, so the points are placed
 * here; the spec is self-contained (inline `datasets`: `scores`, `axes`,
 * `rings`) and says what it shows in `usermeta.llmJudge`
 * ({@linkcode RadarChartMeta}). A model without a score in a category has no
 * point on that axis (its polygon skips it). Pure: render it with
 * {@linkcode renderSvg}, or show it in a notebook with
 * {@linkcode vegaLiteBundle}.
 *
 * The scores are typically `singleScoreTable(records, { categories }).perCategory`,
 * with the records of one turn for a turn-1 or turn-2 chart.
 *
 * @example Two models on three categories
 * ```ts
 * import assert from "node:assert/strict";
 * import { radarChartSpec } from "./radar_chart_spec.ts";
 * const spec = radarChartSpec([
 *   { model: "a", category: "writing", score: 9 },
 *   { model: "a", category: "math", score: 4 },
 *   { model: "a", category: "coding", score: 6 },
 *   { model: "b", category: "writing", score: 7 },
 * ]);
 * const meta = spec.usermeta!.llmJudge as { categories: string[]; models: string[] };
 * assert.deepEqual(meta.categories, ["writing", "math", "coding"]);
 * assert.deepEqual(meta.models, ["a", "b"]);
 * ```
 */
export function radarChartSpec(
  scores: readonly RadarScore[],
  options: RadarChartOptions = {},
): TopLevelSpec {
  const caller = "a radar chart";
  const max = checkSize(options.max ?? 10, "max", caller);
  const ringStep = checkSize(options.ringStep ?? 2, "ringStep", caller);
  const size = checkSize(options.size ?? 420, "size", caller);
  const categories = options.categories === undefined
    ? firstSeen(scores.map((row) => row.category))
    : [...options.categories];
  const models = options.models === undefined
    ? firstSeen(scores.map((row) => row.model))
    : [...options.models];
  if (categories.length < 3) {
    throw new RangeError(
      `Cannot build ${caller}: it needs at least 3 categories, got ${JSON.stringify(categories)}`,
    );
  }
  const axisOf = new Map(categories.map((category, index) => [category, index]));
  const wanted = new Set(models);
  const angle = (index: number) => Math.PI / 2 - (2 * Math.PI * index) / categories.length;
  const at = (index: number, radius: number) => ({
    x: round(radius * Math.cos(angle(index))),
    y: round(radius * Math.sin(angle(index))),
  });

  const byModel = new Map<string, Map<number, number>>(models.map((model) => [model, new Map()]));
  for (const row of scores) {
    const axis = axisOf.get(row.category);
    if (axis === undefined || !wanted.has(row.model)) continue;
    if (!Number.isFinite(row.score)) {
      throw new RangeError(
        `Cannot build ${caller}: score of model "${row.model}" in "${row.category}" is ${row.score}`,
      );
    }
    byModel.get(row.model)!.set(axis, row.score);
  }
  const points: Record<string, string | number>[] = [];
  for (const [model, byAxis] of byModel) {
    const axes = [...byAxis.keys()].sort((a, b) => a - b);
    axes.forEach((axis, order) => {
      const score = byAxis.get(axis)!;
      points.push({
        model,
        category: categoryLabel(categories[axis]!),
        score: round(score),
        order,
        ...at(axis, Math.max(0, Math.min(score, max))),
      });
    });
    // Close the polygon: the first point again, after the last.
    const first = axes[0];
    if (axes.length > 2 && first !== undefined) {
      const score = byAxis.get(first)!;
      points.push({
        model,
        category: categoryLabel(categories[first]!),
        score: round(score),
        order: axes.length,
        closing: 1,
        ...at(first, Math.max(0, Math.min(score, max))),
      });
    }
  }

  const labelRadius = max * 1.1;
  const fontSize = 13;
  const axes = categories.map((category, index) => {
    const tip = at(index, max);
    const label = at(index, labelRadius);
    const side = Math.abs(label.x) < max * 0.05 ? "center" : label.x > 0 ? "left" : "right";
    return {
      category: categoryLabel(category),
      centerX: 0,
      centerY: 0,
      x: tip.x,
      y: tip.y,
      labelX: label.x,
      labelY: label.y,
      side,
    };
  });
  const rings: Record<string, number>[] = [];
  const ringLabels: Record<string, number | string>[] = [];
  // Ring labels sit between the first two spokes, just inside their ring, so
  // they stay clear of the points (which are all on spokes).
  const between = Math.PI / 2 - Math.PI / categories.length;
  const inset = Math.cos(Math.PI / categories.length);
  for (let ring = ringStep; ring <= max + 1e-9; ring += ringStep) {
    for (let index = 0; index <= categories.length; index++) {
      rings.push({ ring, order: index, ...at(index % categories.length, ring) });
    }
    const radius = ring * inset - ringStep * 0.22;
    ringLabels.push({
      ring,
      text: String(round(ring)),
      x: round(radius * Math.cos(between)),
      y: round(radius * Math.sin(between)),
    });
  }

  // Room for the category labels, as wide as they are (text width estimated
  // at 0.6 em per character, as a sans-serif font averages) and no wider.
  const yExtent = max * 1.2;
  const unit = size / (2 * yExtent);
  const textWidth = (text: string) => (text.length * 0.6 * fontSize) / unit;
  const xExtent = Math.max(
    max * 1.1,
    ...axes.map((axis) =>
      Math.abs(axis.labelX) +
      (axis.side === "center" ? textWidth(axis.category) / 2 : textWidth(axis.category))
    ),
  ) + 8 / unit;
  const position = (field: string, extent: number) => ({
    field,
    type: "quantitative" as const,
    scale: { domain: [-extent, extent] },
    axis: null,
  });
  const x = (field: string) => position(field, xExtent);
  const y = (field: string) => position(field, yExtent);
  const labelLayer = (side: string, align: "left" | "center" | "right") => ({
    data: { name: "axes" },
    transform: [{ filter: `datum.side === '${side}'` }],
    mark: { type: "text" as const, align, baseline: "middle" as const, fontSize },
    encoding: { x: x("labelX"), y: y("labelY"), text: { field: "category" } },
  });
  const meta: RadarChartMeta = { kind: "radar", categories, models, max };
  const colorScale = modelColorScale(models, options.colorDomain);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "MT-Bench score per category",
      ...(options.subtitle === undefined ? {} : { subtitle: options.subtitle }),
    },
    width: Math.round(2 * xExtent * unit),
    height: size,
    usermeta: { llmJudge: meta },
    datasets: { scores: points, axes, rings, ringLabels },
    config: { view: { stroke: null } },
    layer: [
      {
        data: { name: "rings" },
        mark: { type: "line", color: "#d0d0d0", strokeWidth: 1 },
        encoding: {
          x: x("x"),
          y: y("y"),
          detail: { field: "ring" },
          order: { field: "order" },
        },
      },
      {
        data: { name: "axes" },
        mark: { type: "rule", color: "#d0d0d0", strokeWidth: 1 },
        encoding: {
          x: x("centerX"),
          y: y("centerY"),
          x2: { field: "x" },
          y2: { field: "y" },
        },
      },
      {
        data: { name: "ringLabels" },
        mark: { type: "text", color: "#888888", fontSize: 10, align: "center", baseline: "middle" },
        encoding: { x: x("x"), y: y("y"), text: { field: "text" } },
      },
      labelLayer("left", "left"),
      labelLayer("center", "center"),
      labelLayer("right", "right"),
      {
        data: { name: "scores" },
        mark: { type: "line", strokeWidth: 2, opacity: 0.85 },
        encoding: {
          x: x("x"),
          y: y("y"),
          color: {
            field: "model",
            type: "nominal",
            sort: models,
            scale: colorScale,
            legend: { title: "Model", orient: "right", offset: 8, labelLimit: 240 },
          },
          order: { field: "order" },
        },
      },
      {
        data: { name: "scores" },
        transform: [{ filter: "!datum.closing" }],
        mark: { type: "point", filled: true, size: 30 },
        encoding: {
          x: x("x"),
          y: y("y"),
          color: { field: "model", type: "nominal", sort: models, scale: colorScale },
          tooltip: [
            { field: "model" },
            { field: "category" },
            { field: "score", type: "quantitative", format: ".2f" },
          ],
        },
      },
    ],
  };
}

/** Rounds to 6 decimals (and -0 to 0), so specs stay small and compare exactly. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0;
}
