/** FastChat's `temperature_config`: sampling temperature per MT-Bench category. */
export const CATEGORY_TEMPERATURES: Readonly<Record<string, number>> = {
  writing: 0.7,
  roleplay: 0.7,
  extraction: 0.0,
  math: 0.0,
  coding: 0.0,
  reasoning: 0.0,
  stem: 0.1,
  humanities: 0.1,
  "arena-hard-200": 0.0,
};

/**
 * The temperature FastChat's `gen_model_answer.py` uses for a question
 * category: writing and roleplay 0.7; extraction, math, coding and reasoning
 * 0 (greedy); stem and humanities 0.1; any other category 0.7.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { categoryTemperature } from "./category_temperature.ts";
 * assert.equal(categoryTemperature("math"), 0);
 * assert.equal(categoryTemperature("stem"), 0.1);
 * assert.equal(categoryTemperature("poetry"), 0.7);
 * ```
 */
export function categoryTemperature(category: string): number {
  return CATEGORY_TEMPERATURES[category] ?? 0.7;
}
