/**
 * The key of a calibration item: turn, question and the model pair in sorted
 * order, so both orders of a pair give one key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { itemKey } from "./item_key.ts";
 * const forward = itemKey({ question_id: 81, model_a: "gpt-4", model_b: "alpaca-13b", turn: 1 });
 * assert.equal(forward, "1|81|alpaca-13b|gpt-4");
 * assert.equal(itemKey({ question_id: 81, model_a: "alpaca-13b", model_b: "gpt-4", turn: 1 }), forward);
 * ```
 */
export function itemKey(
  item: { question_id: number | string; model_a: string; model_b: string; turn: number },
): string {
  const [low, high] = item.model_a < item.model_b
    ? [item.model_a, item.model_b]
    : [item.model_b, item.model_a];
  return `${item.turn}|${item.question_id}|${low}|${high}`;
}
