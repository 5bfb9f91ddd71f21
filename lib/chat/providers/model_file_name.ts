import { checkFileName } from "../../data/check_file_name.ts";
import { PROVIDER_PRESETS } from "./resolve_chat_model.ts";

/** Options for {@linkcode modelFileName}. */
export interface ModelFileNameOptions {
  /**
   * What the name comes from, for the message (a flag such as `--judge-model`).
   * @default {"the model name"}
   */
  what?: string;
}

/**
 * The name a judge or model spec gives its files and records, as FastChat
 * would write it: the provider prefix is dropped (`groq:llama-3.1-8b-instant`
 * → `llama-3.1-8b-instant`, `local:tiny` → `tiny`), a preset alone keeps its
 * name (`groq`), and an organisation's `/` becomes `_`
 * (`openrouter:meta-llama/llama-3.1-8b-instruct` →
 * `meta-llama_llama-3.1-8b-instruct`). A name that would leave its folder
 * (a `.` or `..` segment, a `\`) or is not a portable file name (see
 * `checkFileName`) throws a `RangeError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelFileName } from "./model_file_name.ts";
 * assert.equal(modelFileName("groq"), "groq");
 * assert.equal(modelFileName("groq:llama-3.1-8b-instant"), "llama-3.1-8b-instant");
 * assert.equal(modelFileName("local:tiny"), "tiny");
 * assert.throws(() => modelFileName("local:../../tmp/x"), RangeError);
 * ```
 */
export function modelFileName(spec: string, options: ModelFileNameOptions = {}): string {
  const what = options.what ?? "the model name";
  let name = spec;
  const colon = spec.indexOf(":");
  if (
    colon > 0 && colon < spec.length - 1 &&
    PROVIDER_PRESETS.some((preset) => preset.name === spec.slice(0, colon))
  ) {
    name = spec.slice(colon + 1);
  }
  if (name.split(/[\\/]/).some((segment) => segment === "." || segment === "..")) {
    throw new RangeError(
      `${what} names a file and cannot have a "." or ".." path segment: ${JSON.stringify(spec)}`,
    );
  }
  return checkFileName(name.replaceAll("/", "_"), { what });
}
