import type { TopLevelSpec } from "npm:vega-lite@5.23.0";
import type { CategoryAgreement } from "../agree/agreement_by_category.ts";
import type { AgreementStat, TurnAgreement } from "../agree/compute_agreement.ts";
import { categoryLabel, checkSize, colorScheme, firstSeen, VEGA_LITE_SCHEMA } from "./_common.ts";

/** The per-category agreement of one pair of judges: one color of the chart. */
export interface CategoryAgreementSeries {
  /**
   * Name in the legend.
   * @default {undefined} ("<judge 1> vs <judge 2>" of the results)
   */
  label?: string | undefined;
  /** What {@linkcode agreementByCategory} returned for the pair. */
  categories: readonly CategoryAgreement[];
}

/** Options for {@linkcode categoryAgreementChartSpec}. */
export interface CategoryAgreementChartOptions {
  /**
   * Only this turn. Unset, both turns are pooled: agreeing pairs and pairs
   * are summed over the turns (no interval, no kappa).
   * @default {undefined} (turns pooled)
   */
  turn?: number | undefined;
  /**
   * Chart title.
   * @default {"Agreement per category"}
   */
  title?: string;
  /**
   * Width of one panel in pixels.
   * @default {300}
   */
  panelWidth?: number;
}

/** One bar of the chart. */
export interface CategoryAgreementBar {
  series: string;
  category: string;
  setup: string;
  agree: number;
  total: number;
  ratio: number | null;
  kappa: number | null;
  lower: number | null;
  upper: number | null;
}

/** What the chart says about itself in `usermeta.llmJudge`. */
export interface CategoryAgreementChartMeta {
  kind: "category-agreement";
  series: string[];
  categories: string[];
  turn: number | null;
}

const SETUPS = ["S1 (with ties)", "S2 (without ties)"] as const;

/**
 * A Vega-Lite bar chart of agreement per question category: one panel per
 * setup (S1 with ties, S2 without), categories on y, one bar per pair of
 * judges (e.g. GPT-4 vs human and human vs human), with the bootstrap interval
 * as an error bar when one turn is shown. Takes what
 * {@linkcode agreementByCategory} returns for each pair; the bars are inline
 * (`datasets.bars`, {@linkcode CategoryAgreementBar}).
 *
 * @example
 * ```ts
 * import { categoryAgreementChartSpec } from "./category_agreement_chart_spec.ts";
 * const stat = (agree: number, total: number) => ({ agree, total, ratio: agree / total, kappa: 0.4, interval: null });
 * const result = {
 *   judges: ["gpt4-pair", "human"] as [string, string],
 *   turns: [
 *     { turn: 1, withTie: stat(6, 10), withoutTie: stat(5, 6), keys: 10, questions: 10 },
 *     { turn: 2, withTie: stat(4, 10), withoutTie: stat(3, 5), keys: 10, questions: 10 },
 *   ],
 *   bootstrap: null, votes: [20, 20] as [number, number], ignored: 0,
 * };
 * const spec = categoryAgreementChartSpec([{ categories: [{ category: "math", questionIds: [], result }] }]);
 * const bars = spec.datasets!.bars as { series: string; agree: number; total: number }[];
 * console.assert(bars[0]!.series === "gpt4-pair vs human" && bars[0]!.agree === 10 && bars[0]!.total === 20);
 * ```
 */
export function categoryAgreementChartSpec(
  series: readonly CategoryAgreementSeries[],
  options: CategoryAgreementChartOptions = {},
): TopLevelSpec {
  const panelWidth = checkSize(options.panelWidth ?? 300, "panelWidth", "an agreement chart");
  const turn = options.turn;
  const bars: CategoryAgreementBar[] = [];
  const labels: string[] = [];
  for (const entry of series) {
    const first = entry.categories[0]?.result.judges;
    const label = entry.label ?? (first === undefined ? "judges" : `${first[0]} vs ${first[1]}`);
    labels.push(label);
    for (const { category, result } of entry.categories) {
      const turns = result.turns.filter((row) => turn === undefined || row.turn === turn);
      for (const [index, setup] of SETUPS.entries()) {
        bars.push({
          series: label,
          category: categoryLabel(category),
          setup,
          ...combine(turns, index === 0 ? "withTie" : "withoutTie", turn !== undefined),
        });
      }
    }
  }
  const categories = firstSeen(bars.map((bar) => bar.category));
  const meta: CategoryAgreementChartMeta = {
    kind: "category-agreement",
    series: labels,
    categories,
    turn: turn ?? null,
  };
  const y = { field: "category", type: "nominal" as const, sort: categories, title: null };
  const xScale = { domain: [0, 1] };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "Agreement per category",
      subtitle: turn === undefined
        ? "turns 1 and 2 pooled"
        : `turn ${turn}; error bars: 95% bootstrap interval over questions`,
    },
    usermeta: { llmJudge: meta },
    datasets: { bars },
    data: { name: "bars" },
    facet: {
      column: { field: "setup", type: "nominal", sort: [...SETUPS], title: null },
    },
    spec: {
      width: panelWidth,
      height: { step: 12 * Math.max(1, labels.length) + 8 },
      encoding: { y, yOffset: { field: "series", type: "nominal", sort: labels } },
      layer: [
        {
          mark: { type: "bar" },
          encoding: {
            x: {
              field: "ratio",
              type: "quantitative",
              scale: xScale,
              title: "agreement",
              axis: { format: ".0%" },
            },
            color: {
              field: "series",
              type: "nominal",
              sort: labels,
              scale: { scheme: colorScheme(labels.length) },
              legend: { title: "Judges", orient: "bottom" },
            },
            tooltip: [
              { field: "series", title: "judges" },
              { field: "category" },
              { field: "setup" },
              { field: "agree" },
              { field: "total" },
              { field: "ratio", type: "quantitative", format: ".3f" },
              { field: "kappa", type: "quantitative", format: ".3f" },
            ],
          },
        },
        {
          transform: [{ filter: "isValid(datum.lower) && isValid(datum.upper)" }],
          mark: { type: "errorbar", ticks: { size: 6 }, color: "#222222" },
          encoding: {
            x: { field: "lower", type: "quantitative", scale: xScale, title: "agreement" },
            x2: { field: "upper" },
          },
        },
      ],
    },
  };
}

function combine(
  turns: readonly TurnAgreement[],
  setup: "withTie" | "withoutTie",
  single: boolean,
): Pick<CategoryAgreementBar, "agree" | "total" | "ratio" | "kappa" | "lower" | "upper"> {
  let agree = 0;
  let total = 0;
  for (const turn of turns) {
    agree += turn[setup].agree;
    total += turn[setup].total;
  }
  const only: AgreementStat | undefined = single ? turns[0]?.[setup] : undefined;
  const finite = (value: number | undefined) =>
    value !== undefined && Number.isFinite(value) ? value : null;
  return {
    agree,
    total,
    ratio: total > 0 ? agree / total : null,
    kappa: finite(only?.kappa),
    lower: finite(only?.interval?.lower),
    upper: finite(only?.interval?.upper),
  };
}
