import { modelFileName } from "../chat/providers/model_file_name.ts";

/**
 * The model family of a judge, for self-preference: the judge name without
 * its provider prefix and organisation, lower-cased, up to its first digit,
 * `-`, `.`, `_` or `:` (`gpt-4o` → `gpt`, `groq:llama-3.1-8b-instant` →
 * `llama`, `claude-3-opus` → `claude`, `qwen2.5:7b` → `qwen`). A model is of
 * the family when its lower-cased name contains it (see `inFamily`). Crude on
 * purpose, and said so in the audit; `--family` overrides it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { judgeFamily } from "./judge_family.ts";
 * assert.equal(judgeFamily("gpt-4"), "gpt");
 * assert.equal(judgeFamily("groq:llama-3.1-8b-instant"), "llama");
 * assert.equal(judgeFamily("openrouter:anthropic/claude-3-opus"), "claude");
 * assert.equal(judgeFamily("qwen2.5:7b"), "qwen");
 * ```
 */
export function judgeFamily(judgeModel: string): string {
  let stem = judgeModel;
  try {
    stem = modelFileName(judgeModel);
  } catch {
    // A name that is no file name still has a family: take it as it is.
  }
  stem = stem.toLowerCase();
  const name = stem.includes("_") && /^[a-z-]+_/.test(stem)
    ? stem.slice(stem.indexOf("_") + 1)
    : stem;
  const match = /^[a-z]+/.exec(name);
  return match === null ? name : match[0];
}
