import { parseExecutionProviders } from "../generate/execution_provider.ts";
import {
  deviceOf,
  precisionOf,
  requestedPrecision,
  type VariantDevice,
  type VariantPrecision,
} from "./_classify.ts";
import type { HubVariant } from "./find_variants.ts";
import { VariantChoiceError } from "./variant_choice_error.ts";

/** Options for {@linkcode chooseVariant}. */
export interface ChooseVariantOptions {
  /**
   * `--ep`: `cpu`, `cuda`, `webgpu`, a list (`webgpu,cpu`) or `auto`.
   * @default {"auto"}
   */
  ep?: string;
  /**
   * `--dtype`: `auto`, an ONNX name (`fp32`, `fp16`, `q4`, `int8`, …) or
   * FastChat's `float32`, `float16`, `bfloat16`.
   * @default {"auto"}
   */
  dtype?: string;
  /**
   * `--variant`: the folder to use, whatever `ep` and `dtype` say (`""` or
   * `.` for the root).
   * @default {undefined}
   */
  variant?: string | undefined;
}

/** The variant chosen, and what to tell the user about the choice. */
export interface VariantChoice {
  /** The variant. */
  variant: HubVariant;
  /** A one-line notice (which variant, and why), when the choice was not obvious. */
  notice: string | undefined;
}

/** Weight preference with `--dtype auto`, by device: int4 first on the CPU, fp16 first on CUDA. */
const AUTO_PRECISIONS: Readonly<Record<VariantDevice, readonly VariantPrecision[]>> = {
  cpu: ["int4", "int8", "fp32", "unknown", "fp16", "bf16"],
  any: ["int4", "int8", "fp32", "unknown", "fp16", "bf16"],
  webgpu: ["int4", "fp16", "unknown", "fp32", "int8", "bf16"],
  cuda: ["fp16", "int4", "unknown", "bf16", "fp32", "int8"],
  directml: ["int4", "fp16", "unknown", "fp32", "int8", "bf16"],
};

/** Device folders to look in, by `--ep`; `auto` prefers the CPU variant, which runs everywhere. */
function devicePreference(ep: string): VariantDevice[] {
  if (ep.trim().toLowerCase() === "auto") return ["cpu", "any", "cuda", "webgpu"];
  const order: VariantDevice[] = [];
  for (const provider of parseExecutionProviders(ep)) {
    const devices: VariantDevice[] = provider === "cpu"
      ? ["cpu", "any"]
      : provider === "cuda"
      ? ["cuda", "any"]
      : ["webgpu", "cpu", "any"];
    for (const device of devices) if (!order.includes(device)) order.push(device);
  }
  return order;
}

const label = (path: string) => path === "" ? "(root)" : path;

/**
 * Chooses the variant of a multi-variant ONNX repo (see `findVariants`) for
 * `--ep` and `--dtype`, from the folder names: the CPU takes a `cpu`
 * variant, int4 before int8 and fp32; CUDA a `cuda` one, fp16 before int4;
 * WebGPU a `web`/`webgpu` one, else the CPU one; `--ep auto` the CPU one.
 * `--dtype` narrows the weights (FastChat's `bfloat16`, which ONNX exports
 * lack, takes int4 or fp32 on the CPU and fp16 on a GPU, with a notice).
 * Among equals on the CPU, `acc-level-4` (int8 compute, faster) wins.
 * `--variant` forces one. A repo with one variant for the device gets that
 * one, whatever its weights.
 *
 * Throws a {@linkcode VariantChoiceError} (a usage error, listing the
 * variants) when nothing fits or several fit equally, and a `RangeError` for
 * an unknown `ep` or `dtype`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseVariant } from "./choose_variant.ts";
 * const variants = [
 *   { path: "cpu/cpu-int4-rtn-block-32", layout: "genai" as const },
 *   { path: "cpu/cpu-fp32", layout: "genai" as const },
 *   { path: "cuda/cuda-fp16", layout: "genai" as const },
 * ];
 * assert.equal(chooseVariant(variants, { ep: "cpu" }).variant.path, "cpu/cpu-int4-rtn-block-32");
 * assert.equal(chooseVariant(variants, { ep: "cpu", dtype: "float32" }).variant.path, "cpu/cpu-fp32");
 * assert.equal(chooseVariant(variants, { ep: "cuda" }).variant.path, "cuda/cuda-fp16");
 * ```
 */
export function chooseVariant(
  variants: readonly HubVariant[],
  options: ChooseVariantOptions = {},
): VariantChoice {
  const ep = options.ep ?? "auto";
  const dtype = options.dtype ?? "auto";
  const paths = variants.map((variant) => variant.path);
  if (variants.length === 0) throw new VariantChoiceError("The repo has no ONNX variant", paths);
  const requested = requestedPrecision(dtype);
  const devices = devicePreference(ep);

  if (options.variant !== undefined) {
    const wanted = options.variant.trim().replace(/^\.?\/+|\/+$/g, "").replace(/^\.$/, "");
    const found = variants.find((variant) => variant.path === wanted);
    if (found === undefined) {
      throw new VariantChoiceError(`No variant ${JSON.stringify(options.variant)}`, paths);
    }
    return { variant: found, notice: undefined };
  }
  if (variants.length === 1 && devices.includes(deviceOf(variants[0]!.path))) {
    const only = variants[0]!;
    const notice = requested !== undefined && only.layout === "genai"
      ? `the repo has one variant, ${label(only.path)}: --dtype ${dtype} does not choose`
      : undefined;
    return { variant: only, notice };
  }

  for (const device of devices) {
    const inDevice = variants.filter((variant) => deviceOf(variant.path) === device);
    if (inDevice.length === 0) continue;
    const precisions: readonly VariantPrecision[] = requested === undefined
      ? AUTO_PRECISIONS[device]
      : requested === "bf16"
      ? [
        "bf16",
        ...(device === "cpu" || device === "any"
          ? ["int4", "fp32"] as const
          : ["fp16", "int4"] as const),
      ]
      : [requested];
    for (const precision of precisions) {
      let matches = inDevice.filter((variant) =>
        variant.layout === "optimum" || precisionOf(variant.path) === precision
      );
      if (matches.length > 1 && (device === "cpu" || device === "any")) {
        const fast = matches.filter((variant) => variant.path.includes("acc-level-4"));
        if (fast.length > 0) matches = fast;
      }
      if (matches.length === 0) continue;
      if (matches.length > 1) {
        throw new VariantChoiceError(
          `--ep ${ep} --dtype ${dtype} fits several variants equally (${
            matches.map((variant) => label(variant.path)).join(", ")
          })`,
          paths,
        );
      }
      const chosen = matches[0]!;
      const shown = chosen.layout === "optimum" ? device : `${device}, ${precision}`;
      let notice = `variant ${
        label(chosen.path)
      } (${shown}) of ${variants.length}, for --ep ${ep} --dtype ${dtype}`;
      if (requested === "bf16" && precision !== "bf16") {
        notice = `no bfloat16 variant: --dtype bfloat16 uses ${label(chosen.path)} (${precision}) ${
          device === "cpu" || device === "any"
            ? "since ONNX Runtime's CPU kernels are fast for int4 and fp32, not for 16-bit floats"
            : "as the nearest 16-bit float type"
        }`;
      }
      if (ep.trim().toLowerCase() === "auto" && new Set(paths.map(deviceOf)).size > 1) {
        notice += "; --ep auto takes the CPU variant, --ep cuda or --ep webgpu another";
      }
      return { variant: chosen, notice };
    }
  }
  throw new VariantChoiceError(`No variant fits --ep ${ep} --dtype ${dtype}`, paths);
}
