import type { AgreementResult } from "../agree/compute_agreement.ts";
import { pythonFixed } from "./python_fixed.ts";

/**
 * What FastChat's `compute_agreement.py` prints, byte for byte: for turns 1
 * and 2, `#total`, `#agree` and the ratio with two decimals, with ties and
 * without. FastChat divides by zero when a turn has no pair to compare; this
 * throws a RangeError that says which turn instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fastchatAgreementReport } from "./fastchat_agreement_report.ts";
 * const stat = (agree: number, total: number) => ({ agree, total, ratio: agree / total, kappa: NaN, interval: null });
 * const turn = (turn: number) => ({ turn, withTie: stat(5, 8), withoutTie: stat(1, 8), keys: 1, questions: 1 });
 * const text = fastchatAgreementReport({ judges: ["gpt4-pair", "human"], turns: [turn(1), turn(2)], bootstrap: null, votes: [1, 1], ignored: 0 });
 * assert.equal(text.split("\n")[1], "turn 1 without tie. #total: 8, #agree: 1, ratio: 0.12");
 * ```
 */
export function fastchatAgreementReport(result: AgreementResult): string {
  const lines: string[] = [];
  for (const turn of [1, 2]) {
    const found = result.turns.find((entry) => entry.turn === turn);
    for (const [label, key] of [["with tie", "withTie"], ["without tie", "withoutTie"]] as const) {
      const stat = found?.[key] ?? { agree: 0, total: 0 };
      if (stat.total === 0) {
        throw new RangeError(
          `turn ${turn} ${label}: no pair of votes to compare (FastChat divides by zero here)`,
        );
      }
      lines.push(
        `turn ${turn} ${label}. #total: ${stat.total}, #agree: ${stat.agree}, ratio: ${
          pythonFixed(stat.agree / stat.total, 2)
        }`,
      );
    }
  }
  return lines.join("\n") + "\n";
}
