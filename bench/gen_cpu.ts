// deno-lint-ignore-file no-console
/**
 * `deno task bench:gen`: generation speed on the CPU, llm-judge's ONNX backend
 * and transformers.js side by side in one run, on the same synthesized
 * ~100M-parameter Llama-shaped model (random weights, written to
 * out/models/bench100m once; never committed).
 *
 * Each engine runs in its own subprocess (so peak RSS is its own) on the same
 * prompt token ids, greedy, with a fixed number of new tokens (end tokens
 * ignored). Engines: `ours` (graph edited for the CPU loop, continuous
 * batching), `ours-unedited` (the graph as exported, batch after batch: the
 * loop before the edit) and `transformers.js`. Reported: tokens/s at batch 1
 * and batch 8 (aggregate), the first-token latency (prompt + first token),
 * peak RSS (VmHWM), and for `ours` 16 requests of mixed lengths at batch 8,
 * continuous vs batch after batch.
 *
 * With `--form genai-builder`, the model is written as ONNX Runtime GenAI's
 * model builder writes it for the CPU (GroupQueryAttention, MatMulNBits int4
 * block 32, accuracy level 4; in
 * out/models/bench100m_l<layers>_builder/cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4)
 * and only `ours` runs: transformers.js reads the Optimum layout
 * (config.json, onnx/model*.onnx), not a GenAI folder.
 *
 * Usage: deno task bench:gen [--new-tokens 128] [--prompt-words 6] [--repeat 2]
 *        [--rounds 2] [--layers 10] [--threads N] [--form opset17|genai-builder]
 *        [--engines ours,ours-unedited,transformers.js] [--out FILE]
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  BENCH_SHAPE,
  GENAI_BUILDER_VARIANTS,
  writeLlamaModel,
} from "../scripts/write_llama_model.ts";

const root = new URL("..", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    "new-tokens": { type: "string", default: "128" },
    "prompt-words": { type: "string", default: "6" },
    repeat: { type: "string", default: "2" },
    rounds: { type: "string", default: "2" },
    layers: { type: "string", default: String(BENCH_SHAPE.numLayers) },
    threads: { type: "string" },
    engines: { type: "string" },
    form: { type: "string", default: "opset17" },
    "model-dir": { type: "string" },
    out: { type: "string", default: join(root, "out", "bench", "gen_cpu.json") },
    ep: { type: "string", default: "cpu" },
    // Internal: run one engine in this process and print its JSON result.
    engine: { type: "string" },
    prompt: { type: "string" },
  },
});

const newTokens = Number(values["new-tokens"]);
const repeat = Number(values.repeat);
const threads = values.threads === undefined ? undefined : Number(values.threads);

/** One engine's numbers. */
interface EngineResult {
  engine: string;
  ep: string;
  loadSeconds: number;
  promptTokens: number;
  firstTokenMs: number;
  batch1TokensPerSecond: number;
  batch8TokensPerSecond: number | null;
  /** Tokens/s after the first token (prompt excluded). */
  batch1DecodeTokensPerSecond: number;
  batch8DecodeTokensPerSecond: number | null;
  batch8Note?: string;
  peakRssMb: number;
  /** 16 requests of mixed lengths at batch 8: aggregate tok/s, continuous and batch after batch. */
  mixed?: { continuous: number; static: number; tokens: number };
}

function peakRssMb(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = Number(status.match(/VmHWM:\s+(\d+) kB/)?.[1]);
    if (Number.isFinite(kb)) return kb / 1024;
  } catch {
    // not Linux
  }
  return Deno.memoryUsage().rss / 2 ** 20;
}

/** The median (the mean of the middle two for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function promptMessages(words: number, variant: number) {
  const vocabulary = [
    "the",
    "judge",
    "model",
    "answer",
    "question",
    "score",
    "bench",
    "turn",
    "reason",
    "write",
  ];
  const text = Array.from(
    { length: words },
    (_, i) => vocabulary[(i * 7 + variant * 3) % vocabulary.length],
  ).join(" ");
  return [{ role: "user" as const, content: `${text} (${variant})` }];
}

async function runOurs(
  dir: string,
  prompts: string[],
  editGraph: boolean,
): Promise<EngineResult> {
  const { loadOnnxBackend } = await import("../lib/generate/mod.ts");
  const started = performance.now();
  const options = { ep: values.ep, threads, maxBatchSize: 8, editGraph };
  const backend = await loadOnnxBackend(dir, options);
  const loadSeconds = (performance.now() - started) / 1000;
  const request = (index: number) => ({
    messages: promptMessages(Number(values["prompt-words"]), index),
    temperature: 0,
    maxNewTokens: newTokens,
    ignoreEos: true,
  });
  void prompts;
  // Warm up (first runs allocate).
  await backend.generate([request(0)]);
  await backend.generate(Array.from({ length: 8 }, (_, i) => request(i)));
  const firstToken: number[] = [];
  const batch1: number[] = [];
  const batch8: number[] = [];
  const decode1: number[] = [];
  const decode8: number[] = [];
  let promptTokens = 0;
  for (let run = 0; run < repeat; run++) {
    const t1 = performance.now();
    const [one] = await backend.generate([request(0)]);
    const seconds1 = (performance.now() - t1) / 1000;
    promptTokens = one!.promptTokens;
    firstToken.push(one!.firstTokenMs);
    batch1.push(one!.completionTokens / seconds1);
    decode1.push((one!.completionTokens - 1) / ((one!.totalMs - one!.firstTokenMs) / 1000));
    const t8 = performance.now();
    const eight = await backend.generate(Array.from({ length: 8 }, (_, i) => request(i)));
    const seconds8 = (performance.now() - t8) / 1000;
    const tokens8 = eight.reduce((sum, result) => sum + result.completionTokens, 0);
    batch8.push(tokens8 / seconds8);
    const first8 = Math.max(...eight.map((result) => result.firstTokenMs));
    const last8 = Math.max(...eight.map((result) => result.totalMs));
    decode8.push((tokens8 - eight.length) / ((last8 - first8) / 1000));
  }
  // Mixed lengths (as real replies are): 16 requests, budgets from 1/8 to all
  // of --new-tokens, continuous batching vs batch after batch (same graph).
  let mixed: EngineResult["mixed"];
  if (editGraph) {
    const budgets = Array.from({ length: 16 }, (_, i) => Math.max(2, newTokens >> (3 - (i % 4))));
    const requests = budgets.map((maxNewTokens, i) => ({ ...request(i % 8), maxNewTokens }));
    const staticBackend = await loadOnnxBackend(dir, { ...options, continuous: false });
    const rate = async (target: typeof backend) => {
      const t = performance.now();
      const results = await target.generate(requests);
      return results.reduce((sum, result) => sum + result.completionTokens, 0) /
        ((performance.now() - t) / 1000);
    };
    const tokens = budgets.reduce((sum, budget) => sum + budget, 0);
    mixed = { continuous: await rate(backend), static: await rate(staticBackend), tokens };
    await staticBackend.close();
  }
  await backend.close();
  return {
    engine: backend.decoder.groupQueryAttention
      ? "llm-judge (onnxruntime-node, GroupQueryAttention int4 graph, continuous batching)"
      : editGraph
      ? "llm-judge (onnxruntime-node, edited graph, continuous batching)"
      : "llm-judge, graph as exported (batch after batch)",
    ep: backend.info.device,
    loadSeconds,
    promptTokens,
    firstTokenMs: median(firstToken),
    batch1TokensPerSecond: median(batch1),
    batch8TokensPerSecond: median(batch8),
    batch1DecodeTokensPerSecond: median(decode1),
    batch8DecodeTokensPerSecond: median(decode8),
    peakRssMb: peakRssMb(),
    ...(mixed === undefined ? {} : { mixed }),
  };
}

async function runTransformersJs(dir: string, prompts: string[]): Promise<EngineResult> {
  const transformers = await import("npm:@huggingface/transformers@4.3.2");
  const { env, AutoTokenizer, AutoModelForCausalLM } = transformers;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = join(dir, "..");
  const name = dir.split("/").filter((part) => part).at(-1)!;
  const started = performance.now();
  const tokenizer = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
  const model = await AutoModelForCausalLM.from_pretrained(name, {
    local_files_only: true,
    dtype: "fp32",
    device: "cpu",
    ...(threads === undefined ? {} : { session_options: { intraOpNumThreads: threads } }),
  });
  const loadSeconds = (performance.now() - started) / 1000;
  const encode = (texts: string[]) => {
    tokenizer.padding_side = "left";
    return tokenizer(texts, { add_special_tokens: false, padding: true });
  };
  const generate = async (texts: string[], tokens: number) => {
    const inputs = encode(texts);
    const output = await model.generate({
      ...inputs,
      max_new_tokens: tokens,
      min_new_tokens: tokens,
      do_sample: false,
    });
    return output;
  };
  await generate([prompts[0]!], newTokens);
  const firstToken: number[] = [];
  const batch1: number[] = [];
  const batch8: number[] = [];
  const decode1: number[] = [];
  const decode8: number[] = [];
  let batch8Note: string | undefined;
  for (let run = 0; run < repeat; run++) {
    const t0 = performance.now();
    await generate([prompts[0]!], 1);
    const first = performance.now() - t0;
    firstToken.push(first);
    const t1 = performance.now();
    await generate([prompts[0]!], newTokens);
    const ms1 = performance.now() - t1;
    batch1.push(newTokens / (ms1 / 1000));
    decode1.push((newTokens - 1) / ((ms1 - first) / 1000));
    if (batch8Note === undefined) {
      try {
        const f8 = performance.now();
        await generate(prompts.slice(0, 8), 1);
        const first8 = performance.now() - f8;
        const t8 = performance.now();
        await generate(prompts.slice(0, 8), newTokens);
        const ms8 = performance.now() - t8;
        batch8.push((8 * newTokens) / (ms8 / 1000));
        decode8.push((8 * (newTokens - 1)) / ((ms8 - first8) / 1000));
      } catch (error) {
        batch8Note = `batch 8 failed: ${(error as Error).message.split("\n")[0]}`;
      }
    }
  }
  const promptTokens = encode([prompts[0]!]).input_ids.dims[1] as number;
  return {
    engine: "transformers.js 4.3.2 (onnxruntime-node)",
    ep: "cpu",
    loadSeconds,
    promptTokens,
    firstTokenMs: median(firstToken),
    batch1TokensPerSecond: median(batch1),
    batch8TokensPerSecond: batch8.length > 0 ? median(batch8) : null,
    batch1DecodeTokensPerSecond: median(decode1),
    batch8DecodeTokensPerSecond: decode8.length > 0 ? median(decode8) : null,
    ...(batch8Note === undefined ? {} : { batch8Note }),
    peakRssMb: peakRssMb(),
  };
}

if (values.engine !== undefined) {
  const dir = values["model-dir"]!;
  const prompts = JSON.parse(values.prompt ?? "[]") as string[];
  const result = values.engine === "tjs"
    ? await runTransformersJs(dir, prompts)
    : await runOurs(dir, prompts, values.engine === "ours");
  console.log(`RESULT ${JSON.stringify(result)}`);
  Deno.exit(0);
}

// Parent: synthesize the model once, then run each engine in a subprocess.
const layers = Number(values.layers);
const shape = { ...BENCH_SHAPE, numLayers: layers };
const builder = values.form === "genai-builder";
if (!builder && values.form !== "opset17") {
  console.error(
    `bench:gen: unknown --form ${JSON.stringify(values.form)}: expected opset17 or genai-builder`,
  );
  Deno.exit(2);
}
const engines = (values.engines ?? (builder ? "ours" : "ours,ours-unedited,transformers.js"))
  .split(",")
  .filter((engine) => {
    if (!builder || engine !== "transformers.js") return true;
    console.error(
      "bench:gen: transformers.js skipped: it reads the Optimum layout (config.json, onnx/model*.onnx), not a GenAI folder",
    );
    return false;
  });
const dir = values["model-dir"] ??
  (builder
    ? join(root, "out", "models", `bench100m_l${layers}_builder`, GENAI_BUILDER_VARIANTS.int4)
    : join(root, "out", "models", `bench100m_l${layers}`));
const marker = join(dir, ".llm-judge-shape.json");
const wanted = JSON.stringify({ ...shape, form: values.form });
let existing: string | undefined;
try {
  existing = await Deno.readTextFile(marker);
} catch {
  existing = undefined;
}
if (existing !== wanted) {
  const started = performance.now();
  const written = await writeLlamaModel(
    dir,
    builder ? { shape, seed: 7, layout: "genai", form: "genai-builder" } : { shape, seed: 7 },
  );
  await Deno.writeTextFile(marker, wanted);
  console.error(
    `bench:gen: synthesized ${dir}: ${(written.parameters / 1e6).toFixed(1)}M parameters, ${
      (written.bytes / 2 ** 20).toFixed(0)
    } MiB, in ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
}
// The same prompt text for both engines: our chat template rendered once.
const { loadOnnxBackend } = await import("../lib/generate/mod.ts");
const probe = await loadOnnxBackend(dir, { ep: "cpu" });
const prompts = Array.from(
  { length: 8 },
  (_, i) => probe.renderPrompt(promptMessages(Number(values["prompt-words"]), i)),
);
await probe.close();

// Engines alternate for --rounds rounds (the machine may be shared: the best
// round of each engine is kept, since other load only slows a round down).
const runs = new Map<string, EngineResult[]>();
const modelFile = builder ? join(dir, "model.onnx.data") : join(dir, "onnx", "model.onnx");
for (let round = 0; round < Number(values.rounds); round++) {
  for (const engine of engines) {
    await Deno.readFile(modelFile); // Into the page cache, for both engines alike.
    const id = engine === "transformers.js" ? "tjs" : engine;
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        new URL(import.meta.url).pathname,
        "--engine",
        id,
        "--model-dir",
        dir,
        "--prompt",
        JSON.stringify(prompts),
        "--new-tokens",
        String(newTokens),
        "--repeat",
        String(repeat),
        "--prompt-words",
        values["prompt-words"],
        "--ep",
        values.ep,
        ...(threads === undefined ? [] : ["--threads", String(threads)]),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const line = stdout.split("\n").find((text) => text.startsWith("RESULT "));
    if (!output.success || line === undefined) {
      console.error(`bench:gen: ${engine} failed:\n${new TextDecoder().decode(output.stderr)}`);
      continue;
    }
    const result = JSON.parse(line.slice(7)) as EngineResult;
    console.error(
      `bench:gen: round ${round + 1} ${engine}: batch 1 ${
        result.batch1TokensPerSecond.toFixed(1)
      } tok/s, batch 8 ${result.batch8TokensPerSecond?.toFixed(1)} tok/s (load average ${
        Deno.loadavg()[0]!.toFixed(1)
      })`,
    );
    runs.set(engine, [...(runs.get(engine) ?? []), result]);
  }
}
const best = (list: EngineResult[]): EngineResult => {
  const max = (pick: (result: EngineResult) => number | null) =>
    Math.max(...list.map((result) => pick(result) ?? Number.NEGATIVE_INFINITY));
  const top8 = max((result) => result.batch8TokensPerSecond);
  const top8Decode = max((result) => result.batch8DecodeTokensPerSecond);
  return {
    ...list[0]!,
    loadSeconds: Math.min(...list.map((result) => result.loadSeconds)),
    firstTokenMs: Math.min(...list.map((result) => result.firstTokenMs)),
    batch1TokensPerSecond: max((result) => result.batch1TokensPerSecond),
    batch1DecodeTokensPerSecond: max((result) => result.batch1DecodeTokensPerSecond),
    batch8TokensPerSecond: Number.isFinite(top8) ? top8 : null,
    batch8DecodeTokensPerSecond: Number.isFinite(top8Decode) ? top8Decode : null,
    peakRssMb: Math.max(...list.map((result) => result.peakRssMb)),
    ...(list[0]!.mixed === undefined ? {} : {
      mixed: {
        continuous: Math.max(...list.map((result) => result.mixed!.continuous)),
        static: Math.max(...list.map((result) => result.mixed!.static)),
        tokens: list[0]!.mixed.tokens,
      },
    }),
  };
};
const results: EngineResult[] = [...runs.values()].map(best);
/** Median over rounds (the best round flatters an engine that had one quiet round). */
const medians = new Map(
  [...runs.values()].map((list) => [list[0]!.engine, {
    batch1: median(list.map((result) => result.batch1TokensPerSecond)),
    batch8: median(list.map((result) => result.batch8TokensPerSecond ?? Number.NaN)),
    firstTokenMs: median(list.map((result) => result.firstTokenMs)),
    ...(list[0]!.mixed === undefined ? {} : {
      mixedContinuous: median(list.map((result) => result.mixed!.continuous)),
      mixedStatic: median(list.map((result) => result.mixed!.static)),
    }),
  }]),
);

const ours = results.find((result) => result.engine.startsWith("llm-judge (onnxruntime-node"));
const unedited = results.find((result) => result.engine.startsWith("llm-judge, graph"));
const tjs = results.find((result) => result.engine.startsWith("transformers.js"));
const summary = {
  model: {
    dir,
    ...shape,
    parameters: (await import("../scripts/write_llama_model.ts")).parameterCount(shape),
  },
  newTokens,
  repeat,
  rounds: Number(values.rounds),
  roundsByEngine: Object.fromEntries(runs),
  threads: threads ?? "default",
  cpu: Deno.build.arch,
  cores: navigator.hardwareConcurrency,
  results,
  mediansOfRounds: Object.fromEntries(medians),
  ratios: {
    batch1VsTransformersJs: ours && tjs
      ? ours.batch1TokensPerSecond / tjs.batch1TokensPerSecond
      : null,
    batch8VsBatch1: ours && ours.batch8TokensPerSecond !== null
      ? ours.batch8TokensPerSecond / ours.batch1TokensPerSecond
      : null,
    firstTokenVsTransformersJs: ours && tjs ? tjs.firstTokenMs / ours.firstTokenMs : null,
    decodeBatch1VsTransformersJs: ours && tjs
      ? ours.batch1DecodeTokensPerSecond / tjs.batch1DecodeTokensPerSecond
      : null,
    decodeBatch8VsBatch1: ours && ours.batch8DecodeTokensPerSecond !== null
      ? ours.batch8DecodeTokensPerSecond / ours.batch1DecodeTokensPerSecond
      : null,
    batch1VsUnedited: ours && unedited
      ? ours.batch1TokensPerSecond / unedited.batch1TokensPerSecond
      : null,
    batch8VsUnedited: ours?.batch8TokensPerSecond && unedited?.batch8TokensPerSecond
      ? ours.batch8TokensPerSecond / unedited.batch8TokensPerSecond
      : null,
    mixedContinuousVsStatic: ours?.mixed ? ours.mixed.continuous / ours.mixed.static : null,
  },
};
await Deno.mkdir(join(values.out, ".."), { recursive: true });
await Deno.writeTextFile(values.out, JSON.stringify(summary, null, 2) + "\n");

const fixed = (value: number | null) => value === null ? "n/a" : value.toFixed(1);
const row = (result: EngineResult) =>
  `| ${result.engine} | ${result.ep} | ${fixed(result.batch1TokensPerSecond)} (${
    fixed(result.batch1DecodeTokensPerSecond)
  }) | ${fixed(result.batch8TokensPerSecond)} (${fixed(result.batch8DecodeTokensPerSecond)}) | ${
    result.firstTokenMs.toFixed(0)
  } | ${result.peakRssMb.toFixed(0)} | ${result.loadSeconds.toFixed(1)} |`;
console.log(
  `Model: ${
    (summary.model.parameters / 1e6).toFixed(1)
  }M parameters (${layers} layers, hidden ${shape.hiddenSize}, vocab ${shape.vocabSize}), prompt ${
    ours?.promptTokens ?? tjs?.promptTokens
  } tokens, ${newTokens} new tokens, median of ${repeat} runs, best of ${values.rounds} rounds, ${navigator.hardwareConcurrency} CPU threads\n`,
);
console.log(
  "| engine | EP | batch 1 tok/s (decode only) | batch 8 aggregate tok/s (decode only) | first token ms | peak RSS MiB | load s |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const result of results) console.log(row(result));
console.log(`\nMedian of the ${values.rounds} rounds (tok/s):\n`);
console.log("| engine | batch 1 | batch 8 | first token ms |");
console.log("| --- | --- | --- | --- |");
for (const [engine, value] of medians) {
  console.log(
    `| ${engine} | ${fixed(value.batch1)} | ${fixed(value.batch8)} | ${
      value.firstTokenMs.toFixed(0)
    } |`,
  );
}
const oursMedian = ours && medians.get(ours.engine);
const tjsMedian = tjs && medians.get(tjs.engine);
if (oursMedian && tjsMedian) {
  console.log(
    `\nmedians: ours / transformers.js at batch 1 ${
      (oursMedian.batch1 / tjsMedian.batch1).toFixed(2)
    }×, at batch 8 ${(oursMedian.batch8 / tjsMedian.batch8).toFixed(2)}×; ours batch 8 / batch 1 ${
      (oursMedian.batch8 / oursMedian.batch1).toFixed(2)
    }×`,
  );
}
console.log("\nBest rounds:");
console.log(
  `ours / transformers.js at batch 1: ${
    summary.ratios.batch1VsTransformersJs?.toFixed(2) ?? "n/a"
  }× (target ≥ 1.5×)`,
);
console.log(
  `ours batch 8 / batch 1 aggregate: ${
    summary.ratios.batch8VsBatch1?.toFixed(2) ?? "n/a"
  }× end to end, ${
    summary.ratios.decodeBatch8VsBatch1?.toFixed(2) ?? "n/a"
  }× decode only (target ≥ 4×)`,
);
console.log(
  `ours (edited graph) / graph as exported: ${
    summary.ratios.batch1VsUnedited?.toFixed(2) ?? "n/a"
  }× at batch 1, ${summary.ratios.batch8VsUnedited?.toFixed(2) ?? "n/a"}× at batch 8`,
);
if (oursMedian?.mixedContinuous !== undefined) {
  console.log(
    `16 requests of mixed lengths, medians: continuous ${
      oursMedian.mixedContinuous.toFixed(1)
    } tok/s, batch after batch ${oursMedian.mixedStatic!.toFixed(1)} tok/s: ${
      (oursMedian.mixedContinuous / oursMedian.mixedStatic!).toFixed(2)
    }×`,
  );
}
if (ours?.mixed) {
  console.log(
    `best: 16 requests of mixed lengths (${ours.mixed.tokens} tokens) at batch 8: continuous ${
      ours.mixed.continuous.toFixed(1)
    } tok/s, batch after batch ${ours.mixed.static.toFixed(1)} tok/s: ${
      summary.ratios.mixedContinuousVsStatic!.toFixed(2)
    }×`,
  );
}
console.log(`load average: ${Deno.loadavg().map((value) => value.toFixed(1)).join(" ")}`);
if (tjs?.batch8Note) console.log(`transformers.js: ${tjs.batch8Note}`);
console.log(`\nwritten to ${values.out}`);
