/**
 * The tiny Llama fixture, written once per test process into a temporary
 * directory (removed when the test file ends) by the repository's own generator
 * (scripts/write_llama_model.ts).
 */
import { join } from "node:path";
import {
  GENAI_BUILDER_VARIANTS,
  writeLlamaModel,
  type WriteLlamaModelOptions,
  type WrittenModel,
} from "../../scripts/write_llama_model.ts";
import { tempDir } from "../_temp.ts";

const cache = new Map<string, Promise<WrittenModel>>();

/** A tiny model directory (cached per options); do not modify it, copy it with {@linkcode copyModel}. */
export function tinyModel(options: WriteLlamaModelOptions = {}): Promise<WrittenModel> {
  const key = JSON.stringify(options);
  let written = cache.get(key);
  if (written === undefined) {
    written = tempDir({ prefix: "llm-judge-tiny-" }).then((dir) =>
      writeLlamaModel(
        options.form === "genai-builder"
          ? join(dir, GENAI_BUILDER_VARIANTS[options.weights ?? "int4"])
          : dir,
        options,
      )
    );
    cache.set(key, written);
  }
  return written;
}

/**
 * The tiny model in ONNX Runtime GenAI's model-builder form (GroupQueryAttention,
 * MatMulNBits int4), written (once per options) into the published repository's
 * variant folder, `<temp>/cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4` (or
 * the dequantized variant's); `dir` is that folder.
 */
export function builderModel(
  options: Omit<WriteLlamaModelOptions, "layout" | "form"> = {},
): Promise<WrittenModel> {
  return tinyModel({ ...options, layout: "genai", form: "genai-builder" });
}

/** Copies a model directory (to break it or change a config). */
export async function copyModel(source: string): Promise<string> {
  const target = await tempDir({ prefix: "llm-judge-model-" });
  const copy = async (from: string, to: string) => {
    for await (const entry of Deno.readDir(from)) {
      if (entry.isDirectory) {
        await Deno.mkdir(join(to, entry.name));
        await copy(join(from, entry.name), join(to, entry.name));
      } else {
        await Deno.copyFile(join(from, entry.name), join(to, entry.name));
      }
    }
  };
  await copy(source, target);
  return target;
}

/** Reads, changes and writes back a JSON file. */
export async function editJson(
  path: string,
  edit: (value: Record<string, unknown>) => void,
): Promise<void> {
  const value = JSON.parse(await Deno.readTextFile(path));
  edit(value);
  await Deno.writeTextFile(path, JSON.stringify(value, null, 2));
}

/** Prompts used across the generation tests. */
export const PROMPTS = [
  "Write a short poem about the sea.",
  "What is 2+2?",
  "Explain gravity in one sentence, please, with an example from daily life.",
  "Hi",
];
