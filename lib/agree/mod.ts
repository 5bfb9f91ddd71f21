/**
 * Agreement between judges, as FastChat's `compute_agreement.py`: votes of two
 * judges (GPT-4 pair, human experts, authors, or any FastChat judgment file) are
 * keyed per turn by question and ordered model pair, then paired and compared,
 * with ties (S1) and without (S2). Adds Cohen's kappa, a question-clustered
 * bootstrap interval and a per-category breakdown. Pure: the CLI reads the files.
 *
 * @example GPT-4 vs one expert on one key
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeAgreement, VoteTally } from "./mod.ts";
 * const tally = new VoteTally(["gpt4-pair", "human"]);
 * tally.addHumanVote({ question_id: 81, model_a: "a", model_b: "b", winner: "tie (inconsistent)", judge: "gpt4_pair", turn: 2 });
 * tally.addHumanVote({ question_id: 81, model_a: "b", model_b: "a", winner: "tie", judge: "expert_5", turn: 2 });
 * const result = computeAgreement(tally, { rounds: 0 });
 * assert.equal(result.turns[0]!.turn, 2);
 * assert.equal(result.turns[0]!.withTie.ratio, 1);
 * assert.equal(result.turns[0]!.withoutTie.total, 0);
 * ```
 * @module
 */
export * from "./judge_group.ts";
export * from "./vote_tally.ts";
export * from "./cohen_kappa.ts";
export * from "./compute_agreement.ts";
export * from "./agreement_by_category.ts";
export * from "./pair_judgment_vote.ts";
export * from "./single_score_winner.ts";
export * from "./score_index.ts";
export * from "./add_single_score_votes.ts";
export * from "./tally_votes.ts";
