import { PROVIDER_PRESETS } from "../chat/providers/resolve_chat_model.ts";

/**
 * The judge's name in report file names: `--judge-model` without its provider
 * prefix (`groq:llama-3.1-8b-instant` → `llama-3.1-8b-instant`; a preset alone,
 * `groq`, stays `groq`), with characters unsafe in file names (`/`, `\`, `:`
 * and spaces) replaced by `_`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { judgeFileStem } from "./judge_file_stem.ts";
 * assert.equal(judgeFileStem("groq:llama-3.1-8b-instant"), "llama-3.1-8b-instant");
 * assert.equal(judgeFileStem("groq"), "groq");
 * assert.equal(judgeFileStem("openrouter:meta-llama/llama-3-70b"), "meta-llama_llama-3-70b");
 * assert.equal(judgeFileStem("qwen2.5:7b"), "qwen2.5_7b");
 * ```
 */
export function judgeFileStem(judgeModel: string): string {
  let name = judgeModel;
  const colon = name.indexOf(":");
  if (colon > 0) {
    const prefix = name.slice(0, colon);
    if (PROVIDER_PRESETS.some((preset) => preset.name === prefix)) name = name.slice(colon + 1);
  }
  return name.replace(/[/\\:\s]/g, "_");
}
