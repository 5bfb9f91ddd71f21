/**
 * The data layer: typed, validating readers and writers for FastChat's
 * `llm_judge` files, and the data-root layout.
 * @module
 */
export * from "./types.ts";
export type { RecordSource } from "./_validate.ts";
export * from "./data_error.ts";
export * from "./read_jsonl.ts";
export * from "./read_questions.ts";
export * from "./read_answers.ts";
export * from "./read_judge_prompts.ts";
export * from "./read_judgments.ts";
export * from "./stream_single_judgments_parallel.ts";
export * from "./stream_pair_judgments_parallel.ts";
export * from "./data_root.ts";
export * from "./write_text_file_atomic.ts";
export * from "./write_file_atomic.ts";
export * from "./record_log.ts";
export * from "./output_locked_error.ts";
export * from "./error_output.ts";
export * from "./upstream_files.ts";
export * from "./fetch_error.ts";
export * from "./fetch_files.ts";
export * from "./read_human_votes.ts";
export * from "./stream_human_vote_columns.ts";
export * from "./read_conversations.ts";
export * from "./join_conversations.ts";
export * from "./find_human_vote_files.ts";
export * from "./find_judgment_files.ts";
export * from "./check_file_name.ts";
export * from "./mt_bench_categories.ts";
export * from "./path_exists.ts";
