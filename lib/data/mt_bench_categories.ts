/**
 * MT-Bench's eight question categories, in the order of `mt_bench/question.jsonl`
 * (ten questions each).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MT_BENCH_CATEGORIES } from "./mt_bench_categories.ts";
 * assert.equal(MT_BENCH_CATEGORIES.length, 8);
 * assert.equal(MT_BENCH_CATEGORIES[0], "writing");
 * ```
 */
export const MT_BENCH_CATEGORIES: readonly string[] = [
  "writing",
  "roleplay",
  "reasoning",
  "math",
  "coding",
  "extraction",
  "stem",
  "humanities",
];
