import type { TopLevelSpec } from "npm:vega-lite@5.23.0";
import { categoryLabel, checkSize, colorScheme, firstSeen, VEGA_LITE_SCHEMA } from "./_common.ts";

/** One model's mean score in one category: a point of the radar chart. */
export interface RadarScore {
  model: string;
  category: string;
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
  kind: "radar";
  categories: string[];
  models: string[];
  max: number;
}

/**
 * A Vega-Lite radar chart of scores per category, as FastChat's MT-Bench radar
 * figure: one axis per category (clockwise from the top), rings every
 * `ringStep` points up to `max`, one closed polygon per model and a legend of
 * the models. Vega-Lite has no polar coordinates, so the points are placed
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
 * import { radarChartSpec } from "./radar_chart_spec.ts";
 * const spec = radarChartSpec([
 *   { model: "a", category: "writing", score: 9 },
 *   { model: "a", category: "math", score: 4 },
 *   { model: "a", category: "coding", score: 6 },
 *   { model: "b", category: "writing", score: 7 },
 * ]);
 * const meta = spec.usermeta!.llmJudge as { categories: string[]; models: string[] };
 * console.assert(meta.categories.join() === "writing,math,coding");
 * console.assert(meta.models.join() === "a,b");
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
  for (let ring = ringStep; ring <= max + 1e-9; ring += ringStep) {
    for (let index = 0; index <= categories.length; index++) {
      rings.push({ ring, order: index, ...at(index % categories.length, ring) });
    }
    ringLabels.push({ ring, text: String(round(ring)), ...at(0, ring) });
  }

  // Room for the category labels: more beside the rings than above and below.
  const xExtent = max * 1.45;
  const yExtent = max * 1.2;
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
    mark: { type: "text" as const, align, baseline: "middle" as const, fontSize: 13 },
    encoding: { x: x("labelX"), y: y("labelY"), text: { field: "category" } },
  });
  const meta: RadarChartMeta = { kind: "radar", categories, models, max };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "MT-Bench score per category",
      ...(options.subtitle === undefined ? {} : { subtitle: options.subtitle }),
    },
    width: Math.round(size * xExtent / yExtent),
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
        mark: { type: "text", color: "#888888", fontSize: 10, dx: 4, align: "left" },
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
            scale: { scheme: colorScheme(models.length) },
            legend: { title: "Model", orient: "right", labelLimit: 240 },
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
          color: { field: "model", type: "nominal", sort: models },
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
