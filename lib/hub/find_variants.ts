/** One loadable ONNX model in a repo: a folder and its layout. */
export interface HubVariant {
  /** Folder path in the repo, `/`-separated, `""` for the root. */
  path: string;
  /**
   * `genai` (the folder holds `genai_config.json`) or `optimum` (it holds
   * `onnx/*.onnx`, or `config.json` beside `*.onnx`).
   */
  layout: "genai" | "optimum";
}

const dirOf = (file: string) => file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "";
const baseOf = (file: string) => file.slice(file.lastIndexOf("/") + 1);

/**
 * The ONNX variants in a repo's file list (paths as the Hub lists them):
 * each folder with a `genai_config.json` (ONNX Runtime GenAI), each folder
 * with an `onnx/` subfolder of `.onnx` files, and each folder with
 * `config.json` beside `.onnx` files (Optimum / transformers.js), sorted by
 * path. An empty list means the repo has no ONNX model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findVariants } from "./find_variants.ts";
 * assert.deepEqual(findVariants([
 *   "README.md",
 *   "cpu/int4/genai_config.json",
 *   "cpu/int4/model.onnx",
 *   "cuda/fp16/genai_config.json",
 * ]).map((variant) => variant.path), ["cpu/int4", "cuda/fp16"]);
 * assert.deepEqual(findVariants(["config.json", "onnx/model_q4.onnx"]), [
 *   { path: "", layout: "optimum" },
 * ]);
 * ```
 */
export function findVariants(files: readonly string[]): HubVariant[] {
  const found = new Map<string, HubVariant["layout"]>();
  const all = new Set(files);
  for (const file of files) {
    if (baseOf(file) === "genai_config.json") found.set(dirOf(file), "genai");
  }
  for (const file of files) {
    if (!file.endsWith(".onnx")) continue;
    const dir = dirOf(file);
    let variant: string | undefined;
    if (baseOf(dir) === "onnx") variant = dirOf(dir);
    else if (all.has(dir === "" ? "config.json" : `${dir}/config.json`)) variant = dir;
    if (variant !== undefined && !found.has(variant) && !found.has(dir)) {
      found.set(variant, "optimum");
    }
  }
  return [...found].map(([path, layout]) => ({ path, layout }))
    .sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}
