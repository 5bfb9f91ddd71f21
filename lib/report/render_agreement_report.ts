import type { AgreementResult, AgreementStat } from "../agree/compute_agreement.ts";
import type { AgreementReport } from "./agreement_report.ts";
import {
  renderTable,
  type ReportColumn,
  type ReportTable,
  type TableFormat,
} from "./render_table.ts";

function fraction(stat: AgreementStat): string {
  return `${stat.agree}/${stat.total}`;
}

function interval(stat: AgreementStat): string {
  return stat.interval === null
    ? ""
    : `[${stat.interval.lower.toFixed(4)}, ${stat.interval.upper.toFixed(4)}]`;
}

function turnRows(result: AgreementResult, csv: boolean, extra: Record<string, string> = {}) {
  return result.turns.map((turn) => {
    const row: Record<string, string | number | null> = { ...extra, turn: turn.turn };
    for (const [prefix, stat] of [["s1", turn.withTie], ["s2", turn.withoutTie]] as const) {
      if (csv) {
        row[`${prefix}_agree`] = stat.agree;
        row[`${prefix}_total`] = stat.total;
        row[`${prefix}_lower`] = stat.interval?.lower ?? null;
        row[`${prefix}_upper`] = stat.interval?.upper ?? null;
      } else {
        row[`${prefix}_count`] = fraction(stat);
        row[`${prefix}_ci`] = interval(stat);
      }
      row[`${prefix}_ratio`] = stat.ratio;
      row[`${prefix}_kappa`] = stat.kappa;
    }
    return row;
  });
}

function turnColumns(csv: boolean, bootstrap: boolean, level: number | undefined): ReportColumn[] {
  const columns: ReportColumn[] = [{ key: "turn", label: "turn" }];
  const ci = level === undefined ? "CI" : `${Math.round(level * 100)}% CI`;
  for (const [prefix, name] of [["s1", "S1"], ["s2", "S2"]] as const) {
    if (csv) {
      columns.push(
        { key: `${prefix}_agree`, label: `${prefix}_agree` },
        { key: `${prefix}_total`, label: `${prefix}_total` },
        { key: `${prefix}_ratio`, label: `${prefix}_ratio`, digits: 6 },
        { key: `${prefix}_kappa`, label: `${prefix}_kappa`, digits: 6 },
      );
      if (bootstrap) {
        columns.push(
          { key: `${prefix}_lower`, label: `${prefix}_ci_lower`, digits: 6 },
          { key: `${prefix}_upper`, label: `${prefix}_ci_upper`, digits: 6 },
        );
      }
    } else {
      columns.push(
        { key: `${prefix}_count`, label: `${name} agree/total` },
        { key: `${prefix}_ratio`, label: `${name} ratio`, digits: 4 },
        { key: `${prefix}_kappa`, label: `${name} kappa`, digits: 4 },
      );
      if (bootstrap) columns.push({ key: `${prefix}_ci`, label: `${name} ${ci}` });
    }
  }
  return columns;
}

/**
 * Renders an {@linkcode AgreementReport} as `agree` prints it: one row per turn
 * with S1 and S2 agreement, kappa and (with bootstrap) the interval, notes on
 * what was counted, and a second table per category when present. CSV is one
 * table whose `category` column is `all` for the overall rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeAgreement, VoteTally } from "../agree/mod.ts";
 * import { renderAgreementReport } from "./render_agreement_report.ts";
 * const tally = new VoteTally(["gpt4-pair", "human"]);
 * tally.addHumanVote({ question_id: 81, model_a: "a", model_b: "b", winner: "model_a", judge: "gpt4_pair", turn: 1 });
 * tally.addHumanVote({ question_id: 81, model_a: "a", model_b: "b", winner: "model_a", judge: "expert_0", turn: 1 });
 * const text = renderAgreementReport({
 *   bench: "mt_bench", judges: ["gpt4-pair", "human"], inputs: [],
 *   dropped: { errorGames: 0, failedScores: 0 }, singleGradeVotes: 0,
 *   result: computeAgreement(tally, { rounds: 0 }),
 * }, "csv");
 * assert.match(text, /^category,turn,s1_agree,s1_total,s1_ratio/);
 * assert.match(text, /\nall,1,1,1,1\.000000,/);
 * ```
 */
export function renderAgreementReport(report: AgreementReport, format: TableFormat): string {
  const { result } = report;
  const csv = format === "csv";
  const bootstrap = result.bootstrap !== null;
  const columns = turnColumns(csv, bootstrap, result.bootstrap?.confidence);
  const votes = result.judges[0] === result.judges[1]
    ? `${result.judges[0]} ${result.votes[0]}`
    : `${result.judges[0]} ${result.votes[0]}, ${result.judges[1]} ${result.votes[1]}`;
  const notes = [
    ...(format === "table" ? [""] : []),
    'S1: all vote pairs, ties included. S2: pairs where neither vote is a tie (FastChat\'s "without tie").',
    "kappa: Cohen's kappa on the same pairs (categories: first model wins, second wins, tie; Scott's pi when a judge is compared with itself).",
    `Votes counted: ${votes}; votes of other judges ignored: ${result.ignored}.`,
  ];
  if (result.bootstrap !== null) {
    notes.push(
      `CI: ${
        Math.round(result.bootstrap.confidence * 100)
      }% percentile bootstrap, ${result.bootstrap.rounds} rounds resampling questions, seed ${result.bootstrap.seed}.`,
    );
  }
  if (report.singleGradeVotes > 0) {
    notes.push(
      `Pairwise votes made from single grades (ties within 0.1): ${report.singleGradeVotes}.`,
    );
  }
  if (report.dropped.errorGames > 0 || report.dropped.failedScores > 0) {
    notes.push(
      `Dropped: ${report.dropped.errorGames} pairwise games with an error, ${report.dropped.failedScores} failed single grades (score -1).`,
    );
  }
  notes.push(`Inputs: ${report.inputs.map((input) => input.path).join(", ")}`);
  const title = `Agreement: ${result.judges[0]} vs ${result.judges[1]} (${report.bench})`;
  if (csv) {
    // One CSV table: the overall rows (category "all") then one block per category.
    const rows = [
      ...turnRows(result, true, { category: "all" }),
      ...(report.categories ?? []).flatMap((entry) =>
        turnRows(entry.result, true, { category: entry.category })
      ),
    ];
    const categoryColumn = { key: "category", label: "category" };
    return renderTable({ columns: [categoryColumn, ...columns], rows }, "csv");
  }
  const tables: ReportTable[] = [{ title, columns, rows: turnRows(result, false), notes }];
  if (report.categories !== undefined) {
    tables.push({
      title: "Agreement by category",
      columns: [{ key: "category", label: "category" }, ...columns],
      rows: report.categories.flatMap((entry) =>
        turnRows(entry.result, false, { category: entry.category })
      ),
    });
  }
  return tables.map((table) => renderTable(table, format)).join("\n");
}
