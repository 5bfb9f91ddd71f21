/**
 * llm-judge: evaluate chat models the MT-Bench way, on Deno. A port of FastChat's
 * `llm_judge` that reads and writes FastChat's files and reproduces its numbers.
 *
 * The pure parts (score tables, win rates, agreement, bootstrap) take records and
 * return results, so notebooks and scripts can use them directly.
 *
 * @example Read a judgment file and compute mean scores
 * ```ts
 * import assert from "node:assert/strict";
 * import { readJudgments, type SingleJudgment, singleScoreTable } from "./mod.ts";
 * // A judgment file in FastChat's format (e.g. mt_bench/model_judgment/gpt-4_single.jsonl).
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * const judge = ["gpt-4", "single-v1"];
 * await Deno.writeTextFile(path, [
 *   { question_id: 81, model: "a", judge, score: 9, turn: 1 },
 *   { question_id: 82, model: "a", judge, score: 7, turn: 1 },
 *   { question_id: 81, model: "b", judge, score: 5, turn: 1 },
 * ].map((record) => JSON.stringify(record) + "\n").join(""));
 * const records = await readJudgments(path);
 * const single = records.filter((record): record is SingleJudgment => "score" in record);
 * const table = singleScoreTable(single, { rounds: 0 });
 * assert.deepEqual(table.firstTurn.map((row) => [row.model, row.score]), [["a", 8], ["b", 5]]);
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
export * from "./lib/hub/mod.ts";
