/**
 * Scoring: the pure functions behind `show`. FastChat's single-grade means and
 * pairwise win rates, plus bootstrap intervals, per-category means and
 * Bradley–Terry ratings. Each takes judgment records, or a collector that
 * streamed them into compact columns (so that files of millions of records fit
 * in little memory).
 *
 * @example Mean scores from records
 * ```ts
 * import assert from "node:assert/strict";
 * import { singleScoreTable } from "./mod.ts";
 * const judge: [string, string] = ["gpt-4", "single-v1"];
 * const table = singleScoreTable([
 *   { question_id: 81, model: "m", judge, score: 8, turn: 1 },
 *   { question_id: 82, model: "m", judge, score: 6, turn: 1 },
 * ], { rounds: 0 });
 * assert.equal(table.firstTurn[0]!.score, 7);
 * ```
 * @module
 */
export * from "./single_score_collector.ts";
export type { BootstrapSettings } from "./_bootstrap.ts";
export * from "./single_score_table.ts";
export * from "./pair_game_collector.ts";
export * from "./pairwise_win_rates.ts";
export * from "./bradley_terry.ts";
export * from "./games_from_votes.ts";
