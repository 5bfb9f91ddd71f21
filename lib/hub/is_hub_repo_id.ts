/**
 * Whether a `--model-path` value is written like a Hugging Face repo id
 * (`org/name`: two parts of letters, digits, `-`, `_` and `.`, neither
 * starting with `.` or `-`). The caller checks first whether a local path
 * of that name exists: a local directory wins.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isHubRepoId } from "./is_hub_repo_id.ts";
 * assert.equal(isHubRepoId("microsoft/Phi-3-mini-4k-instruct-onnx"), true);
 * assert.equal(isHubRepoId("./models/phi"), false);
 * assert.equal(isHubRepoId("/abs/dir"), false);
 * assert.equal(isHubRepoId("a/b/c"), false);
 * ```
 */
export function isHubRepoId(text: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,95}\/[A-Za-z0-9_][A-Za-z0-9_.-]{0,95}$/.test(text) &&
    !text.includes("..") && !/\.git$/.test(text);
}
