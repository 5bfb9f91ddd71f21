import {
  renderTable,
  type ReportTable,
  type ReportValue,
  type TableFormat,
} from "../report/render_table.ts";
import type { AuditReport } from "./audit_judgments.ts";

/**
 * Renders an audit as text: one table of figures (value, count and how to
 * read it), then the verdict distribution, the single-grade ranking with its
 * significance marks, and the per-model spread across runs. `csv` gives the
 * figures table only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { auditJudgments } from "./audit_judgments.ts";
 * import { renderAudit } from "./render_audit.ts";
 * const judge: [string, string] = ["j", "pair-v2"];
 * const report = auditJudgments([[
 *   { question_id: 81, model_1: "a", model_2: "b", g1_winner: "model_1", g2_winner: "model_2", judge, turn: 1 },
 * ]], { rounds: 0 });
 * assert.match(renderAudit(report, "table"), /position consistency\s+0\.000/);
 * ```
 */
export function renderAudit(report: AuditReport, format: TableFormat): string {
  const rows: Record<string, ReportValue>[] = [];
  const add = (figure: string, value: number, count: string, reading: string) =>
    rows.push({ figure, value, count, reading });
  const { errors } = report;
  add(
    "error rate (requests)",
    errors.errorRate,
    `${errors.failed}/${errors.requests}`,
    `${errors.parseFailures} unparsable, ${errors.apiFailures} failed calls`,
  );
  for (const cause of errors.causes) add("  cause", NaN, `${cause.count}`, cause.cause);
  const bias = report.positionBias;
  if (bias !== null) {
    add(
      "position consistency",
      bias.consistency,
      `${bias.consistent}/${bias.judgedMatches}`,
      "share of matches whose two orders agree (GPT-4: 0.65)",
    );
    add(
      "first-position preference",
      bias.firstPositionPreference,
      `${bias.firstPositionWins}/${bias.decidedGames}`,
      "share of decided games won by the answer shown first (0.5 = none)",
    );
    add("tie rate (games)", bias.tieRate, `${bias.tieGames}/${bias.games}`, "");
    add(
      "inconsistency rate",
      bias.inconsistencyRate,
      `${bias.judgedMatches - bias.consistent}/${bias.judgedMatches}`,
      "matches whose verdict flips with the order (a tie once combined)",
    );
  }
  const length = report.lengthBias;
  if (length !== null) {
    if (length.decidedGames > 0) {
      add(
        "longer answer win rate",
        length.longerWinRate,
        `${length.longerWins}/${length.decidedGames}`,
        "decided games won by the longer answer (0.5 = no verbosity bias)",
      );
    }
    if (length.grades > 0) {
      const interval = length.slopeInterval === null
        ? ""
        : ` [${length.slopeInterval.lower.toFixed(3)}, ${length.slopeInterval.upper.toFixed(3)}]`;
      add(
        "score per 1000 chars",
        length.slopePer1000,
        `${length.grades}`,
        `least-squares slope, 95% CI over questions${interval}; r = ${
          length.correlation.toFixed(3)
        }`,
      );
    }
    if (length.unknownLength > 0) {
      add(
        "  unknown lengths",
        NaN,
        `${length.unknownLength}`,
        "records whose answers were not found",
      );
    }
  }
  const self = report.selfPreference;
  const family = `family ${self.family.join(",")} (${self.familyModels.join(", ") || "no model"})`;
  if (self.matches > 0) {
    add(
      "self-preference win rate",
      self.familyWinRate,
      `${self.matches}`,
      `${family}; experts on the same items: ${
        Number.isNaN(self.referenceWinRate) ? "n/a" : self.referenceWinRate.toFixed(3)
      }, gap ${
        Number.isNaN(self.winRateGap) ? "n/a" : self.winRateGap.toFixed(3)
      } (GPT-4: about +0.10)`,
    );
  } else if (!Number.isNaN(self.scoreGap)) {
    add(
      "self-preference score gap",
      self.scoreGap,
      "",
      `${family}: mean ${self.familyMeanScore.toFixed(2)} vs ${
        self.otherMeanScore.toFixed(2)
      } (holds quality too: compare judges)`,
    );
  } else add("self-preference", NaN, "", `${family}: no match between the family and others`);
  const spread = report.distribution;
  add(
    "verdict entropy (bits)",
    spread.entropyBits,
    `${spread.total}`,
    `${(spread.normalizedEntropy * 100).toFixed(0)}% of the maximum; ${
      spread.counts.map((entry) => `${entry.value}:${entry.count}`).join(" ")
    }`,
  );
  if (report.repeats !== null) {
    add(
      "runs agreeing per item",
      report.repeats.unanimousRate,
      `${report.repeats.unanimous}/${report.repeats.items}`,
      `${report.repeats.runs} runs; pairwise agreement ${
        report.repeats.pairwiseAgreement.toFixed(3)
      }${
        Number.isNaN(report.repeats.meanItemScoreStd)
          ? ""
          : `; mean score std per item ${report.repeats.meanItemScoreStd.toFixed(3)}`
      }`,
    );
  }
  if (report.significance !== null) {
    add(
      "minimum significant difference",
      report.significance.minimumSignificantDifference,
      `${report.significance.questions} questions`,
      "mean-score gap this run can resolve (median 95% CI half-width of neighbours)",
    );
  }
  const tables: ReportTable[] = [{
    title: `Audit: ${report.judge} (${report.kind}, ${report.records} records, ${report.runs} run${
      report.runs === 1 ? "" : "s"
    }; prompts ${report.prompts.join(", ")})`,
    columns: [
      { key: "figure", label: "figure" },
      { key: "value", label: "value", digits: 3 },
      { key: "count", label: "count" },
      { key: "reading", label: "how to read it" },
    ],
    rows,
  }];
  if (format === "csv") return renderTable(tables[0]!, "csv");
  if (report.significance !== null) {
    tables.push({
      title: "Single-grade ranking (* = significantly above the next model)",
      columns: [
        { key: "rank", label: "rank" },
        { key: "model", label: "model" },
        { key: "mean", label: "mean", digits: 3 },
        { key: "gap", label: "gap to next", digits: 3 },
        { key: "ci", label: "95% CI of gap" },
        { key: "mark", label: "sig" },
      ],
      rows: report.significance.ranking.map((entry, index) => ({
        rank: index + 1,
        model: entry.model,
        mean: entry.mean,
        gap: entry.gapToNext,
        ci: entry.gapInterval === null
          ? ""
          : `[${entry.gapInterval.lower.toFixed(3)}, ${entry.gapInterval.upper.toFixed(3)}]`,
        mark: entry.significant ? "*" : "",
      })),
    });
  }
  if (report.repeats !== null && report.repeats.models.length > 0) {
    tables.push({
      title: "Mean score per run",
      columns: [
        { key: "model", label: "model" },
        { key: "means", label: "means per run" },
        { key: "std", label: "std", digits: 3 },
      ],
      rows: report.repeats.models.map((entry) => ({
        model: entry.model,
        means: entry.means.map((mean) => mean.toFixed(3)).join(" "),
        std: entry.std,
      })),
    });
  }
  return tables.map((table) => renderTable(table, format)).join("\n");
}
