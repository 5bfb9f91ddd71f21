/**
 * Judge prompts: Python `str.format` rendering and FastChat's judge-prompt
 * rendering (single and pairwise, multi-turn, reference-based, multilingual).
 *
 * @example
 * ```ts
 * import { formatPython } from "./mod.ts";
 * console.assert(formatPython("{{[[{x}]]}}", { x: 7 }) === "{[[7]]}");
 * ```
 * @module
 */
export * from "./format_python.ts";
export * from "./format_fields.ts";
export * from "./render_judge_prompt.ts";
