// deno-lint-ignore-file no-console
/**
 * Writes Llama-architecture ONNX model directories (`deno task fixtures`):
 * the tiny test model (2 layers, hidden size 64, byte-level vocabulary) or
 * the ~100M-parameter benchmark model, in the Optimum / transformers.js
 * layout, the ONNX Runtime GenAI layout, or both. Weights are deterministic
 * from `--seed`. Nothing it writes is committed.
 *
 * ```sh
 * deno task fixtures --out out/models/tiny                 # both layouts: tiny/optimum, tiny/genai
 * deno task fixtures --out out/models/bench --preset bench --layout optimum
 * deno task fixtures --out out/models/bench-ext --preset bench --external-data  # weights in model.onnx_data / model.onnx.data
 * # ONNX Runtime GenAI model-builder form (GroupQueryAttention, MatMulNBits int4), in
 * # out/models/tiny-gqa/cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4/ (and, with
 * # --weights both, cpu_and_mobile/cpu-fp32-dequantized-rtn-block-32/ with the same weights dequantized)
 * deno task fixtures --out out/models/tiny-gqa --form genai-builder --weights both
 * ```
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  BENCH_SHAPE,
  GENAI_BUILDER_VARIANTS,
  type LlamaShape,
  TINY_SHAPE,
  writeLlamaModel,
} from "./write_llama_model.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    out: { type: "string", default: "out/models/tiny" },
    preset: { type: "string", default: "tiny" },
    layout: { type: "string", default: "both" },
    seed: { type: "string", default: "1" },
    layers: { type: "string" },
    "no-chat-template": { type: "boolean", default: false },
    "external-data": { type: "boolean", default: false },
    form: { type: "string", default: "opset17" },
    weights: { type: "string", default: "int4" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(
    "Usage: deno task fixtures [--out DIR] [--preset tiny|bench] [--layout optimum|genai|both] [--seed N] [--layers N] [--no-chat-template] [--external-data] [--form opset17|genai-builder [--weights int4|dequantized|both]]",
  );
  Deno.exit(0);
}
const presets: Record<string, LlamaShape> = { tiny: TINY_SHAPE, bench: BENCH_SHAPE };
const base = presets[values.preset];
if (base === undefined) {
  console.error(
    `make_llama: unknown --preset ${JSON.stringify(values.preset)}: expected tiny or bench`,
  );
  Deno.exit(2);
}
const shape = values.layers === undefined ? base : { ...base, numLayers: Number(values.layers) };
if (values.form !== "opset17" && values.form !== "genai-builder") {
  console.error(
    `make_llama: unknown --form ${JSON.stringify(values.form)}: expected opset17 or genai-builder`,
  );
  Deno.exit(2);
}
if (!["int4", "dequantized", "both"].includes(values.weights)) {
  console.error(
    `make_llama: unknown --weights ${
      JSON.stringify(values.weights)
    }: expected int4, dequantized or both`,
  );
  Deno.exit(2);
}
/** What to write: layout, weights and directory of each model. */
const targets: { layout: string; weights: "int4" | "dequantized"; dir: string }[] = [];
if (values.form === "genai-builder") {
  const kinds = values.weights === "both" ? ["int4", "dequantized"] as const : [
    values.weights as "int4" | "dequantized",
  ];
  for (const weights of kinds) {
    targets.push({
      layout: "genai",
      weights,
      dir: join(values.out, GENAI_BUILDER_VARIANTS[weights]),
    });
  }
} else {
  const layouts = values.layout === "both" ? ["optimum", "genai"] : [values.layout];
  for (const layout of layouts) {
    const dir = values.layout === "both" ? join(values.out, layout) : values.out;
    targets.push({ layout, weights: "int4", dir });
  }
}
for (const { layout, weights, dir } of targets) {
  if (layout !== "optimum" && layout !== "genai") {
    console.error(
      `make_llama: unknown --layout ${JSON.stringify(layout)}: expected optimum, genai or both`,
    );
    Deno.exit(2);
  }
  const started = performance.now();
  const written = await writeLlamaModel(dir, {
    layout,
    shape,
    seed: Number(values.seed),
    externalData: values["external-data"] || values.form === "genai-builder",
    form: values.form,
    weights,
    ...(values["no-chat-template"] ? { chatTemplate: null } : {}),
  });
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const size = written.dataBytes === undefined
    ? mib(written.bytes)
    : `${mib(written.bytes)} + ${mib(written.dataBytes)} external data`;
  console.log(
    `make_llama: ${dir} (${
      values.form === "genai-builder" ? `genai-builder, ${weights}` : layout
    }): ${(written.parameters / 1e6).toFixed(1)}M parameters, ${size}, in ${
      ((performance.now() - started) / 1000).toFixed(1)
    }s`,
  );
}
