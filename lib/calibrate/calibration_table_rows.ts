import type { CalibrationReport } from "./compute_calibration.ts";

/** One row of {@linkcode calibrationTableRows}: a row of the report on one turn. */
export type CalibrationTableRow = Record<string, string | number>;

/**
 * The agreement rows of a calibration report as flat table rows, one per
 * (row, turn): the judges compared, the votes they cover, and per setting
 * (S1 with ties, S2 without) agree/total, ratio, kappa (S1) and the 95%
 * interval. For notebooks and spreadsheets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { calibrationTableRows } from "./calibration_table_rows.ts";
 * const stat = { agree: 3, total: 4, ratio: 0.75, kappa: 0.5, interval: null };
 * const rows = calibrationTableRows({
 *   rows: [{ label: "j vs human", scope: "items", result: { turns: [{ turn: 1, withTie: stat, withoutTie: stat }] } }],
 * } as never);
 * assert.equal(rows[0]!["S1 agree/total"], "3/4");
 * assert.equal(rows[0]!["S1 95% CI"], "");
 * ```
 */
export function calibrationTableRows(report: CalibrationReport): CalibrationTableRow[] {
  const interval = (stat: { interval: { lower: number; upper: number } | null }) =>
    stat.interval === null
      ? ""
      : `${stat.interval.lower.toFixed(3)} – ${stat.interval.upper.toFixed(3)}`;
  return report.rows.flatMap((row) =>
    row.result.turns.map((turn) => ({
      judges: row.label,
      votes: row.scope,
      turn: turn.turn,
      "S1 agree/total": `${turn.withTie.agree}/${turn.withTie.total}`,
      "S1 ratio": turn.withTie.ratio,
      "S1 kappa": turn.withTie.kappa,
      "S1 95% CI": interval(turn.withTie),
      "S2 agree/total": `${turn.withoutTie.agree}/${turn.withoutTie.total}`,
      "S2 ratio": turn.withoutTie.ratio,
      "S2 95% CI": interval(turn.withoutTie),
    }))
  );
}
