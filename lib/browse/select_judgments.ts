import { isPairJudgment, type Judgment } from "../data/types.ts";
import type { PairJudgmentView, SingleJudgmentView } from "./types.ts";

/** A judgment record with the line it was read from. */
export interface JudgmentLine {
  /** 1-based line in the judgment file. */
  line: number;
  /** The record read from that line. */
  record: Judgment;
}

/**
 * Picks the judgment records of one question that concern the models shown and
 * trims them for the page (no rendered prompts). With two models: the grades of
 * either model and the pairwise records of exactly that pair (either order).
 * With one: its grades and every pairwise record that includes it. Records keep
 * file order, then are sorted by turn.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectJudgments } from "./select_judgments.ts";
 * const judge: [string, string] = ["gpt-4", "single-v1"];
 * const views = selectJudgments([
 *   { line: 1, record: { question_id: 81, model: "a", judge, score: 7, turn: 1, judgment: "ok [[7]]" } },
 *   { line: 2, record: { question_id: 81, model: "c", judge, score: 2, turn: 1 } },
 * ], ["a", "b"]);
 * assert.equal(views.length, 1);
 * assert.equal(views[0]!.kind, "single");
 * assert.equal(views[0]!.line, 1);
 * ```
 */
export function selectJudgments(
  records: readonly JudgmentLine[],
  models: readonly string[],
): (SingleJudgmentView | PairJudgmentView)[] {
  const out: (SingleJudgmentView | PairJudgmentView)[] = [];
  for (const { line, record } of records) {
    if (isPairJudgment(record)) {
      const pair = [record.model_1, record.model_2];
      const wanted = models.length === 1
        ? pair.includes(models[0]!)
        : models.length === 2 && pair.includes(models[0]!) && pair.includes(models[1]!);
      if (!wanted) continue;
      const view: PairJudgmentView = {
        kind: "pair",
        line,
        judge: record.judge,
        turn: record.turn,
        model_1: record.model_1,
        model_2: record.model_2,
        g1_winner: record.g1_winner,
        g2_winner: record.g2_winner,
        g1_judgment: record.g1_judgment ?? "",
        g2_judgment: record.g2_judgment ?? "",
      };
      if (record.error !== undefined) view.error = record.error;
      out.push(view);
    } else {
      if (!models.includes(record.model)) continue;
      const view: SingleJudgmentView = {
        kind: "single",
        line,
        judge: record.judge,
        turn: record.turn,
        model: record.model,
        score: record.score,
        judgment: record.judgment ?? "",
      };
      if (record.error !== undefined) view.error = record.error;
      out.push(view);
    }
  }
  return out.sort((x, y) => x.turn - y.turn);
}
