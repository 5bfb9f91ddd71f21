import assert from "node:assert/strict";
import {
  chooseVariant,
  findVariants,
  type HubVariant,
  VariantChoiceError,
} from "../../lib/hub/mod.ts";

// The variant folders of microsoft/Phi-3-mini-4k-instruct-onnx.
const PHI3 = findVariants([
  "cpu_and_mobile/cpu-int4-rtn-block-32/genai_config.json",
  "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4/genai_config.json",
  "cuda/cuda-fp16/genai_config.json",
  "cuda/cuda-int4-rtn-block-32/genai_config.json",
  "directml/directml-int4-awq-block-128/genai_config.json",
  "README.md",
]);

const pick = (variants: HubVariant[], ep: string, dtype = "auto") =>
  chooseVariant(variants, { ep, dtype }).variant.path;

Deno.test("chooseVariant()", async (t) => {
  await t.step("takes the CPU int4 acc-level-4 variant for --ep cpu and auto", () => {
    assert.equal(pick(PHI3, "cpu"), "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4");
    assert.equal(pick(PHI3, "auto"), "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4");
    assert.match(chooseVariant(PHI3, { ep: "auto" }).notice!, /--ep auto takes the CPU variant/);
  });

  await t.step("takes cuda fp16 first for --ep cuda, int4 with --dtype q4", () => {
    assert.equal(pick(PHI3, "cuda"), "cuda/cuda-fp16");
    assert.equal(pick(PHI3, "cuda", "float16"), "cuda/cuda-fp16");
    assert.equal(pick(PHI3, "cuda", "q4"), "cuda/cuda-int4-rtn-block-32");
  });

  await t.step("maps FastChat's bfloat16 to int4 on the CPU and fp16 on CUDA, saying why", () => {
    const cpu = chooseVariant(PHI3, { ep: "cpu", dtype: "bfloat16" });
    assert.equal(cpu.variant.path, "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4");
    assert.match(cpu.notice!, /^no bfloat16 variant: .* \(int4\) since ONNX Runtime's CPU kernels/);
    const cuda = chooseVariant(PHI3, { ep: "cuda", dtype: "bfloat16" });
    assert.equal(cuda.variant.path, "cuda/cuda-fp16");
    assert.match(cuda.notice!, /nearest 16-bit float/);
  });

  await t.step("webgpu takes a web variant, else the CPU one", () => {
    assert.equal(pick(PHI3, "webgpu"), "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4");
    const withWeb = [...PHI3, { path: "web/web-int4", layout: "genai" as const }];
    assert.equal(pick(withWeb, "webgpu"), "web/web-int4");
  });

  await t.step("an unmatched or ambiguous choice lists the variants", () => {
    assert.throws(
      () => pick(PHI3, "cpu", "fp16"),
      (error: Error) =>
        error instanceof VariantChoiceError &&
        /No variant fits --ep cpu --dtype fp16/.test(error.message) &&
        error.message.includes("directml/directml-int4-awq-block-128"),
    );
    const twins = findVariants([
      "a/cpu-int4-x/genai_config.json",
      "b/cpu-int4-y/genai_config.json",
    ]);
    assert.throws(() => pick(twins, "cpu"), /fits several variants equally/);
    assert.throws(() => chooseVariant(PHI3, { variant: "cuda" }), VariantChoiceError);
    assert.throws(() => pick(PHI3, "tpu"), RangeError);
    assert.throws(() => pick(PHI3, "cpu", "int3"), RangeError);
  });

  await t.step("--variant forces one; a single variant for the device is taken", () => {
    assert.equal(
      chooseVariant(PHI3, { ep: "cpu", variant: "cuda/cuda-fp16/" }).variant.path,
      "cuda/cuda-fp16",
    );
    const root = findVariants(["genai_config.json", "model.onnx"]);
    assert.equal(chooseVariant(root, { ep: "cuda", dtype: "float16" }).variant.path, "");
    const cpuOnly = findVariants(["cpu/int4/genai_config.json"]);
    assert.throws(() => pick(cpuOnly, "cuda"), VariantChoiceError);
  });
});
