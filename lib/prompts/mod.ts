/**
 * Judge prompts: Python `str.format` rendering and FastChat's judge-prompt
 * rendering (single and pairwise, multi-turn, reference-based, multilingual);
 * and chat templates: Hugging Face Jinja `chat_template` rendering and
 * built-in templates (Llama-3, Phi-3, Mistral, ChatML, Qwen, Gemma).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPython } from "./mod.ts";
 * assert.equal(formatPython("{{[[{x}]]}}", { x: 7 }), "{[[7]]}");
 * ```
 * @module
 */
export * from "./format_python.ts";
export * from "./format_fields.ts";
export * from "./render_judge_prompt.ts";
export * from "./chat_templates.ts";
export * from "./render_chat.ts";
export * from "./chat_template_fingerprint.ts";
