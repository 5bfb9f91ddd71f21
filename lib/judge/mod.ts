/**
 * Judging, as FastChat's `gen_judgment.py`: judges and matches, prompt
 * rendering per match, verdict parsing, judgment records and a resumable,
 * rate-limited runner. The judge itself is a chat client of `lib/chat`.
 *
 * @example Parse a verdict
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseVerdict } from "./mod.ts";
 * const verdict = parseVerdict("[[A]]", "[[A]]");
 * assert.equal(verdict.kind, "winner");
 * assert.equal(verdict.winner, "A");
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./make_judges.ts";
export * from "./make_matches.ts";
export * from "./check_match_inputs.ts";
export * from "./render_match.ts";
export * from "./parse_verdict.ts";
export * from "./prepare_match.ts";
export * from "./record_key.ts";
export * from "./format_record_line.ts";
export * from "./build_record.ts";
export * from "./judge_matches.ts";
export * from "./judgment_log.ts";
export * from "./plan_run.ts";
export * from "./estimate_run_tokens.ts";
export * from "./compact_judgment_log.ts";
export * from "./judgment_targets.ts";
export * from "./load_judge_inputs.ts";
export * from "./check_answer_language.ts";
export * from "./check_match_language.ts";
export * from "./judge_batch.ts";
export * from "./judge_into_file.ts";
export * from "./repeat_run_path.ts";
