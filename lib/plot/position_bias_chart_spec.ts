import type { TopLevelSpec } from "./top_level_spec.ts";
import type { PositionBias } from "../audit/position_bias.ts";
import { checkSize, colorScheme, VEGA_LITE_SCHEMA } from "./_common.ts";

/** One judge's position-bias figures, for {@linkcode positionBiasChartSpec}. */
export interface PositionBiasSeries {
  /** Name in the legend. */
  label: string;
  /** What `positionBias` returned for the judge's records. */
  bias: PositionBias;
}

/** Options for {@linkcode positionBiasChartSpec}. */
export interface PositionBiasChartOptions {
  /**
   * Chart title.
   * @default {"Position bias"}
   */
  title?: string;
  /**
   * Width in pixels.
   * @default {360}
   */
  width?: number;
}

/** One bar of the chart. */
export interface PositionBiasBar {
  /** The judge's label. */
  judge: string;
  /** Which figure. */
  figure: string;
  /** Its value (a share); null when undefined. */
  value: number | null;
  /** `part/whole` behind the share. */
  count: string;
}

const FIGURES = [
  "position consistency",
  "first-position preference",
  "tie rate (games)",
  "inconsistency rate",
] as const;

/**
 * A Vega-Lite bar chart of judges' position bias: consistency across the two
 * orders, preference for the answer shown first, tie rate and inconsistency
 * rate, one bar per judge and figure, with a dotted line at 0.5 (no
 * first-position preference) and GPT-4's consistency in the MT-Bench paper
 * (0.65) marked in the tooltip of the figure. Bars are inline
 * (`datasets.bars`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { positionBias } from "../audit/position_bias.ts";
 * import { positionBiasChartSpec } from "./position_bias_chart_spec.ts";
 * const bias = positionBias([{ question_id: 81, model_1: "a", model_2: "b", judge: ["j", "pair-v2"], turn: 1, g1_winner: "model_1", g2_winner: "model_2" }]);
 * const spec = positionBiasChartSpec([{ label: "always A", bias }]);
 * const bars = spec.datasets!.bars as { figure: string; value: number }[];
 * assert.equal(bars.find((bar) => bar.figure === "first-position preference")!.value, 1);
 * ```
 */
export function positionBiasChartSpec(
  series: readonly PositionBiasSeries[],
  options: PositionBiasChartOptions = {},
): TopLevelSpec {
  const width = checkSize(options.width ?? 360, "width", "a position-bias chart");
  const finite = (value: number) => (Number.isFinite(value) ? value : null);
  const bars: PositionBiasBar[] = series.flatMap(({ label, bias }) => [
    {
      judge: label,
      figure: FIGURES[0],
      value: finite(bias.consistency),
      count: `${bias.consistent}/${bias.judgedMatches}`,
    },
    {
      judge: label,
      figure: FIGURES[1],
      value: finite(bias.firstPositionPreference),
      count: `${bias.firstPositionWins}/${bias.decidedGames}`,
    },
    {
      judge: label,
      figure: FIGURES[2],
      value: finite(bias.tieRate),
      count: `${bias.tieGames}/${bias.games}`,
    },
    {
      judge: label,
      figure: FIGURES[3],
      value: finite(bias.inconsistencyRate),
      count: `${bias.judgedMatches - bias.consistent}/${bias.judgedMatches}`,
    },
  ]);
  const judges = series.map((entry) => entry.label);
  const xScale = { domain: [0, 1] };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "Position bias",
      subtitle: "both orders of every match; dotted: 0.5 (no preference for the first answer)",
    },
    usermeta: { llmJudge: { kind: "position-bias", judges } },
    datasets: { bars, half: [{ value: 0.5 }] },
    width,
    height: { step: 12 * Math.max(1, judges.length) + 8 },
    layer: [
      {
        data: { name: "bars" },
        mark: { type: "bar" },
        encoding: {
          y: {
            field: "figure",
            type: "nominal",
            sort: [...FIGURES],
            title: null,
            axis: { labelLimit: 240 },
          },
          yOffset: { field: "judge", type: "nominal", sort: judges },
          x: {
            field: "value",
            type: "quantitative",
            scale: xScale,
            title: "share",
            axis: { format: ".0%" },
          },
          color: {
            field: "judge",
            type: "nominal",
            sort: judges,
            scale: { scheme: colorScheme(judges.length) },
            legend: { title: "Judge", orient: "bottom" },
          },
          tooltip: [
            { field: "judge" },
            { field: "figure" },
            { field: "value", type: "quantitative", format: ".3f" },
            { field: "count" },
          ],
        },
      },
      {
        data: { name: "half" },
        mark: { type: "rule", strokeDash: [2, 2], color: "#555555" },
        encoding: { x: { field: "value", type: "quantitative", scale: xScale } },
      },
    ],
  };
}
