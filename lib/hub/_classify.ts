// What a variant's folder name says about its device and weights.

/** Device class of a variant folder. */
export type VariantDevice = "cpu" | "cuda" | "webgpu" | "directml" | "any";

/** Weight precision of a variant folder. */
export type VariantPrecision = "int4" | "int8" | "fp16" | "bf16" | "fp32" | "unknown";

function words(path: string): string[] {
  return path.toLowerCase().split(/[\/_.\-]+/).filter((word) => word !== "");
}

/** `cuda/cuda-fp16` → `cuda`; `cpu_and_mobile/…` → `cpu`; the root → `any`. */
export function deviceOf(path: string): VariantDevice {
  const parts = words(path);
  if (parts.some((word) => word === "cuda" || word === "gpu" || word === "tensorrt")) {
    return "cuda";
  }
  if (parts.some((word) => word === "directml" || word === "dml")) return "directml";
  if (parts.some((word) => word === "webgpu" || word === "web")) return "webgpu";
  if (parts.some((word) => word === "cpu" || word === "mobile")) return "cpu";
  return "any";
}

/** `cpu-int4-rtn-block-32` → `int4`; `cuda-fp16` → `fp16`. */
export function precisionOf(path: string): VariantPrecision {
  const text = path.toLowerCase();
  if (/int4|q4|4bit|awq|rtn|nbits/.test(text)) return "int4";
  if (/int8|q8|8bit|quantized/.test(text)) return "int8";
  if (/bf16|bfloat16/.test(text)) return "bf16";
  if (/fp16|float16|f16|half/.test(text)) return "fp16";
  if (/fp32|float32|f32/.test(text)) return "fp32";
  return "unknown";
}

/** `--dtype` (ONNX or FastChat names) as a precision; `auto` → undefined. */
export function requestedPrecision(dtype: string): VariantPrecision | undefined {
  const key = dtype.trim().toLowerCase();
  if (key === "auto") return undefined;
  const table: Record<string, VariantPrecision> = {
    fp32: "fp32",
    float32: "fp32",
    fp16: "fp16",
    float16: "fp16",
    half: "fp16",
    bf16: "bf16",
    bfloat16: "bf16",
    q4: "int4",
    int4: "int4",
    q4f16: "int4",
    bnb4: "int4",
    q8: "int8",
    int8: "int8",
    uint8: "int8",
    quantized: "int8",
  };
  const precision = table[key];
  if (precision === undefined) {
    throw new RangeError(
      `Unknown --dtype ${
        JSON.stringify(dtype)
      }: expected auto, fp32, fp16, q4, q4f16, q8, int8, uint8, bnb4, float32, float16 or bfloat16`,
    );
  }
  return precision;
}
