import type { TopLevelSpec } from "./top_level_spec.ts";
import type { CalibrationReport } from "../calibrate/compute_calibration.ts";
import { checkSize, VEGA_LITE_SCHEMA } from "./_common.ts";

/** Options for {@linkcode calibrationChartSpec}. */
export interface CalibrationChartOptions {
  /**
   * Which turn.
   * @default {1} (the paper's headline figures)
   */
  turn?: number;
  /**
   * Chart title.
   * @default {"Agreement with the MT-Bench experts"}
   */
  title?: string;
  /**
   * Width of one panel in pixels.
   * @default {320}
   */
  panelWidth?: number;
}

/** One bar of the calibration chart. */
export interface CalibrationBar {
  /** The judge (or `GPT-4 (paper)` for the dataset's GPT-4 votes). */
  judge: string;
  /** `judge`, `reference` for GPT-4, or `ceiling` for the experts vs each other (a line). */
  kind: "judge" | "reference" | "ceiling";
  /** `S1 (with ties)` or `S2 (without ties)`. */
  setup: string;
  /** Agreement ratio; null without pairs. */
  ratio: number | null;
  /** Lower end of the 95% interval. */
  lower: number | null;
  /** Upper end of the 95% interval. */
  upper: number | null;
  /** Agreeing vote pairs. */
  agree: number;
  /** Vote pairs. */
  total: number;
}

const SETUPS = ["S1 (with ties)", "S2 (without ties)"] as const;

/**
 * A Vega-Lite chart of judges' agreement with the MT-Bench experts: one
 * panel per setup (S1 with ties, S2 without), one bar per calibrated judge
 * with its 95% bootstrap interval, GPT-4 from the dataset as a grey bar, and
 * the experts' agreement with each other (the ceiling) as a dashed line.
 * Takes the reports of `computeCalibration` (one per judge; the reference
 * rows are read from the first); the bars are inline (`datasets.bars`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeCalibration } from "../calibrate/compute_calibration.ts";
 * import { calibrationChartSpec } from "./calibration_chart_spec.ts";
 * const report = computeCalibration({
 *   judge: "j", items: [], humanVotes: [], gpt4Votes: [], questions: [], pairRecords: [],
 * }, { rounds: 0 });
 * const spec = calibrationChartSpec([report]);
 * assert.deepEqual((spec.datasets!.bars as { judge: string }[]).map((bar) => bar.judge), []);
 * ```
 */
export function calibrationChartSpec(
  reports: readonly CalibrationReport[],
  options: CalibrationChartOptions = {},
): TopLevelSpec {
  const turn = options.turn ?? 1;
  const panelWidth = checkSize(options.panelWidth ?? 320, "panelWidth", "a calibration chart");
  const bars: CalibrationBar[] = [];
  const finite = (value: number | undefined) =>
    value !== undefined && Number.isFinite(value) ? value : null;
  const add = (judge: string, kind: CalibrationBar["kind"], row: CalibrationReport["rows"][0]) => {
    const entry = row.result.turns.find((candidate) => candidate.turn === turn);
    if (entry === undefined) return;
    for (const [index, setup] of SETUPS.entries()) {
      const stat = index === 0 ? entry.withTie : entry.withoutTie;
      bars.push({
        judge,
        kind,
        setup,
        ratio: finite(stat.ratio),
        lower: finite(stat.interval?.lower),
        upper: finite(stat.interval?.upper),
        agree: stat.agree,
        total: stat.total,
      });
    }
  };
  const first = reports[0];
  const gpt4 = first?.rows.find((row) => row.label === "gpt4-pair vs human");
  if (gpt4 !== undefined) add("GPT-4 (paper)", "reference", gpt4);
  for (const report of reports) {
    for (const row of report.rows) {
      if (row.kind === "judge" && row.judges[1] === "human") add(row.judges[0], "judge", row);
    }
  }
  const humans = first?.rows.find((row) => row.label === "human vs human");
  if (humans !== undefined) add("experts vs each other", "ceiling", humans);
  const judges = [...new Set(bars.filter((bar) => bar.kind !== "ceiling").map((bar) => bar.judge))];
  const xScale = { domain: [0, 1] };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "Agreement with the MT-Bench experts",
      subtitle:
        `turn ${turn}; bars: 95% bootstrap interval over questions; dashed: experts vs each other`,
    },
    usermeta: { llmJudge: { kind: "calibration", judges, turn } },
    datasets: { bars },
    data: { name: "bars" },
    facet: { column: { field: "setup", type: "nominal", sort: [...SETUPS], title: null } },
    spec: {
      width: panelWidth,
      height: { step: 22 },
      layer: [
        {
          transform: [{ filter: "datum.kind !== 'ceiling'" }],
          mark: { type: "bar" },
          encoding: {
            y: { field: "judge", type: "nominal", sort: judges, title: null },
            x: {
              field: "ratio",
              type: "quantitative",
              scale: xScale,
              title: "agreement with experts",
              axis: { format: ".0%" },
            },
            color: {
              field: "kind",
              type: "nominal",
              scale: { domain: ["reference", "judge"], range: ["#9e9e9e", "#4e79a7"] },
              legend: null,
            },
            tooltip: [
              { field: "judge" },
              { field: "setup" },
              { field: "agree" },
              { field: "total" },
              { field: "ratio", type: "quantitative", format: ".3f" },
              { field: "lower", type: "quantitative", format: ".3f" },
              { field: "upper", type: "quantitative", format: ".3f" },
            ],
          },
        },
        {
          transform: [{
            filter: "datum.kind !== 'ceiling' && isValid(datum.lower) && isValid(datum.upper)",
          }],
          mark: { type: "errorbar", ticks: { size: 6 }, color: "#222222" },
          encoding: {
            y: { field: "judge", type: "nominal", sort: judges },
            x: {
              field: "lower",
              type: "quantitative",
              scale: xScale,
              title: "agreement with experts",
            },
            x2: { field: "upper" },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'ceiling' && isValid(datum.ratio)" }],
          mark: { type: "rule", strokeDash: [4, 3], color: "#d62728" },
          encoding: { x: { field: "ratio", type: "quantitative", scale: xScale } },
        },
      ],
    },
  };
}
