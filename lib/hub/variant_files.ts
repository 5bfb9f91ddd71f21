import { ONNX_DTYPE_SUFFIXES } from "../generate/read_model_directory.ts";
import type { HubVariant } from "./find_variants.ts";

/** The files of a variant to download, and the dtype to load them with. */
export interface VariantFiles {
  /** Repo paths, in download order: weights first, configs last (`genai_config.json` at the end). */
  files: string[];
  /** `--dtype` for the loader: the chosen weight file's dtype (optimum) or `auto` (genai). */
  loadDtype: string;
}

/** Tokenizer and config files a model folder may hold; those present are fetched. */
export const MODEL_SIDE_FILES: readonly string[] = [
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "added_tokens.json",
  "chat_template.jinja",
  "chat_template.json",
  "generation_config.json",
  "config.json",
  "genai_config.json",
];

const DTYPE_ALIASES: Readonly<Record<string, string>> = {
  float32: "fp32",
  float16: "fp16",
  half: "fp16",
  quantized: "q8",
};

/** External data files of an `.onnx` file (`x.onnx.data`, `x.onnx_data`, `x.onnx_data_1`, …). */
function dataFilesOf(files: readonly string[], onnx: string): string[] {
  return files.filter((file) => file.startsWith(`${onnx}.data`) || file.startsWith(`${onnx}_data`));
}

function order(file: string): number {
  if (/\.onnx[._]data/.test(file)) return 0;
  if (file.endsWith(".onnx")) return 1;
  if (file.endsWith("genai_config.json")) return 4;
  if (file.endsWith("/config.json") || file === "config.json") return 3;
  return 2;
}

/**
 * The files of one variant that loading it needs, from the repo's file
 * list: for a GenAI variant, its folder's `.onnx` files with their external
 * data and the tokenizer and config files there; for an Optimum variant, the
 * one decoder file `--dtype` picks (as a local directory would: `auto` takes
 * the first of fp32, fp16, q4f16, q4, q8, … that the repo has; `bfloat16`
 * takes fp16, else fp32) with its data, and the tokenizer and config files.
 * Throws a `RangeError` (a usage error) when the Optimum variant has no file
 * of the asked dtype, naming those it has.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { variantFiles } from "./variant_files.ts";
 * const files = ["config.json", "tokenizer.json", "onnx/model.onnx", "onnx/model_q4.onnx",
 *   "onnx/model_q4.onnx_data", "README.md"];
 * assert.deepEqual(variantFiles(files, { path: "", layout: "optimum" }, "q4"), {
 *   files: ["onnx/model_q4.onnx_data", "onnx/model_q4.onnx", "tokenizer.json", "config.json"],
 *   loadDtype: "q4",
 * });
 * ```
 */
export function variantFiles(
  files: readonly string[],
  variant: HubVariant,
  dtype: string,
): VariantFiles {
  const prefix = variant.path === "" ? "" : `${variant.path}/`;
  const inFolder = (file: string) =>
    file.startsWith(prefix) && !file.slice(prefix.length).includes("/");
  const side = files.filter((file) =>
    inFolder(file) && MODEL_SIDE_FILES.includes(file.slice(prefix.length))
  );
  let chosen: string[];
  let loadDtype = "auto";
  if (variant.layout === "genai") {
    const onnx = files.filter((file) => inFolder(file) && file.endsWith(".onnx"));
    chosen = [...onnx.flatMap((file) => dataFilesOf(files, file)), ...onnx, ...side];
  } else {
    const candidates = (suffix: string) =>
      [
        `onnx/model${suffix}.onnx`,
        `onnx/decoder_model_merged${suffix}.onnx`,
        `model${suffix}.onnx`,
        `decoder_model_merged${suffix}.onnx`,
      ].map((name) => prefix + name).filter((name) => files.includes(name));
    const key = dtype.trim().toLowerCase();
    const wanted = DTYPE_ALIASES[key] ?? key;
    const tried = wanted === "auto"
      ? Object.keys(ONNX_DTYPE_SUFFIXES)
      : wanted === "bfloat16" || wanted === "bf16"
      ? ["fp16", "fp32"]
      : [wanted];
    let decoder: string | undefined;
    for (const name of tried) {
      const suffix = ONNX_DTYPE_SUFFIXES[name];
      if (suffix === undefined) {
        throw new RangeError(
          `Unknown --dtype ${JSON.stringify(dtype)}: expected auto, ${
            Object.keys(ONNX_DTYPE_SUFFIXES).join(", ")
          }, float32, float16 or bfloat16`,
        );
      }
      decoder = candidates(suffix)[0];
      if (decoder !== undefined) {
        loadDtype = name;
        break;
      }
    }
    if (decoder === undefined) {
      const present = files.filter((file) => file.startsWith(prefix) && file.endsWith(".onnx"));
      throw new RangeError(
        `The repo has no ${wanted} decoder file${
          prefix === "" ? "" : ` in ${variant.path}`
        } (it has ${present.join(", ") || "none"}): try --dtype auto`,
      );
    }
    chosen = [...dataFilesOf(files, decoder), decoder, ...side];
  }
  return { files: [...new Set(chosen)].sort((a, b) => order(a) - order(b)), loadDtype };
}
