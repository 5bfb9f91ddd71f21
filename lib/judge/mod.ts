/**
 * Judging, as FastChat's `gen_judgment.py`: judges and matches, prompt
 * rendering per match, verdict parsing, judgment records, judge clients
 * (OpenAI-compatible presets and a scripted mock) and a resumable,
 * rate-limited runner.
 *
 * @example Parse a verdict
 * ```ts
 * import { parseVerdict } from "./mod.ts";
 * const verdict = parseVerdict("[[A]]", "[[A]]");
 * console.assert(verdict.kind === "winner" && verdict.winner === "A");
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
export * from "./judge_client.ts";
export * from "./judge_request_error.ts";
export * from "./backoff_delay.ts";
export * from "./rate_limiter.ts";
export * from "./request_with_retries.ts";
export * from "./judge_prices.ts";
export * from "./judge_matches.ts";
export * from "./output_locked_error.ts";
export * from "./judgment_log.ts";
export * from "./load_judge_inputs.ts";
export * from "./check_answer_language.ts";
export * from "./language_precheck.ts";
export * from "./clients/provider_preset.ts";
export * from "./clients/openai.ts";
export * from "./clients/groq.ts";
export * from "./clients/azure.ts";
export * from "./clients/openrouter.ts";
export * from "./clients/together.ts";
export * from "./clients/local.ts";
export * from "./clients/resolve_judge.ts";
export * from "./clients/openai_compatible.ts";
export * from "./clients/create_judge_client.ts";
export * from "./clients/mock.ts";
