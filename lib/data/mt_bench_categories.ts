/**
 * MT-Bench's eight question categories, in the order of `mt_bench/question.jsonl`
 * (ten questions each).
 *
 * @example
 * ```ts
 * import { MT_BENCH_CATEGORIES } from "./mt_bench_categories.ts";
 * console.assert(MT_BENCH_CATEGORIES.length === 8 && MT_BENCH_CATEGORIES[0] === "writing");
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
