/**
 * Auditing a judge's run from its judgment files alone: error and
 * parse-failure rate, position bias (consistency across the two orders,
 * first-position preference), verbosity bias, self-preference, verdict
 * distribution and entropy, agreement between repeated runs, and for single
 * grades the differences the run can resolve. Pure functions over records.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { positionBias } from "./mod.ts";
 * const bias = positionBias([{
 *   question_id: 81, model_1: "a", model_2: "b", judge: ["j", "pair-v2"], turn: 1,
 *   g1_winner: "model_1", g2_winner: "model_1",
 * }]);
 * assert.equal(bias.consistency, 1);
 * ```
 * @module
 */
export * from "./answer_lengths.ts";
export * from "./error_rate.ts";
export * from "./position_bias.ts";
export * from "./length_bias.ts";
export * from "./judge_family.ts";
export * from "./self_preference.ts";
export * from "./score_distribution.ts";
export * from "./repeat_agreement.ts";
export * from "./score_significance.ts";
export * from "./audit_judgments.ts";
export * from "./render_audit.ts";
export * from "./length_points.ts";
