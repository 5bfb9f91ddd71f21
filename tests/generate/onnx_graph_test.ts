import assert from "node:assert/strict";
import {
  editDecoderGraph,
  inlineWeights,
  readGraph,
  readModelSkeleton,
} from "../../lib/generate/_onnx_graph.ts";
import { tinyModel } from "./_fixtures.ts";
import { tempPath } from "../_temp.ts";

const cache = (layers: number) =>
  Array.from({ length: layers }, (_, layer) =>
    ["key", "value"].map((kind) => ({
      past: `past_key_values.${layer}.${kind}`,
      present: `present.${layer}.${kind}`,
    }))).flat();

Deno.test("readModelSkeleton()", async (t) => {
  const tiny = await tinyModel();

  await t.step("references the weights in the file in place instead of reading them", async () => {
    const skeleton = await readModelSkeleton(tiny.onnxPath);
    assert.ok(skeleton.length < tiny.bytes / 10, `${skeleton.length} of ${tiny.bytes} bytes`);
    const graph = readGraph(skeleton);
    assert.deepEqual(graph.externalFiles, ["model.onnx"]);
    assert.ok(graph.initializers.has("lm_head.weight"));
    assert.deepEqual(graph.outputs.map((output) => output.name).slice(0, 2), [
      "logits",
      "present.0.key",
    ]);
  });

  await t.step("inlineWeights() puts the same file back together", async () => {
    const skeleton = await readModelSkeleton(tiny.onnxPath);
    const inlined = await inlineWeights(skeleton, tiny.onnxPath);
    assert.deepEqual(inlined, await Deno.readFile(tiny.onnxPath));
  });

  await t.step("keeps references to the model's own external data file", async () => {
    const external = await tinyModel({ externalData: true });
    const graph = readGraph(await readModelSkeleton(external.onnxPath));
    assert.deepEqual(graph.externalFiles, ["model.onnx_data"]);
  });

  await t.step("rejects a truncated file", async () => {
    const path = await tempPath({ suffix: ".onnx" });
    const bytes = await Deno.readFile(tiny.onnxPath);
    await Deno.writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await assert.rejects(readModelSkeleton(path), SyntaxError);
  });
});

Deno.test("editDecoderGraph()", async (t) => {
  const tiny = await tinyModel();
  const skeleton = await readModelSkeleton(tiny.onnxPath);

  await t.step("outputs new cache entries and slices the head's input to the last position", () => {
    const edited = editDecoderGraph(skeleton, { cache: cache(2), logits: "logits" });
    assert.ok(edited.newEntries instanceof Map);
    assert.equal(edited.newEntries.get("present.1.value"), "llm_judge.new.present.1.value");
    assert.equal(edited.lastLogits, true);
    const graph = readGraph(edited.bytes);
    const outputs = graph.outputs.map((output) => output.name);
    assert.ok(outputs.includes("llm_judge.new.present.0.key"));
    assert.ok(!outputs.includes("present.0.key"));
    const slice = graph.nodes.find((node) => node.outputs[0] === "llm_judge.last_position");
    assert.equal(slice?.opType, "Slice");
    const head = graph.nodes.find((node) => node.inputs.includes("lm_head.weight"));
    assert.equal(head?.inputs[0], slice.outputs[0]);
  });

  await t.step("leaves a cache that is not Concat(past, new) as it is, and says why", () => {
    const crossed = [{ past: "past_key_values.0.key", present: "present.0.value" }];
    const edited = editDecoderGraph(skeleton, { cache: crossed, logits: "logits" });
    assert.deepEqual(edited.newEntries, {
      reason: "present.0.value is not Concat(past_key_values.0.key, new) along the sequence axis",
    });
    assert.equal(edited.lastLogits, true);
    const missing = editDecoderGraph(skeleton, {
      cache: [{ past: "past.0", present: "present.9.key" }],
      logits: "no_such_output",
    });
    assert.deepEqual(missing.newEntries, { reason: "present.9.key is not a graph output" });
    assert.deepEqual(missing.lastLogits, { reason: "no node computes no_such_output" });
  });
});
