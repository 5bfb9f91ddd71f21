import type { TopLevelSpec } from "npm:vega-lite@5.23.0";
import { checkSize, VEGA_LITE_SCHEMA } from "./_common.ts";

/** One model's bar: a {@linkcode WinRate} row of `pairwiseWinRates` fits. */
export interface WinRateBar {
  model: string;
  /** (win + tie / 2) / games, in [0, 1]. */
  winRateAdjusted: number;
  win?: number;
  loss?: number;
  tie?: number;
  games?: number;
  /** Lower bound of the interval of `winRateAdjusted` (no error bar without both bounds). */
  lower?: number;
  /** Upper bound of the interval of `winRateAdjusted`. */
  upper?: number;
}

/** Options for {@linkcode winRateChartSpec}. */
export interface WinRateChartOptions {
  /**
   * The baseline the rates are against, for the title.
   * @default {undefined} (rates against every other model)
   */
  baseline?: string | null | undefined;
  /**
   * Chart title.
   * @default {"Win rate against <baseline>" or "Win rate (pairwise, all models)"}
   */
  title?: string | undefined;
  /**
   * Width of the plot area in pixels (the height grows with the models).
   * @default {480}
   */
  width?: number;
}

/** What a win-rate spec says about itself in `usermeta.llmJudge`. */
export interface WinRateChartMeta {
  kind: "winrate";
  models: string[];
  baseline: string | null;
  /** Whether any bar has an interval. */
  intervals: boolean;
}

/**
 * A Vega-Lite bar chart of adjusted win rates (ties count half), one
 * horizontal bar per model, best first, with the bootstrap interval as an
 * error bar where the row has one and a dashed line at 50%. Takes the rows of
 * {@linkcode pairwiseWinRates}. The data is inline (`datasets.rates`) and the
 * spec describes itself in `usermeta.llmJudge` ({@linkcode WinRateChartMeta}).
 *
 * @example
 * ```ts
 * import { winRateChartSpec } from "./win_rate_chart_spec.ts";
 * const spec = winRateChartSpec([
 *   { model: "a", winRateAdjusted: 0.7, lower: 0.6, upper: 0.8 },
 *   { model: "b", winRateAdjusted: 0.4 },
 * ], { baseline: "gpt-3.5-turbo" });
 * const meta = spec.usermeta!.llmJudge as { models: string[]; intervals: boolean };
 * console.assert(meta.models.join() === "a,b" && meta.intervals);
 * ```
 */
export function winRateChartSpec(
  rows: readonly WinRateBar[],
  options: WinRateChartOptions = {},
): TopLevelSpec {
  const width = checkSize(options.width ?? 480, "width", "a win-rate chart");
  const sorted = [...rows].sort((a, b) =>
    b.winRateAdjusted - a.winRateAdjusted || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0)
  );
  const rates = sorted.map((row) => {
    if (!Number.isFinite(row.winRateAdjusted)) {
      throw new RangeError(
        `Cannot build a win-rate chart: winRateAdjusted of model "${row.model}" is ${row.winRateAdjusted}`,
      );
    }
    const hasInterval = row.lower !== undefined && row.upper !== undefined;
    return {
      model: row.model,
      winRateAdjusted: row.winRateAdjusted,
      ...(hasInterval ? { lower: row.lower, upper: row.upper } : {}),
      win: row.win ?? null,
      loss: row.loss ?? null,
      tie: row.tie ?? null,
      games: row.games ?? null,
    };
  });
  const models = rates.map((row) => row.model);
  const baseline = options.baseline ?? null;
  const meta: WinRateChartMeta = {
    kind: "winrate",
    models,
    baseline,
    intervals: rates.some((row) => "lower" in row),
  };
  const title = options.title ??
    (baseline === null ? "Win rate (pairwise, all models)" : `Win rate against ${baseline}`);
  const xScale = { domain: [0, 1] };
  const y = {
    field: "model",
    type: "nominal" as const,
    sort: models,
    title: null,
    axis: { labelLimit: 240, labelFontSize: 12 },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: title,
      subtitle: meta.intervals
        ? "ties count half; error bars: 95% bootstrap interval"
        : "ties count half",
    },
    width,
    height: { step: 24 },
    usermeta: { llmJudge: meta },
    datasets: { rates },
    data: { name: "rates" },
    layer: [
      {
        mark: { type: "bar", color: "#4c78a8", height: { band: 0.7 } },
        encoding: {
          y,
          x: {
            field: "winRateAdjusted",
            type: "quantitative",
            scale: xScale,
            title: "adjusted win rate",
            axis: { format: ".0%" },
          },
          tooltip: [
            { field: "model" },
            { field: "winRateAdjusted", type: "quantitative", format: ".3f", title: "win rate" },
            { field: "lower", type: "quantitative", format: ".3f" },
            { field: "upper", type: "quantitative", format: ".3f" },
            { field: "win" },
            { field: "loss" },
            { field: "tie" },
            { field: "games" },
          ],
        },
      },
      {
        transform: [{ filter: "isValid(datum.lower) && isValid(datum.upper)" }],
        mark: { type: "errorbar", ticks: { size: 10 }, color: "#222222" },
        encoding: {
          y,
          x: { field: "lower", type: "quantitative", scale: xScale, title: "adjusted win rate" },
          x2: { field: "upper" },
        },
      },
      {
        data: { values: [{ half: 0.5 }] },
        mark: { type: "rule", strokeDash: [4, 4], color: "#888888" },
        encoding: { x: { field: "half", type: "quantitative", scale: xScale } },
      },
    ],
  };
}
