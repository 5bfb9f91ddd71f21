// deno-lint-ignore-file no-console
// The options `gen` and `serve` share for loading an ONNX model (a local
// directory or a Hugging Face Hub repo id).
import type { LoadOnnxBackendOptions } from "../lib/generate/mod.ts";
import { integerOption } from "./_command.ts";
import type { ModelSource } from "./_hub_model.ts";

/** parseArgs options of the model loader. */
export const ONNX_MODEL_OPTIONS = {
  "model-path": { type: "string" },
  ep: { type: "string", default: "auto" },
  dtype: { type: "string", default: "auto" },
  template: { type: "string" },
  "batch-size": { type: "string", default: "8" },
  threads: { type: "string" },
  "graph-edit": { type: "boolean", default: true },
  revision: { type: "string" },
  variant: { type: "string" },
} as const;

/** Help lines of the Hub options, shared by `gen --help` and `serve --help`. */
export const HUB_HELP = `Hugging Face Hub (--model-path org/name, when no such local path exists):
  --revision REV           branch, tag or commit sha (default main)
  --variant FOLDER         the repo's ONNX variant folder to use (default: chosen by
                           --ep and --dtype: cpu → a cpu variant, int4 first; cuda → a
                           cuda one, fp16 first; webgpu → a web one, else the cpu one)
  Files come from the Hugging Face cache (HF_HUB_CACHE, else HF_HOME/hub, else
  ~/.cache/huggingface/hub), shared with the Python tools; missing ones of the chosen
  variant are downloaded from HF_ENDPOINT (default https://huggingface.co), with
  HF_TOKEN for gated repos. HF_HUB_OFFLINE=1 uses the cache only.`;

/** The parsed values of {@linkcode ONNX_MODEL_OPTIONS}. */
export interface OnnxModelValues {
  ep: string;
  dtype: string;
  template?: string | undefined;
  "batch-size": string;
  threads?: string | undefined;
  "graph-edit": boolean;
  revision?: string | undefined;
  variant?: string | undefined;
}

/**
 * `loadOnnxBackend` options from the command line (usage errors for bad
 * numbers); notices go to stderr as `llm-judge <command>: note: …`.
 */
export function onnxLoadOptions(
  values: OnnxModelValues,
  command: string,
  source?: ModelSource,
): LoadOnnxBackendOptions {
  return {
    ep: values.ep,
    dtype: source?.loadDtype ?? values.dtype,
    modelName: source?.modelName,
    details: source?.details,
    template: values.template,
    maxBatchSize: integerOption(values["batch-size"], "--batch-size", 1),
    threads: values.threads === undefined
      ? undefined
      : integerOption(values.threads, "--threads", 1),
    editGraph: values["graph-edit"],
    onNotice: (text) => console.error(`llm-judge ${command}: note: ${text}`),
  };
}
