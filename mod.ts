/**
 * llm-judge: evaluate chat models the MT-Bench way, on Deno. A port of FastChat's
 * `llm_judge` that reads and writes FastChat's files and reproduces its numbers.
 *
 * The pure parts (score tables, win rates, agreement, bootstrap) take records and
 * return results, so notebooks and scripts can use them directly.
 *
 * @example Read a judgment file and compute mean scores
 * ```ts ignore
 * import { readJudgments } from "./mod.ts";
 * const records = await readJudgments("data/mt_bench/model_judgment/gpt-4_single.jsonl");
 * ```
 * @module
 */

export * from "./lib/data/mod.ts";
export * from "./lib/stats/mod.ts";
export * from "./lib/report/mod.ts";
export * from "./lib/score/mod.ts";
export * from "./lib/agree/mod.ts";
export * from "./lib/prompts/mod.ts";
export * from "./lib/http/mod.ts";
export * from "./lib/chat/mod.ts";
export * from "./lib/judge/mod.ts";
export * from "./lib/calibrate/mod.ts";
export * from "./lib/audit/mod.ts";
export * from "./lib/browse/mod.ts";
export * from "./lib/plot/mod.ts";
export * from "./lib/generate/mod.ts";
export * from "./lib/serve/mod.ts";
