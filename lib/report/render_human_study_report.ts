import type { HumanStudyReport } from "./human_study_report.ts";
import { renderAgreementReport } from "./render_agreement_report.ts";
import { renderTable, type ReportTable } from "./render_table.ts";

/**
 * Renders a {@linkcode HumanStudyReport} as `demo` prints it: a heading, the two
 * agreement tables (see {@linkcode renderAgreementReport}) and the win-rate
 * table of the study models, GPT-4 next to the experts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { humanStudyReport } from "./human_study_report.ts";
 * import { renderHumanStudyReport } from "./render_human_study_report.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/mt_bench_human_judgments`);
 * const vote = (judge: string) => JSON.stringify({
 *   question_id: 81, model_a: "a", model_b: "b", winner: "model_a", judge, turn: 1 });
 * // Two experts on one game: human vs human has a game in common.
 * await Deno.writeTextFile(`${root}/mt_bench_human_judgments/human_labels.jsonl`,
 *   vote("expert_0") + "\n" + vote("expert_1") + "\n");
 * await Deno.writeTextFile(`${root}/mt_bench_human_judgments/gpt4_pair_labels.jsonl`, vote("gpt4_pair") + "\n");
 * const text = renderHumanStudyReport(await humanStudyReport(root, { rounds: 0 }), "markdown");
 * assert.match(text, /^# MT-Bench human study, reproduced/);
 * assert.match(text, /Win rates of the six study models/);
 * ```
 */
export function renderHumanStudyReport(
  report: HumanStudyReport,
  format: "table" | "markdown",
): string {
  const { gpt4VsHuman, humanVsHuman } = report.agreement;
  const parts = [
    format === "markdown"
      ? "# MT-Bench human study, reproduced\n"
      : "MT-Bench human study, reproduced\n",
    renderAgreementReport(gpt4VsHuman, format),
    renderAgreementReport(humanVsHuman, format),
    renderTable(winRateTable(report), format),
  ];
  return parts.join("\n");
}

function winRateTable(report: HumanStudyReport): ReportTable {
  const { gpt4, human } = report.winRates;
  const humanRows = new Map(human.rows.map((row) => [row.model, row]));
  const ci = (lower?: number, upper?: number) =>
    lower === undefined || upper === undefined ? "" : `[${lower.toFixed(3)}, ${upper.toFixed(3)}]`;
  return {
    title: "Win rates of the six study models (pairwise-all; a tie counts half)",
    columns: [
      { key: "model", label: "model" },
      { key: "gpt4", label: "GPT-4 win_rate_adjusted", digits: 4 },
      { key: "gpt4_ci", label: "GPT-4 95% CI" },
      { key: "gpt4_games", label: "GPT-4 games" },
      { key: "human", label: "human win_rate_adjusted", digits: 4 },
      { key: "human_ci", label: "human 95% CI" },
      { key: "human_games", label: "human games" },
    ],
    rows: gpt4.rows.map((row) => {
      const other = humanRows.get(row.model);
      return {
        model: row.model,
        gpt4: row.winRateAdjusted,
        gpt4_ci: ci(row.lower, row.upper),
        gpt4_games: row.games,
        human: other?.winRateAdjusted,
        human_ci: ci(other?.lower, other?.upper),
        human_games: other?.games,
      };
    }),
    notes: [
      'Sorted by the GPT-4 column. Each vote is one game; GPT-4\'s "tie (inconsistent)" counts as a tie, as FastChat counts g1 != g2.',
      "Human: expert votes only (author_* left out), as FastChat's compute_agreement.py.",
    ],
  };
}
