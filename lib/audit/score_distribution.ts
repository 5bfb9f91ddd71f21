import type { Judgment } from "../data/types.ts";
import { isPairJudgment } from "../data/types.ts";

/** How a judge's verdicts are spread. */
export interface ScoreDistribution {
  /** `single` (scores) or `pairwise` (game verdicts A, B, tie). */
  kind: "single" | "pairwise" | "empty";
  /**
   * Verdict → count, in order (grades 1–10 ascending, a fractional score
   * counted at its nearest whole grade; A, B, tie). Failed judgments are left out.
   */
  counts: { value: string; count: number }[];
  /** Verdicts counted. */
  total: number;
  /** Shannon entropy of the verdicts, in bits (log2 of the number of values when uniform). */
  entropyBits: number;
  /** Entropy divided by its maximum for the scale (10 scores, or 3 verdicts); 0 = constant. */
  normalizedEntropy: number;
  /** Mean score (single); NaN for pairwise. */
  mean: number;
  /** Standard deviation of the scores (single); NaN for pairwise. */
  std: number;
}

/**
 * The distribution of a judge's verdicts and its entropy: scores for single
 * grades binned to the ten whole grades of the scale, so the entropy stays
 * within its maximum (a judge that gives everything an 8 has entropy 0), game verdicts
 * (A wins, B wins, tie) for pairwise records. Failed judgments are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scoreDistribution } from "./score_distribution.ts";
 * const judge: [string, string] = ["j", "single-v1"];
 * const spread = scoreDistribution([
 *   { question_id: 81, model: "a", judge, score: 8, turn: 1 },
 *   { question_id: 82, model: "a", judge, score: 4, turn: 1 },
 * ]);
 * assert.equal(spread.entropyBits, 1);
 * assert.equal(spread.mean, 6);
 * ```
 */
export function scoreDistribution(records: readonly Judgment[]): ScoreDistribution {
  const counts = new Map<string, number>();
  let kind: ScoreDistribution["kind"] = "empty";
  const scores: number[] = [];
  for (const record of records) {
    if (isPairJudgment(record)) {
      kind = "pairwise";
      for (
        const [winner, first] of [[record.g1_winner, "model_1"], [record.g2_winner, "model_2"]]
      ) {
        if (winner === "error") continue;
        const value = winner === "tie" ? "tie" : winner === first ? "A" : "B";
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    } else {
      kind = "single";
      if (record.score === -1 || typeof record.error === "string") continue;
      scores.push(record.score);
      const grade = String(Math.min(10, Math.max(1, Math.round(record.score))));
      counts.set(grade, (counts.get(grade) ?? 0) + 1);
    }
  }
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  let entropyBits = 0;
  for (const count of counts.values()) {
    const p = count / total;
    entropyBits -= p * Math.log2(p);
  }
  const ordered = kind === "pairwise"
    ? ["A", "B", "tie"].map((value) => ({ value, count: counts.get(value) ?? 0 }))
    : [...counts].sort(([a], [b]) => Number(a) - Number(b)).map(([value, count]) => ({
      value,
      count,
    }));
  const mean = scores.length === 0 ? NaN : scores.reduce((sum, score) => sum + score, 0) /
    scores.length;
  const std = scores.length === 0
    ? NaN
    : Math.sqrt(scores.reduce((sum, score) => sum + (score - mean) ** 2, 0) / scores.length);
  const maximum = Math.log2(kind === "pairwise" ? 3 : 10);
  return {
    kind,
    counts: ordered,
    total,
    entropyBits: entropyBits === 0 ? 0 : entropyBits,
    normalizedEntropy: total === 0 ? NaN : entropyBits / maximum,
    mean,
    std,
  };
}
