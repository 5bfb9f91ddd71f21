import type { Judgment } from "../data/types.ts";
import { isPairJudgment } from "../data/types.ts";
import type { AnswerLength } from "./answer_lengths.ts";

/** One verdict against answer length, for the length-bias chart. */
export interface LengthPoint {
  /** `single`: a grade; `pair`: one game. */
  kind: "single" | "pair";
  /** The model graded; for a game, `<first shown> vs <second shown>`. */
  model: string;
  /** The question. */
  question_id: number | string;
  /** The turn judged. */
  turn: number;
  /** Single: the answer's length; pair: first answer's length minus the second's. */
  length: number;
  /** Single: the score; pair: 1 when the first answer won, 0.5 tie, 0 loss. */
  score: number;
}

/**
 * The points of the length-bias chart: one per single grade (length,
 * score), or one per pairwise game (length difference of the answer shown
 * first, its outcome). Failed judgments and answers of unknown length are
 * left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lengthPoints } from "./length_points.ts";
 * const points = lengthPoints([{
 *   question_id: 81, model_1: "a", model_2: "b", judge: ["j", "pair-v2"], turn: 1,
 *   g1_winner: "model_2", g2_winner: "model_2",
 * }], (_q, model) => (model === "a" ? 100 : 300));
 * assert.deepEqual(points.map((point) => [point.length, point.score]), [[-200, 0], [200, 1]]);
 * ```
 */
export function lengthPoints(records: readonly Judgment[], lengthOf: AnswerLength): LengthPoint[] {
  const points: LengthPoint[] = [];
  for (const record of records) {
    if (isPairJudgment(record)) {
      const length1 = lengthOf(record.question_id, record.model_1, record.turn);
      const length2 = lengthOf(record.question_id, record.model_2, record.turn);
      if (length1 === undefined || length2 === undefined) continue;
      const games = [
        [record.g1_winner, "model_1", record.model_1, record.model_2, length1 - length2],
        [record.g2_winner, "model_2", record.model_2, record.model_1, length2 - length1],
      ] as const;
      for (const [winner, first, shownFirst, shownSecond, difference] of games) {
        if (winner === "error") continue;
        points.push({
          kind: "pair",
          model: `${shownFirst} vs ${shownSecond}`,
          question_id: record.question_id,
          turn: record.turn,
          length: difference,
          score: winner === "tie" ? 0.5 : winner === first ? 1 : 0,
        });
      }
    } else {
      if (record.score === -1 || typeof record.error === "string") continue;
      const length = lengthOf(record.question_id, record.model, record.turn);
      if (length === undefined) continue;
      points.push({
        kind: "single",
        model: record.model,
        question_id: record.question_id,
        turn: record.turn,
        length,
        score: record.score,
      });
    }
  }
  return points;
}
