// deno-lint-ignore-file no-console
/**
 * llm-judge's ONNX backend on a GPU execution provider (run by
 * bench/gpu/run.sh): synthesizes a Llama-shaped model with random weights,
 * then measures tokens/s at batch 1 and 8 (aggregate; end to end and decode
 * only) and the first-token latency, greedy with a fixed number of new
 * tokens. Writes the shape and the exact prompt token ids beside the model,
 * so bench/gpu/hf_bench.py runs Hugging Face transformers on the same shape
 * and prompts, and the result as JSON.
 *
 * Usage: deno run -A bench/gpu/gen_gpu.ts --ep webgpu --shape small|medium
 *        [--models /tmp/llmj/models] [--new-tokens 128] [--repeat 3] --out FILE
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  BENCH_SHAPE,
  type LlamaShape,
  parameterCount,
  TINY_SHAPE,
  writeLlamaModel,
} from "../../scripts/write_llama_model.ts";
import { loadOnnxBackend } from "../../lib/generate/onnx_backend.ts";
import type { GenerationRequest } from "../../lib/generate/types.ts";

/** The shapes benchmarked on the GPU. */
const SHAPES: Record<string, LlamaShape> = {
  tiny: TINY_SHAPE,
  small: BENCH_SHAPE,
  medium: {
    vocabSize: 32000,
    hiddenSize: 1024,
    numLayers: 16,
    numHeads: 16,
    numKvHeads: 4,
    intermediateSize: 4096,
    maxPositions: 4096,
    ropeTheta: 500000,
    rmsEps: 1e-5,
  },
};

const { values } = parseArgs({
  args: Deno.args,
  options: {
    ep: { type: "string", default: "webgpu" },
    shape: { type: "string", default: "small" },
    models: { type: "string", default: "/tmp/llmj/models" },
    "new-tokens": { type: "string", default: "128" },
    "prompt-words": { type: "string", default: "6" },
    repeat: { type: "string", default: "3" },
    batches: { type: "string", default: "1,8" },
    out: { type: "string" },
  },
});
const shape = SHAPES[values.shape];
if (shape === undefined) throw new RangeError(`unknown --shape ${values.shape}`);
const newTokens = Number(values["new-tokens"]);
const repeat = Number(values.repeat);
const dir = join(values.models, values.shape);
const report: Record<string, unknown> = {
  engine: "llm-judge (onnxruntime-node 1.30.0)",
  requestedEp: values.ep,
  shape: values.shape,
  parameters: parameterCount(shape),
  ...shape,
  newTokens,
  repeat,
};
const write = async () => {
  const text = JSON.stringify(report, null, 2);
  if (values.out) await Deno.writeTextFile(values.out, text + "\n");
  console.log(text);
};

try {
  const marker = join(dir, "shape.json");
  let exists = false;
  try {
    exists = (await Deno.readTextFile(marker)) !== "";
  } catch {
    exists = false;
  }
  if (!exists) {
    const started = performance.now();
    const written = await writeLlamaModel(dir, { shape, seed: 7 });
    report.synthesizeSeconds = (performance.now() - started) / 1000;
    report.onnxBytes = written.bytes;
  }
  const loadStart = performance.now();
  const notices: string[] = [];
  const backend = await loadOnnxBackend(dir, {
    ep: values.ep,
    maxBatchSize: 8,
    onNotice: (text) => notices.push(text),
  });
  report.loadSeconds = (performance.now() - loadStart) / 1000;
  report.ep = backend.info.device;
  report.kvCache = backend.decoder.cacheOnDevice ? "device (gpu-buffer)" : "cpu";
  report.notices = notices;
  const words = ["the", "judge", "model", "answer", "question", "score", "bench", "turn"];
  const request = (variant: number): GenerationRequest => ({
    messages: [{
      role: "user",
      content: `${
        Array.from({ length: Number(values["prompt-words"]) }, (_, i) =>
          words[(i * 5 + variant) % words.length]).join(" ")
      } (${variant})`,
    }],
    temperature: 0,
    maxNewTokens: newTokens,
    ignoreEos: true,
  });
  // The exact prompt ids, for the Hugging Face side.
  if (!exists) {
    await Deno.writeTextFile(
      join(dir, "prompts.json"),
      JSON.stringify(
        Array.from(
          { length: 8 },
          (_, i) => backend.encode(backend.renderPrompt(request(i).messages)),
        ),
      ),
    );
    await Deno.writeTextFile(marker, JSON.stringify(shape));
  }
  for (const batch of values.batches.split(",").map(Number)) {
    const requests = Array.from({ length: batch }, (_, i) => request(i));
    const warm = performance.now();
    await backend.generate(requests);
    const warmupSeconds = (performance.now() - warm) / 1000;
    const endToEnd: number[] = [];
    const decode: number[] = [];
    const firstToken: number[] = [];
    for (let run = 0; run < repeat; run++) {
      const started = performance.now();
      const results = await backend.generate(requests);
      const seconds = (performance.now() - started) / 1000;
      const tokens = results.reduce((sum, result) => sum + result.completionTokens, 0);
      const first = Math.max(...results.map((result) => result.firstTokenMs));
      const last = Math.max(...results.map((result) => result.totalMs));
      endToEnd.push(tokens / seconds);
      decode.push((tokens - batch) / ((last - first) / 1000));
      firstToken.push(first);
      report.promptTokens = results[0]!.promptTokens;
    }
    const median = (list: number[]) =>
      [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    report[`batch${batch}`] = {
      tokensPerSecond: median(endToEnd),
      decodeTokensPerSecond: median(decode),
      firstTokenMs: median(firstToken),
      warmupSeconds,
      runs: endToEnd,
    };
    console.error(
      `gen_gpu: ${values.shape} ${backend.info.device} batch ${batch}: ${
        median(endToEnd).toFixed(1)
      } tok/s (${median(decode).toFixed(1)} decode), first token ${
        median(firstToken).toFixed(0)
      } ms`,
    );
  }
  await backend.close();
  await write();
} catch (error) {
  report.error = (error as Error).message;
  await write();
  Deno.exit(1);
}
