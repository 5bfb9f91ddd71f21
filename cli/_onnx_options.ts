// deno-lint-ignore-file no-console
// The options `gen` and `serve` share for loading a local ONNX model.
import type { LoadOnnxBackendOptions } from "../lib/generate/mod.ts";
import { integerOption } from "./_command.ts";

/** parseArgs options of the model loader. */
export const ONNX_MODEL_OPTIONS = {
  "model-path": { type: "string" },
  ep: { type: "string", default: "auto" },
  dtype: { type: "string", default: "auto" },
  template: { type: "string" },
  "batch-size": { type: "string", default: "8" },
  threads: { type: "string" },
  "graph-edit": { type: "boolean", default: true },
} as const;

/** The parsed values of {@linkcode ONNX_MODEL_OPTIONS}. */
export interface OnnxModelValues {
  ep: string;
  dtype: string;
  template?: string | undefined;
  "batch-size": string;
  threads?: string | undefined;
  "graph-edit": boolean;
}

/**
 * `loadOnnxBackend` options from the command line (usage errors for bad
 * numbers); notices go to stderr as `llm-judge <command>: note: …`.
 */
export function onnxLoadOptions(values: OnnxModelValues, command: string): LoadOnnxBackendOptions {
  return {
    ep: values.ep,
    dtype: values.dtype,
    template: values.template,
    maxBatchSize: integerOption(values["batch-size"], "--batch-size", 1),
    threads: values.threads === undefined
      ? undefined
      : integerOption(values.threads, "--threads", 1),
    editGraph: values["graph-edit"],
    onNotice: (text) => console.error(`llm-judge ${command}: note: ${text}`),
  };
}
