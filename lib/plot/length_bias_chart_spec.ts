import type { TopLevelSpec } from "./top_level_spec.ts";
import type { LengthPoint } from "../audit/length_points.ts";
import { checkSize, colorScheme, firstSeen, VEGA_LITE_SCHEMA } from "./_common.ts";

/** Options for {@linkcode lengthBiasChartSpec}. */
export interface LengthBiasChartOptions {
  /**
   * Chart title.
   * @default {"Length bias"}
   */
  title?: string;
  /**
   * Width in pixels.
   * @default {420}
   */
  width?: number;
  /**
   * Height in pixels.
   * @default {280}
   */
  height?: number;
}

/**
 * A Vega-Lite scatter of verdicts against answer length, with a least-squares
 * line: for single grades, score against the answer's length, one color per
 * model; for pairwise games, the outcome for the answer shown first (1 win,
 * 0.5 tie, 0 loss) against how much longer it is than the other. A rising
 * line is verbosity bias. Takes the points of `lengthPoints`; they are inline
 * (`datasets.points`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lengthBiasChartSpec } from "./length_bias_chart_spec.ts";
 * const spec = lengthBiasChartSpec([
 *   { kind: "single", model: "m", question_id: 81, turn: 1, length: 100, score: 4 },
 *   { kind: "single", model: "m", question_id: 82, turn: 1, length: 900, score: 9 },
 * ]);
 * assert.equal((spec.datasets!.points as unknown[]).length, 2);
 * ```
 */
export function lengthBiasChartSpec(
  points: readonly LengthPoint[],
  options: LengthBiasChartOptions = {},
): TopLevelSpec {
  const width = checkSize(options.width ?? 420, "width", "a length-bias chart");
  const height = checkSize(options.height ?? 280, "height", "a length-bias chart");
  const pairwise = points.some((point) => point.kind === "pair");
  const models = firstSeen(points.map((point) => point.model));
  const x = {
    field: "length",
    type: "quantitative" as const,
    title: pairwise
      ? "length of the first answer minus the second (characters)"
      : "answer length (characters)",
  };
  const y = {
    field: "score",
    type: "quantitative" as const,
    title: pairwise ? "first answer: 1 win, 0.5 tie, 0 loss" : "score",
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "Length bias",
      subtitle: "line: least-squares fit; a rising line favours longer answers",
    },
    usermeta: { llmJudge: { kind: "length-bias", pairwise, points: points.length } },
    datasets: { points: [...points] },
    data: { name: "points" },
    width,
    height,
    layer: [
      {
        mark: { type: "point", filled: true, opacity: 0.45, size: 24 },
        encoding: {
          x,
          y,

          color: pairwise ? { value: "#4e79a7" } : {
            field: "model",
            type: "nominal",
            sort: models,
            scale: { scheme: colorScheme(models.length) },
            legend: { title: "Model", orient: "right" },
          },
          tooltip: [
            { field: "model" },
            { field: "question_id" },
            { field: "turn" },
            { field: "length" },
            { field: "score" },
          ],
        },
      },
      {
        transform: [{ regression: "score", on: "length" }],
        mark: { type: "line", color: "#d62728", strokeWidth: 2 },
        encoding: { x, y },
      },
    ],
  };
}
