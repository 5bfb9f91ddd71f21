import type { TopLevelSpec } from "npm:vega-lite@5.23.0";
import type { AgreementResult, AgreementStat } from "../agree/compute_agreement.ts";
import { checkSize, firstSeen, VEGA_LITE_SCHEMA } from "./_common.ts";

/** Options for {@linkcode agreementHeatmapSpec}. */
export interface AgreementHeatmapOptions {
  /**
   * Turns to show, one row of panels each.
   * @default {undefined} (every turn of the results)
   */
  turns?: readonly number[] | undefined;
  /**
   * Judge order on both axes.
   * @default {undefined} (order of first appearance in the results)
   */
  judges?: readonly string[] | undefined;
  /**
   * Chart title.
   * @default {"Agreement between judges"}
   */
  title?: string;
  /**
   * Width and height of one cell in pixels.
   * @default {110}
   */
  cellSize?: number;
}

/** One cell of the heatmap: how often `rowJudge` and `columnJudge` agree. */
export interface AgreementCell {
  rowJudge: string;
  columnJudge: string;
  turn: string;
  setup: string;
  agree: number;
  total: number;
  ratio: number | null;
  kappa: number | null;
}

/** What an agreement heatmap says about itself in `usermeta.llmJudge`. */
export interface AgreementHeatmapMeta {
  kind: "agreement";
  judges: string[];
  turns: number[];
  setups: string[];
}

const SETUPS = ["S1 (with ties)", "S2 (without ties)"] as const;

/**
 * A Vega-Lite heatmap of agreement between judges, as the tables of the
 * MT-Bench paper: one panel per turn (rows) and setup (columns: S1 counts every
 * vote pair, S2 only pairs where neither judge says tie), judges on both axes,
 * each cell colored by the agreement ratio and labeled with the ratio,
 * `agree/total` and Cohen's kappa. Two different judges fill two mirrored
 * cells; a judge with itself (human vs human) fills the diagonal. Takes the
 * results of {@linkcode computeAgreement}; the cells are inline
 * (`datasets.cells`, {@linkcode AgreementCell}) and the spec describes itself
 * in `usermeta.llmJudge` ({@linkcode AgreementHeatmapMeta}).
 *
 * @example
 * ```ts
 * import { agreementHeatmapSpec } from "./agreement_heatmap_spec.ts";
 * const stat = (agree: number, total: number) => ({ agree, total, ratio: agree / total, kappa: 0.5, interval: null });
 * const spec = agreementHeatmapSpec([{
 *   judges: ["gpt4-pair", "human"],
 *   turns: [{ turn: 1, withTie: stat(886, 1343), withoutTie: stat(727, 859), keys: 0, questions: 80 }],
 *   bootstrap: null, votes: [0, 0], ignored: 0,
 * }]);
 * const cells = spec.datasets!.cells as { agree: number }[];
 * console.assert(cells.length === 4 && cells[0]!.agree === 886); // 2 setups x 2 mirrored cells
 * ```
 */
export function agreementHeatmapSpec(
  results: readonly AgreementResult[],
  options: AgreementHeatmapOptions = {},
): TopLevelSpec {
  const cellSize = checkSize(options.cellSize ?? 110, "cellSize", "an agreement heatmap");
  const judges = options.judges === undefined
    ? firstSeen(results.flatMap((result) => result.judges))
    : [...options.judges];
  const turns = options.turns === undefined
    ? firstSeen(results.flatMap((result) => result.turns.map((turn) => turn.turn))).sort((a, b) =>
      a - b
    )
    : [...options.turns];
  const wantedTurns = new Set(turns);
  const wantedJudges = new Set(judges);
  const cells: AgreementCell[] = [];
  for (const result of results) {
    const [first, second] = result.judges;
    if (!wantedJudges.has(first) || !wantedJudges.has(second)) continue;
    for (const turn of result.turns) {
      if (!wantedTurns.has(turn.turn)) continue;
      for (const [setup, stat] of [[SETUPS[0], turn.withTie], [SETUPS[1], turn.withoutTie]]) {
        const cell = (rowJudge: string, columnJudge: string): AgreementCell => ({
          rowJudge,
          columnJudge,
          turn: `turn ${turn.turn}`,
          setup: setup as string,
          ...counts(stat as AgreementStat),
        });
        cells.push(cell(first, second));
        if (first !== second) cells.push(cell(second, first));
      }
    }
  }
  const meta: AgreementHeatmapMeta = { kind: "agreement", judges, turns, setups: [...SETUPS] };
  const position = { type: "nominal" as const, sort: judges, axis: { labelFontSize: 12 } };
  const text = (field: string, dy: number, size: number) => ({
    mark: { type: "text" as const, dy, fontSize: size },
    encoding: {
      text: { field },
      color: {
        condition: { test: "datum.ratio > 0.72", value: "white" },
        value: "black",
      },
    },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: options.title ?? "Agreement between judges",
      subtitle: "ratio of agreeing vote pairs; agree/total; Cohen's kappa",
    },
    usermeta: { llmJudge: meta },
    datasets: { cells },
    data: { name: "cells" },
    transform: [
      { calculate: "isValid(datum.ratio) ? format(datum.ratio, '.1%') : 'n/a'", as: "ratioText" },
      { calculate: "datum.agree + '/' + datum.total", as: "countText" },
      {
        calculate: "isValid(datum.kappa) ? 'κ ' + format(datum.kappa, '.2f') : ''",
        as: "kappaText",
      },
    ],
    facet: {
      row: { field: "turn", type: "nominal", title: null, header: { labelFontSize: 13 } },
      column: {
        field: "setup",
        type: "nominal",
        sort: [...SETUPS],
        title: null,
        header: { labelFontSize: 13 },
      },
    },
    spec: {
      width: cellSize * judges.length,
      height: cellSize * judges.length,
      encoding: {
        x: { field: "columnJudge", ...position, title: null, axis: { labelAngle: 0 } },
        y: { field: "rowJudge", ...position, title: null },
      },
      layer: [
        {
          mark: { type: "rect", stroke: "white" },
          encoding: {
            color: {
              field: "ratio",
              type: "quantitative",
              scale: { domain: [0.5, 1], scheme: "blues", clamp: true },
              legend: { title: "agreement", format: ".0%" },
            },
            tooltip: [
              { field: "rowJudge", title: "judge" },
              { field: "columnJudge", title: "vs" },
              { field: "turn" },
              { field: "setup" },
              { field: "countText", title: "agree/total" },
              { field: "ratio", type: "quantitative", format: ".4f" },
              { field: "kappa", type: "quantitative", format: ".4f" },
            ],
          },
        },
        text("ratioText", -14, 15),
        text("countText", 4, 11),
        text("kappaText", 19, 11),
      ],
    },
  };
}

function counts(stat: AgreementStat): Pick<AgreementCell, "agree" | "total" | "ratio" | "kappa"> {
  return {
    agree: stat.agree,
    total: stat.total,
    ratio: Number.isFinite(stat.ratio) ? stat.ratio : null,
    kappa: Number.isFinite(stat.kappa) ? stat.kappa : null,
  };
}
