/**
 * Models from the Hugging Face Hub: `--model-path org/name` resolved in the
 * local Hugging Face cache (huggingface_hub's layout, shared with the Python
 * tools) or downloaded from the Hub — only the files of the ONNX variant
 * that `--ep`/`--dtype`/`--variant` choose, resumed, verified and linked into
 * `snapshots/<commit>/` when complete.
 *
 * @example Choose a variant of a multi-variant repo
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseVariant, findVariants } from "./mod.ts";
 * const variants = findVariants([
 *   "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4/genai_config.json",
 *   "cuda/cuda-fp16/genai_config.json",
 * ]);
 * assert.equal(
 *   chooseVariant(variants, { ep: "cuda" }).variant.path,
 *   "cuda/cuda-fp16",
 * );
 * ```
 * @module
 */
export * from "./hf_cache_dir.ts";
export * from "./hub_settings.ts";
export * from "./is_hub_repo_id.ts";
export * from "./hub_error.ts";
export * from "./variant_choice_error.ts";
export * from "./find_variants.ts";
export * from "./choose_variant.ts";
export * from "./variant_files.ts";
export * from "./resolve_hub_model.ts";
