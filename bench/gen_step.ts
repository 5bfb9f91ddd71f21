// deno-lint-ignore-file no-console
/**
 * `deno task bench:gen-step`: one decoding step of the CPU benchmark model
 * (bench/gen_cpu.ts writes it), the graph as exported vs as llm-judge edits
 * it, side by side in one process at several batch sizes and cache lengths.
 *
 * - exported: `present` (the whole cache) comes back from ONNX Runtime and is
 *   fed in as the next step's `past`, as transformers.js and llm-judge's
 *   batch-after-batch loop do;
 * - edited: the graph returns only the step's new entries, which go into
 *   {@linkcode KvSlots}; its buffers are the next step's `past`.
 *
 * Steps alternate between the two sessions (the machine may be shared), and
 * the median of each is printed with the ratio and the page faults per step.
 *
 * Usage: deno task bench:gen-step [--model-dir DIR] [--steps 24] [--out FILE]
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as ort from "npm:onnxruntime-node@1.30.0";
import { KvSlots } from "../lib/generate/_kv_slots.ts";
import { OnnxDecoder, readModelDirectory } from "../lib/generate/mod.ts";

const root = new URL("..", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    "model-dir": { type: "string", default: join(root, "out", "models", "bench100m_l10") },
    steps: { type: "string", default: "24" },
    out: { type: "string", default: join(root, "out", "bench", "gen_step.json") },
  },
});
const steps = Number(values.steps);
const model = await readModelDirectory(values["model-dir"]);
const exported = await OnnxDecoder.load(model, { ep: "cpu", editGraph: false });
const edited = await OnnxDecoder.load(model, { ep: "cpu" });
if (!edited.newEntries) throw new Error(`the graph was not edited: ${edited.graphNotes}`);

function minorFaults(): number {
  return Number(Deno.readTextFileSync("/proc/self/stat").split(") ")[1]!.split(" ")[7]);
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** A cache of `length` random entries per row, as the exported graph's `past`. */
function exportedCache(batch: number, length: number): Record<string, ort.Tensor> {
  const cache: Record<string, ort.Tensor> = {};
  for (const name of exported.pastNames) {
    const data = new Float32Array(batch * model.numKvHeads * length * model.headDim);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i) * 0.1;
    cache[name] = new ort.Tensor("float32", data, [batch, model.numKvHeads, length, model.headDim]);
  }
  return cache;
}

const ids = (batch: number) => new BigInt64Array(batch).fill(42n);
const rows: Record<string, number | string>[] = [];
for (const [batch, length] of [[1, 300], [1, 1000], [8, 300], [8, 1000]] as const) {
  let past = exportedCache(batch, length);
  const slots = new KvSlots(ort, {
    maxRows: batch,
    heads: model.numKvHeads,
    size: model.headDim,
    type: "float32",
  }, edited.pastNames);
  for (let row = 0; row < batch; row++) slots.addRow(past, row, 0, length);
  let total = length;
  const time = { exported: [] as number[], edited: [] as number[] };
  const faults = { exported: 0, edited: 0 };
  for (let step = 0; step < steps + 2; step++) {
    const warm = step >= 2;
    let before = minorFaults();
    let started = performance.now();
    const out = await exported.forward({
      inputIds: ids(batch),
      attentionMask: new BigInt64Array(batch * (total + 1)).fill(1n),
      positionIds: new BigInt64Array(batch).fill(BigInt(total)),
      batch,
      length: 1,
      past,
    });
    past = out.present;
    total++;
    if (warm) {
      time.exported.push(performance.now() - started);
      faults.exported += minorFaults() - before;
    }
    before = minorFaults();
    started = performance.now();
    slots.makeRoom();
    const next = await edited.forward({
      inputIds: ids(batch),
      attentionMask: slots.mask(),
      positionIds: new BigInt64Array(batch).fill(BigInt(total)),
      batch,
      length: 1,
      past: slots.pastFeeds(),
    });
    slots.append(next.present);
    if (warm) {
      time.edited.push(performance.now() - started);
      faults.edited += minorFaults() - before;
    }
  }
  const row = {
    batch,
    cache: `${length}…${total}`,
    exportedMs: median(time.exported),
    editedMs: median(time.edited),
    speedup: median(time.exported) / median(time.edited),
    exportedFaultsPerStep: Math.round(faults.exported / steps),
    editedFaultsPerStep: Math.round(faults.edited / steps),
  };
  rows.push(row);
  console.error(`bench:gen-step: ${JSON.stringify(row)}`);
}
await exported.close();
await edited.close();

console.log(`Model: ${model.dir} (${model.numLayers} layers), median of ${steps} steps each\n`);
console.log(
  "| batch | cache entries | exported graph ms/step | edited graph ms/step | speed-up | page faults/step (exported / edited) |",
);
console.log("| --- | --- | --- | --- | --- | --- |");
for (const row of rows) {
  console.log(
    `| ${row.batch} | ${row.cache} | ${(row.exportedMs as number).toFixed(1)} | ${
      (row.editedMs as number).toFixed(1)
    } | ${
      (row.speedup as number).toFixed(2)
    }× | ${row.exportedFaultsPerStep} / ${row.editedFaultsPerStep} |`,
  );
}
for (const length of [300, 1000]) {
  const one = rows.find((row) => row.batch === 1 && String(row.cache).startsWith(`${length}…`));
  const eight = rows.find((row) => row.batch === 8 && String(row.cache).startsWith(`${length}…`));
  if (one === undefined || eight === undefined) continue;
  const ceiling = (key: "exportedMs" | "editedMs") =>
    ((8 * (one[key] as number)) / (eight[key] as number)).toFixed(2);
  console.log(
    `\ncache ${length}: tokens/s at batch 8 / batch 1 from step times alone: exported ${
      ceiling("exportedMs")
    }×, edited ${ceiling("editedMs")}×`,
  );
}
console.log(`load average: ${Deno.loadavg().map((value) => value.toFixed(1)).join(" ")}`);
await Deno.mkdir(join(values.out, ".."), { recursive: true });
await Deno.writeTextFile(values.out, JSON.stringify({ model: model.dir, steps, rows }, null, 2));
console.log(`\nwritten to ${values.out}`);
