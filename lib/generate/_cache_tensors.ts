// Cache tensors over buffers a decoding loop keeps itself (KvSlots, GqaSlots).
import type * as ort from "npm:onnxruntime-node@1.30.0";

/** The onnxruntime-node module. */
export type Ort = typeof import("npm:onnxruntime-node@1.30.0");

/** A cache buffer: float32, or float16 as raw 16-bit words. */
export type CacheArray = Float32Array | Uint16Array;

/**
 * One tensor per cache name, each a view of the first `dims` elements of its
 * buffer (no copy): ONNX Runtime reads, or writes, the buffers in place.
 */
export function cacheTensors(
  runtime: Ort,
  names: readonly string[],
  buffers: readonly CacheArray[],
  type: "float32" | "float16",
  dims: readonly number[],
): Record<string, ort.Tensor> {
  const length = dims.reduce((product, dim) => product * dim, 1);
  const tensors: Record<string, ort.Tensor> = {};
  names.forEach((name, index) => {
    const data = buffers[index]!.subarray(0, length);
    tensors[name] = type === "float16"
      ? new runtime.Tensor("float16", data as Uint16Array, dims)
      : new runtime.Tensor("float32", data as Float32Array, dims);
  });
  return tensors;
}
