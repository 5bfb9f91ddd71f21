import type { AgreementStat } from "../agree/compute_agreement.ts";
import {
  renderTable,
  type ReportColumn,
  type ReportTable,
  type ReportValue,
  type TableFormat,
} from "../report/render_table.ts";
import type { CalibrationReport } from "./compute_calibration.ts";

/**
 * Renders a calibration report as text: an aligned table for the terminal,
 * Markdown (the `calibration_<judge>.md` file) or one CSV table (one line per
 * row, category and turn; category `all` is the overall row). The tables:
 * agreement per turn (S1 with ties, S2 without: agree/total, ratio, kappa,
 * interval), agreement by category (S1 and S2 ratios), the judge's bias
 * figures, and notes on failed items.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeCalibration } from "./compute_calibration.ts";
 * import { renderCalibration } from "./render_calibration.ts";
 * const report = computeCalibration({
 *   judge: "j", items: [], humanVotes: [], gpt4Votes: [], questions: [], pairRecords: [],
 * }, { rounds: 0 });
 * assert.match(renderCalibration(report, "markdown"), /### Agreement with the MT-Bench experts/);
 * ```
 */
export function renderCalibration(report: CalibrationReport, format: TableFormat): string {
  const csv = format === "csv";
  const stat = (prefix: string, value: AgreementStat, row: Record<string, ReportValue>) => {
    if (csv) {
      row[`${prefix}_agree`] = value.agree;
      row[`${prefix}_total`] = value.total;
      row[`${prefix}_ci_lower`] = value.interval?.lower ?? null;
      row[`${prefix}_ci_upper`] = value.interval?.upper ?? null;
    } else {
      row[`${prefix}_count`] = `${value.agree}/${value.total}`;
      row[`${prefix}_ci`] = value.interval === null
        ? ""
        : `[${value.interval.lower.toFixed(3)}, ${value.interval.upper.toFixed(3)}]`;
    }
    row[`${prefix}_ratio`] = value.ratio;
    row[`${prefix}_kappa`] = value.kappa;
  };
  const rows: Record<string, ReportValue>[] = [];
  const categoryRows: Record<string, ReportValue>[] = [];
  for (const entry of report.rows) {
    const scope = entry.scope === "dataset" ? "dataset" : "items";
    for (const turn of entry.result.turns) {
      const row: Record<string, ReportValue> = {
        label: entry.label,
        scope,
        category: "all",
        turn: turn.turn,
      };
      stat("s1", turn.withTie, row);
      stat("s2", turn.withoutTie, row);
      rows.push(row);
    }
    for (const category of entry.categories) {
      for (const turn of category.result.turns) {
        const row: Record<string, ReportValue> = {
          label: entry.label,
          scope,
          category: category.category,
          turn: turn.turn,
        };
        stat("s1", turn.withTie, row);
        stat("s2", turn.withoutTie, row);
        categoryRows.push(row);
      }
    }
  }
  const columns: ReportColumn[] = [
    { key: "label", label: "judges" },
    { key: "scope", label: "votes" },
  ];
  if (csv) columns.push({ key: "category", label: "category" });
  columns.push({ key: "turn", label: "turn" });
  for (const [prefix, name] of [["s1", "S1"], ["s2", "S2"]] as const) {
    if (csv) {
      columns.push(
        { key: `${prefix}_agree`, label: `${prefix}_agree` },
        { key: `${prefix}_total`, label: `${prefix}_total` },
        { key: `${prefix}_ratio`, label: `${prefix}_ratio`, digits: 6 },
        { key: `${prefix}_kappa`, label: `${prefix}_kappa`, digits: 6 },
        { key: `${prefix}_ci_lower`, label: `${prefix}_ci_lower`, digits: 6 },
        { key: `${prefix}_ci_upper`, label: `${prefix}_ci_upper`, digits: 6 },
      );
    } else {
      columns.push(
        { key: `${prefix}_count`, label: `${name} agree/total` },
        { key: `${prefix}_ratio`, label: `${name} ratio`, digits: 3 },
        { key: `${prefix}_kappa`, label: `${name} kappa`, digits: 3 },
        { key: `${prefix}_ci`, label: `${name} 95% CI` },
      );
    }
  }
  if (csv) return renderTable({ columns, rows: [...rows, ...categoryRows] }, "csv");
  const notes = [
    ...(format === "table" ? [""] : []),
    `Items judged: ${report.items} (${report.questions} questions). Reference rows ("dataset") use every vote of the human-judgment dataset; judge rows use the judged items.`,
    'S1: all vote pairs, ties included; S2: pairs where neither vote is a tie. A pairwise verdict that flips with the order counts as a tie (FastChat\'s "tie (inconsistent)"); single grades within 0.1 are a tie.',
    report.bootstrap.rounds > 0
      ? `CI: 95% percentile bootstrap over questions, ${report.bootstrap.rounds} rounds, seed ${report.bootstrap.seed}.`
      : "No bootstrap interval (--bootstrap 0).",
  ];
  for (const [mode, failures] of Object.entries(report.failures)) {
    if (failures === null || failures.failed + failures.missing === 0) continue;
    const shown = failures.keys.slice(0, 20).join(", ");
    notes.push(
      `The judge failed on ${failures.failed} ${mode} item(s) and has no record for ${failures.missing}; they are left out: ${shown}${
        failures.keys.length > 20
          ? `, … (${failures.keys.length - 20} more in the JSON report)`
          : ""
      }.`,
    );
  }
  const tables: ReportTable[] = [{
    title: `Agreement with the MT-Bench experts: ${report.judge}`,
    columns,
    rows,
    notes,
  }];
  const byCategory: ReportColumn[] = [
    { key: "category", label: "category" },
    { key: "label", label: "judges" },
    { key: "turn", label: "turn" },
    { key: "s1_count", label: "S1 agree/total" },
    { key: "s1_ratio", label: "S1 ratio", digits: 3 },
    { key: "s2_count", label: "S2 agree/total" },
    { key: "s2_ratio", label: "S2 ratio", digits: 3 },
  ];
  tables.push({
    title: "Agreement by category",
    columns: byCategory,
    rows: [...categoryRows].sort((a, b) =>
      String(a.category) < String(b.category) ? -1 : String(a.category) > String(b.category) ? 1 : 0
    ),
  });
  const biasRows: Record<string, ReportValue>[] = [];
  const bias = report.positionBias;
  if (bias !== null) {
    biasRows.push(
      {
        figure: "position consistency",
        value: bias.consistency,
        count: `${bias.consistent}/${bias.judgedMatches}`,
        paper: "GPT-4: 0.65",
      },
      {
        figure: "first-position preference",
        value: bias.firstPositionPreference,
        count: `${bias.firstPositionWins}/${bias.decidedGames}`,
        paper: "0.5 = none",
      },
      {
        figure: "tie rate (games)",
        value: bias.tieRate,
        count: `${bias.tieGames}/${bias.games}`,
        paper: "",
      },
      {
        figure: "inconsistency rate",
        value: bias.inconsistencyRate,
        count: `${bias.judgedMatches - bias.consistent}/${bias.judgedMatches}`,
        paper: "",
      },
    );
  }
  for (const [mode, failures] of Object.entries(report.failures)) {
    if (failures === null) continue;
    biasRows.push({
      figure: `error rate (${mode} requests)`,
      value: failures.errors.errorRate,
      count: `${failures.errors.failed}/${failures.errors.requests}`,
      paper: failures.errors.causes.map((cause) => `${cause.count}× ${cause.cause}`).join("; "),
    });
  }
  tables.push({
    title: "The judge's own bias figures",
    columns: [
      { key: "figure", label: "figure" },
      { key: "value", label: "value", digits: 3 },
      { key: "count", label: "count" },
      { key: "paper", label: "note" },
    ],
    rows: biasRows,
  });
  return tables.map((table) => renderTable(table, format)).join("\n");
}
