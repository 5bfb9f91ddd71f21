import type { Question, QuestionId } from "../data/types.ts";
import {
  type AgreementOptions,
  type AgreementResult,
  computeAgreement,
} from "./compute_agreement.ts";
import type { VoteTally } from "./vote_tally.ts";

/** Agreement on the questions of one category. */
export interface CategoryAgreement {
  /** Category name, as in the question file. */
  category: string;
  /** Questions of the category in the question file. */
  questionIds: QuestionId[];
  /** Agreement on the category's questions. */
  result: AgreementResult;
}

/**
 * Agreement per question category: {@linkcode computeAgreement} restricted to
 * the questions of each category, categories in the order they first appear in
 * `questions`. Votes on questions not in `questions` count in none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { agreementByCategory, VoteTally } from "./mod.ts";
 * const tally = new VoteTally(["human", "human"]);
 * for (const [q, winner] of [[81, "model_a"], [81, "model_a"], [101, "model_a"], [101, "model_b"]] as const) {
 *   tally.addHumanVote({ question_id: q, model_a: "a", model_b: "b", winner, judge: "expert_1", turn: 1 });
 * }
 * const rows = agreementByCategory(tally, [
 *   { question_id: 81, category: "writing" },
 *   { question_id: 101, category: "reasoning" },
 * ], { rounds: 0 });
 * assert.equal(rows[0]!.category, "writing");
 * assert.equal(rows[0]!.result.turns[0]!.withTie.ratio, 1);
 * assert.equal(rows[1]!.result.turns[0]!.withTie.ratio, 0);
 * ```
 */
export function agreementByCategory(
  tally: VoteTally,
  questions: readonly Pick<Question, "question_id" | "category">[],
  options: AgreementOptions = {},
): CategoryAgreement[] {
  const byCategory = new Map<string, QuestionId[]>();
  for (const question of questions) {
    let ids = byCategory.get(question.category);
    if (ids === undefined) {
      ids = [];
      byCategory.set(question.category, ids);
    }
    ids.push(question.question_id);
  }
  return [...byCategory].map(([category, questionIds]) => ({
    category,
    questionIds,
    result: computeAgreement(tally, { ...options, questionIds: new Set(questionIds) }),
  }));
}
