/** An ONNX Runtime execution provider llm-judge can use. */
export type ExecutionProvider = "cpu" | "webgpu" | "cuda";

/** The execution providers, in `--ep auto`'s order of preference. */
export const EXECUTION_PROVIDERS: readonly ExecutionProvider[] = ["cuda", "webgpu", "cpu"];

/**
 * Parses `--ep`: one provider (`cpu`, `webgpu`, `cuda`: that one or an
 * error), a comma-separated list tried in order (`webgpu,cpu`), or `auto`
 * (`cuda,webgpu,cpu`). Throws a `RangeError` for an unknown name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseExecutionProviders } from "./execution_provider.ts";
 * assert.deepEqual(parseExecutionProviders("auto"), ["cuda", "webgpu", "cpu"]);
 * assert.deepEqual(parseExecutionProviders("webgpu, cpu"), ["webgpu", "cpu"]);
 * ```
 */
export function parseExecutionProviders(spec: string): ExecutionProvider[] {
  const names = spec.split(",").map((name) => name.trim().toLowerCase()).filter((name) => name);
  if (names.length === 1 && names[0] === "auto") return [...EXECUTION_PROVIDERS];
  if (names.length === 0) throw new RangeError(`Empty --ep: expected cpu, webgpu, cuda or auto`);
  return names.map((name) => {
    if (!(EXECUTION_PROVIDERS as readonly string[]).includes(name)) {
      throw new RangeError(
        `Unknown execution provider ${
          JSON.stringify(name)
        }: expected cpu, webgpu, cuda, a comma-separated list of them, or auto`,
      );
    }
    return name as ExecutionProvider;
  });
}
