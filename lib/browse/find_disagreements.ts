import type { QuestionId } from "../data/types.ts";
import type { VoteTally } from "../agree/vote_tally.ts";
import type { DisagreementRow, VerdictCounts } from "./types.ts";

/** Options for {@linkcode findDisagreements}. */
export interface FindDisagreementsOptions {
  /**
   * Leave tie votes out, as FastChat's "without tie" agreement does.
   * @default {false}
   */
  noTies?: boolean;
  /**
   * Only this turn.
   * @default {undefined} (every turn)
   */
  turn?: number;
  /**
   * Keep a question only when this returns true (e.g. a category filter).
   * @default {undefined} (every question)
   */
  keepQuestion?: (questionId: QuestionId) => boolean;
  /**
   * Category of a question, copied into each row.
   * @default {() => ""}
   */
  categoryOf?: (questionId: QuestionId) => string;
}

/** What {@linkcode findDisagreements} returns. */
export interface Disagreements {
  /** Keys on which both judges voted (after the filters). */
  keys: number;
  /** Agreeing vote pairs over those keys. */
  agree: number;
  /** Vote pairs over those keys. */
  total: number;
  /**
   * Keys with at least one disagreeing pair: lowest agreement first, then most
   * vote pairs, turn, question and models.
   */
  rows: DisagreementRow[];
}

/**
 * Finds the keys (question, turn, model pair) where two judges disagree, from the
 * counts of a {@linkcode VoteTally}. Votes pair up as in FastChat's
 * `compute_agreement.py`: for two judges every vote of one with every vote of
 * the other; for a judge with itself every two distinct votes. A key is listed
 * when at least one pair disagrees; the totals count every key both judged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VoteTally } from "../agree/vote_tally.ts";
 * import { findDisagreements } from "./find_disagreements.ts";
 * const tally = new VoteTally(["gpt4-pair", "human"]);
 * tally.addHumanVote({ question_id: 81, model_a: "a", model_b: "b", winner: "model_a", judge: "gpt4_pair", turn: 1 });
 * tally.addHumanVote({ question_id: 81, model_a: "b", model_b: "a", winner: "model_a", judge: "expert_1", turn: 1 });
 * const found = findDisagreements(tally);
 * assert.equal(found.rows.length, 1);
 * assert.equal(found.rows[0]!.votes[1]!.model_b, 1);
 * ```
 */
export function findDisagreements(
  tally: VoteTally,
  options: FindDisagreementsOptions = {},
): Disagreements {
  const table = tally.table();
  const noTies = options.noTies ?? false;
  const categoryOf = options.categoryOf ?? (() => "");
  const same = tally.sameJudge;
  let keys = 0;
  let agree = 0;
  let total = 0;
  const rows: DisagreementRow[] = [];
  for (let slot = 0; slot < table.size; slot++) {
    const turn = table.turns[slot]!;
    if (options.turn !== undefined && turn !== options.turn) continue;
    const questionId = table.questionIds[table.questions[slot]!]!;
    if (options.keepQuestion !== undefined && !options.keepQuestion(questionId)) continue;
    const base = slot * 6;
    const first = counts(table.counts, base, noTies);
    const second = same ? first : counts(table.counts, base + 3, noTies);
    const pairs = same ? pairsWithin(first) : pairsAcross(first, second);
    if (pairs.total === 0) continue;
    keys++;
    agree += pairs.agree;
    total += pairs.total;
    if (pairs.agree === pairs.total) continue;
    rows.push({
      question_id: questionId,
      category: categoryOf(questionId),
      turn,
      model_a: table.models[table.lows[slot]!]!,
      model_b: table.models[table.highs[slot]!]!,
      votes: [first, second],
      agree: pairs.agree,
      total: pairs.total,
    });
  }
  rows.sort((x, y) =>
    x.agree / x.total - y.agree / y.total || y.total - x.total || x.turn - y.turn ||
    compareIds(x.question_id, y.question_id) || x.model_a.localeCompare(y.model_a) ||
    x.model_b.localeCompare(y.model_b)
  );
  return { keys, agree, total, rows };
}

function counts(values: Uint32Array, base: number, noTies: boolean): VerdictCounts {
  return {
    model_a: values[base]!,
    model_b: values[base + 1]!,
    tie: noTies ? 0 : values[base + 2]!,
  };
}

function pairsAcross(x: VerdictCounts, y: VerdictCounts): { agree: number; total: number } {
  const agree = x.model_a * y.model_a + x.model_b * y.model_b + x.tie * y.tie;
  const total = (x.model_a + x.model_b + x.tie) * (y.model_a + y.model_b + y.tie);
  return { agree, total };
}

function pairsWithin(x: VerdictCounts): { agree: number; total: number } {
  const choose2 = (n: number) => n * (n - 1) / 2;
  const agree = choose2(x.model_a) + choose2(x.model_b) + choose2(x.tie);
  return { agree, total: choose2(x.model_a + x.model_b + x.tie) };
}

function compareIds(x: QuestionId, y: QuestionId): number {
  if (typeof x === "number" && typeof y === "number") return x - y;
  return String(x).localeCompare(String(y));
}
