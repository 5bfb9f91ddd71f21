/** The tiny GenAI model as a multi-variant Hub repo, for the mock Hub. */
import { join } from "node:path";
import { tinyModel } from "../generate/_fixtures.ts";
import type { MockRepo } from "../_mock_hub.ts";

/** Variant folders of the fixture repo, as in microsoft/Phi-3-mini-4k-instruct-onnx. */
export const CPU_VARIANT = "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4";
/** The CUDA variant folder. */
export const CUDA_VARIANT = "cuda/cuda-fp16";

/** A commit sha for the fixture repos. */
export const COMMIT = "0123456789abcdef0123456789abcdef01234567";

/** The tiny genai model (external data) under two variant folders, plus a README. */
export async function variantRepo(extra: Partial<MockRepo> = {}): Promise<MockRepo> {
  const model = await tinyModel({ layout: "genai", externalData: true });
  const files: Record<string, Uint8Array<ArrayBuffer>> = {
    "README.md": new TextEncoder().encode("# tiny\n"),
  };
  for await (const entry of Deno.readDir(model.dir)) {
    const bytes = await Deno.readFile(join(model.dir, entry.name));
    files[`${CPU_VARIANT}/${entry.name}`] = bytes;
    files[`${CUDA_VARIANT}/${entry.name}`] = bytes;
  }
  return { files, sha: COMMIT, ...extra };
}

/** A PyTorch/safetensors repo (no ONNX). */
export function pytorchRepo(): MockRepo {
  const encode = (text: string) => new TextEncoder().encode(text);
  return {
    sha: "f".repeat(40),
    files: {
      "config.json": encode("{}"),
      "model.safetensors": encode("weights"),
      "tokenizer.json": encode("{}"),
    },
  };
}
