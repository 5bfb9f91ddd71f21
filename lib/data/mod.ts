/**
 * The data layer: typed, validating readers and writers for FastChat's
 * `llm_judge` files, and the data-root layout.
 * @module
 */
export * from "./types.ts";
export * from "./data_error.ts";
export * from "./read_jsonl.ts";
export * from "./read_questions.ts";
export * from "./read_answers.ts";
export * from "./read_judge_prompts.ts";
export * from "./read_judgments.ts";
export * from "./data_root.ts";
export * from "./write_atomic.ts";
