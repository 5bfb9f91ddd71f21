/**
 * Calibrating a judge against the MT-Bench human experts: the human-study
 * bench (every question, model pair and turn an expert voted on, with the
 * answers the experts saw, in FastChat's layout), the matches that judge
 * exactly those items, and the calibration report — agreement with the
 * experts next to the dataset's GPT-4 and human-human rows, per turn and
 * category, with the judge's own bias figures.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { itemKey } from "./mod.ts";
 * assert.equal(itemKey({ question_id: 81, model_a: "b", model_b: "a", turn: 2 }), "2|81|a|b");
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./item_key.ts";
export * from "./assemble_human_bench.ts";
export * from "./load_human_bench.ts";
export * from "./write_human_bench.ts";
export * from "./sample_items.ts";
export * from "./calibration_matches.ts";
export * from "./compute_calibration.ts";
export * from "./render_calibration.ts";
export * from "./calibration_table_rows.ts";
