import type * as ort from "npm:onnxruntime-node@1.30.0";
import { dirname } from "node:path";
import { ModelLoadError } from "./model_load_error.ts";
import type { ModelDirectory } from "./read_model_directory.ts";
import { type ExecutionProvider, parseExecutionProviders } from "./execution_provider.ts";
import { editDecoderGraph, inlineWeights, readGraph, readModelSkeleton } from "./_onnx_graph.ts";

/** Options for {@linkcode OnnxDecoder.load}. */
export interface OnnxDecoderOptions {
  /**
   * `--ep`: see {@linkcode parseExecutionProviders}.
   * @default {"cpu"}
   */
  ep?: string;
  /**
   * Threads for one operator on the CPU.
   * @default {undefined} (ONNX Runtime's choice: the physical cores)
   */
  threads?: number | undefined;
  /**
   * Keep the KV cache on the GPU between steps (`preferredOutputLocation:
   * "gpu-buffer"`) when the provider is `webgpu` or `cuda`.
   * @default {true}
   */
  keepCacheOnDevice?: boolean;
  /**
   * On the CPU, edit the graph for the decoding loop where it has the
   * expected shape (see `editDecoderGraph`): new cache entries only, logits
   * of the last position only. `false` loads the file as it is.
   * @default {true}
   */
  editGraph?: boolean;
  /**
   * Receives what happened while choosing the provider (fallbacks).
   * @default {undefined}
   */
  onNotice?: ((text: string) => void) | undefined;
}

/**
 * An onnxruntime-node tensor (`ort.Tensor`).
 *
 * The `@internal` tag only keeps `deno doc --lint` from reporting a type of
 * another package as private (denoland/deno#27364); the type is public.
 * @internal
 */
export type OrtTensor = ort.Tensor;

/**
 * An onnxruntime-node inference session (`ort.InferenceSession`).
 *
 * The `@internal` tag only keeps `deno doc --lint` from reporting a type of
 * another package as private (denoland/deno#27364); the type is public.
 * @internal
 */
export type OrtInferenceSession = ort.InferenceSession;

/** The KV cache between steps: `past` tensors by input name. */
export type KvCache = Record<string, OrtTensor>;

/** One forward pass. */
export interface DecoderStep {
  /** `[batch, length]` token ids. */
  inputIds: BigInt64Array;
  /** `[batch, pastLength + length]`, 1 for real tokens, 0 for padding. */
  attentionMask: BigInt64Array;
  /** `[batch, length]` positions (ignored by graphs that compute them). */
  positionIds: BigInt64Array;
  /** Rows in the batch. */
  batch: number;
  /** New tokens per row in this step. */
  length: number;
  /** The cache of earlier steps ({@linkcode OnnxDecoder.emptyCache} on the first). */
  past: KvCache;
  /**
   * Preallocated `present` outputs, by `past` name: with the same buffers
   * as `past`, ONNX Runtime's `GroupQueryAttention` writes the new entries
   * in place (see {@linkcode OnnxDecoder.groupQueryAttention}).
   * @default {undefined}
   */
  presentBuffers?: KvCache | undefined;
}

/** What a forward pass returns. */
export interface DecoderOutput {
  /**
   * `[batch, logitsLength, vocab]` logits as float32: every position, or
   * the last one only when {@linkcode OnnxDecoder.lastLogits}.
   */
  logits: Float32Array;
  /** Positions with logits per row: `length`, or 1 with last-position logits. */
  logitsLength: number;
  /** Vocabulary size (the logits' last dimension). */
  vocab: number;
  /**
   * The cache for the next step, by `past` name; only this step's entries
   * (`[batch, heads, length, size]`) when {@linkcode OnnxDecoder.newEntries}.
   */
  present: KvCache;
}

/** The onnxruntime-node module, as loaded by {@linkcode OnnxDecoder.load}. */
export type Ort = typeof import("npm:onnxruntime-node@1.30.0");
let ortModule: Ort | undefined;

/**
 * Loads onnxruntime-node on first use, so that importing this module (and
 * the library's `mod.ts`) does not load the native runtime.
 */
async function loadOrt(): Promise<Ort> {
  ortModule ??= await import("npm:onnxruntime-node@1.30.0");
  return ortModule;
}

function layerName(pattern: string, layer: number): string {
  return pattern.replace("%d", String(layer));
}

function cudaProviderMissing(): string | undefined {
  let binary: URL;
  try {
    binary = new URL(
      `../bin/napi-v6/${Deno.build.os}/${Deno.build.arch === "x86_64" ? "x64" : "arm64"}/`,
      import.meta.resolve("npm:onnxruntime-node@1.30.0"),
    );
  } catch {
    return undefined;
  }
  if (binary.protocol !== "file:") return undefined;
  const library = new URL("libonnxruntime_providers_cuda.so", binary);
  try {
    Deno.statSync(library);
    return undefined;
  } catch {
    return library.pathname;
  }
}

/**
 * Why WebGPU cannot start, found without asking ONNX Runtime (whose Dawn
 * prints a Vulkan warning with a build path to stderr): on Linux, a missing
 * Vulkan loader. Undefined when it may work (or cannot be told).
 */
function webgpuMissing(): string | undefined {
  if (Deno.build.os !== "linux") return undefined;
  try {
    Deno.dlopen("libvulkan.so.1", {}).close();
    return undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    return "the Vulkan loader libvulkan.so.1 cannot be loaded";
  }
}

/** A provider's failure in a few words, for the one fallback note. */
function shortReason(message: string): string {
  if (/adapter/i.test(message)) return "no WebGPU adapter";
  const first = message.replace(/^\/\S+:\d+\s+/, "");
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}

const CUDA_HINT =
  "onnxruntime-node downloads its CUDA provider libraries (from NuGet) in its install script, which Deno skips by default: run `deno install --allow-scripts=npm:onnxruntime-node` on a machine with network access (and CUDA 12 + cuDNN 9), or use --ep webgpu or --ep cpu";

const WEBGPU_HINT =
  "WebGPU needs a GPU with a Vulkan driver and the Vulkan loader (libvulkan.so.1, Debian/Ubuntu package libvulkan1); use --ep cpu, or --ep webgpu,cpu to fall back";

/**
 * The decoder graph in an ONNX Runtime session: checks the graph's inputs
 * and outputs against the model's config, creates empty KV caches of the
 * right type and shape, runs forward passes (feeding `present` back as
 * `past`, kept on the GPU where the provider allows), and drops finished rows
 * from a CPU cache.
 */
export class OnnxDecoder {
  /** The session. */
  readonly session: OrtInferenceSession;
  /** The provider in use. */
  readonly ep: ExecutionProvider;
  /** Element type of the KV cache. */
  readonly cacheType: "float32" | "float16";
  /** Whether the graph takes `position_ids`. */
  readonly hasPositionIds: boolean;
  /** Whether the cache stays on the GPU between steps. */
  readonly cacheOnDevice: boolean;
  /**
   * Whether the graph was edited to output only each step's new cache
   * entries (see `editDecoderGraph`); the caller then keeps the cache.
   */
  readonly newEntries: boolean;
  /** Whether the graph was edited to compute logits for the last position only. */
  readonly lastLogits: boolean;
  /**
   * Whether the graph's attention is ONNX Runtime's com.microsoft
   * `GroupQueryAttention` (ONNX Runtime GenAI's model builder). That
   * operator takes from the attention mask only each row's sum (the row's
   * cache entries before the step + the new tokens) and its width: a row's
   * entries start at cache column 0 and its new tokens follow them (right
   * padding), and a prompt runs only on an empty cache.
   */
  readonly groupQueryAttention: boolean;
  /** What was and was not edited in the graph, and why. */
  readonly graphNotes: readonly string[];
  readonly #model: ModelDirectory;
  readonly #pastNames: string[];
  readonly #presentNames: string[];
  readonly #useCacheBranch: boolean;
  readonly #ort: Ort;

  private constructor(
    ortRuntime: Ort,
    session: ort.InferenceSession,
    model: ModelDirectory,
    ep: ExecutionProvider,
    cacheOnDevice: boolean,
    graph: LoadedGraph,
    groupQueryAttention: boolean,
  ) {
    this.#ort = ortRuntime;
    this.groupQueryAttention = groupQueryAttention;
    this.session = session;
    this.#model = model;
    this.ep = ep;
    this.cacheOnDevice = cacheOnDevice;
    this.newEntries = graph.newEntries !== undefined;
    this.lastLogits = graph.lastLogits;
    this.graphNotes = graph.notes;
    const { names, numLayers } = model;
    this.#pastNames = [];
    this.#presentNames = [];
    for (let layer = 0; layer < numLayers; layer++) {
      this.#pastNames.push(layerName(names.pastKey, layer), layerName(names.pastValue, layer));
      for (const pattern of [names.presentKey, names.presentValue]) {
        const present = layerName(pattern, layer);
        this.#presentNames.push(graph.newEntries?.get(present) ?? present);
      }
    }
    const inputs = session.inputNames;
    const file = model.onnxPath;
    const required = [names.inputIds, names.attentionMask, ...this.#pastNames];
    const missing = required.filter((name) => !inputs.includes(name));
    if (missing.length > 0) {
      const cache = missing.some((name) => this.#pastNames.includes(name));
      throw new ModelLoadError(
        `the graph has no input ${
          missing.slice(0, 3).map((name) => JSON.stringify(name)).join(", ")
        }${missing.length > 3 ? ` (and ${missing.length - 3} more)` : ""}; its inputs are ${
          inputs.map((name) => JSON.stringify(name)).join(", ")
        }${
          cache && !inputs.some((name) => name.startsWith("past"))
            ? ". Export the decoder with its KV cache (Optimum: --task text-generation-with-past)"
            : ""
        }`,
        { file },
      );
    }
    this.hasPositionIds = inputs.includes(names.positionIds);
    this.#useCacheBranch = inputs.includes("use_cache_branch");
    const known = new Set([...required, names.positionIds, "use_cache_branch"]);
    const unknown = inputs.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new ModelLoadError(
        `the graph has inputs a decoder does not have: ${
          unknown.map((name) => JSON.stringify(name)).join(", ")
        } (expected ${names.inputIds}, ${names.attentionMask}, ${names.positionIds} and the past key/values)`,
        { file },
      );
    }
    const outputs = session.outputNames;
    const missingOut = [names.logits, ...this.#presentNames].filter((name) =>
      !outputs.includes(name)
    );
    if (missingOut.length > 0) {
      throw new ModelLoadError(
        `the graph has no output ${
          missingOut.slice(0, 3).map((name) => JSON.stringify(name)).join(", ")
        }; its outputs are ${outputs.map((name) => JSON.stringify(name)).join(", ")}`,
        { file },
      );
    }
    const metadata = (session as unknown as {
      inputMetadata?: readonly { name: string; type?: string; shape?: readonly unknown[] }[];
    }).inputMetadata ?? [];
    const past = metadata.find((entry) => entry.name === this.#pastNames[0]);
    this.cacheType = past?.type === "float16" ? "float16" : "float32";
    const shape = past?.shape ?? [];
    const check = (index: number, expected: number, what: string) => {
      const value = shape[index];
      if (typeof value === "number" && value !== expected) {
        throw new ModelLoadError(
          `the graph's ${this.#pastNames[0]} has ${value} ${what}, but the config says ${expected}`,
          { file },
        );
      }
    };
    check(1, model.numKvHeads, "key/value heads");
    check(3, model.headDim, "dimensions per head");
  }

  /**
   * Loads the decoder of a model directory on the first provider of `ep`
   * that works. Throws a {@linkcode ModelLoadError} naming the file when ONNX
   * Runtime cannot load it, when its inputs and outputs are not a decoder's
   * with a KV cache, or when no requested provider is available.
   */
  static async load(model: ModelDirectory, options: OnnxDecoderOptions = {}): Promise<OnnxDecoder> {
    const providers = parseExecutionProviders(options.ep ?? "cpu");
    const runtime = await loadOrt();
    const groupQueryAttention = await usesGroupQueryAttention(model.onnxPath);
    const failures: string[] = [];
    // Providers passed over, in a few words: one note once a provider works.
    const skipped: string[] = [];
    for (const [index, ep] of providers.entries()) {
      const last = index === providers.length - 1;
      if (ep === "cuda") {
        const missing = cudaProviderMissing();
        if (missing !== undefined) {
          const reason = `the CUDA execution provider is not installed (${missing} is missing)`;
          if (last) {
            throw new ModelLoadError(`${reason}. ${CUDA_HINT}`, { file: model.onnxPath });
          }
          failures.push(`cuda: ${reason}`);
          skipped.push("cuda not installed");
          continue;
        }
      }
      if (ep === "webgpu") {
        const missing = webgpuMissing();
        if (missing !== undefined) {
          if (last) {
            throw new ModelLoadError(`${missing}. ${WEBGPU_HINT}`, { file: model.onnxPath });
          }
          failures.push(`webgpu: ${missing}`);
          skipped.push("webgpu: no Vulkan loader");
          continue;
        }
      }
      const onDevice = ep !== "cpu" && (options.keepCacheOnDevice ?? true);
      let created: { session: ort.InferenceSession; onDevice: boolean; graph: LoadedGraph };
      try {
        created = await createSession(runtime, model, ep, onDevice, {
          threads: options.threads,
          editGraph: options.editGraph ?? true,
        });
      } catch (error) {
        const message = (error as Error).message.split("\n")[0]!;
        if (ep === "cpu" || isModelProblem(message)) {
          throw new ModelLoadError(`ONNX Runtime cannot load it: ${message}`, {
            file: model.onnxPath,
          }, { cause: error });
        }
        failures.push(`${ep}: ${message}`);
        if (last) {
          throw new ModelLoadError(
            `no requested execution provider works (${failures.join("; ")})${
              ep === "cuda" ? `. ${CUDA_HINT}` : ep === "webgpu" ? `. ${WEBGPU_HINT}` : ""
            }`,
            { file: model.onnxPath },
            { cause: error },
          );
        }
        skipped.push(`${ep}: ${shortReason(message)}`);
        continue;
      }
      if (skipped.length > 0) {
        options.onNotice?.(`running on ${ep} (${skipped.join("; ")})`);
      }
      try {
        return new OnnxDecoder(
          runtime,
          created.session,
          model,
          ep,
          created.onDevice,
          created.graph,
          groupQueryAttention,
        );
      } catch (error) {
        await created.session.release();
        throw error;
      }
    }
    throw new ModelLoadError("no execution provider requested", { file: model.onnxPath });
  }

  /** The model directory. */
  get model(): ModelDirectory {
    return this.#model;
  }

  /** The onnxruntime-node module. */
  get runtime(): Ort {
    return this.#ort;
  }

  /** Names of the `past` inputs, key then value per layer. */
  get pastNames(): readonly string[] {
    return this.#pastNames;
  }

  /** An empty cache (past length 0) for a batch. */
  emptyCache(batch: number): KvCache {
    const cache: KvCache = {};
    const dims = [batch, this.#model.numKvHeads, 0, this.#model.headDim];
    for (const name of this.#pastNames) {
      cache[name] = this.cacheType === "float16"
        ? new this.#ort.Tensor("float16", new Uint16Array(0), dims)
        : new this.#ort.Tensor("float32", new Float32Array(0), dims);
    }
    return cache;
  }

  /** Runs one forward pass. */
  async forward(step: DecoderStep): Promise<DecoderOutput> {
    const { names } = this.#model;
    const total = step.attentionMask.length / step.batch;
    const feeds: Record<string, ort.Tensor> = {
      [names.inputIds]: new this.#ort.Tensor("int64", step.inputIds, [step.batch, step.length]),
      [names.attentionMask]: new this.#ort.Tensor("int64", step.attentionMask, [step.batch, total]),
      ...step.past,
    };
    if (this.hasPositionIds) {
      feeds[names.positionIds] = new this.#ort.Tensor("int64", step.positionIds, [
        step.batch,
        step.length,
      ]);
    }
    if (this.#useCacheBranch) {
      feeds.use_cache_branch = new this.#ort.Tensor(
        "bool",
        Uint8Array.of(total > step.length ? 1 : 0),
        [
          1,
        ],
      );
    }
    let outputs: ort.InferenceSession.OnnxValueMapType;
    if (step.presentBuffers === undefined) {
      outputs = await this.session.run(feeds);
    } else {
      const fetches: Record<string, ort.Tensor | null> = { [names.logits]: null };
      this.#presentNames.forEach((name, index) => {
        fetches[name] = step.presentBuffers![this.#pastNames[index]!] ?? null;
      });
      outputs = await this.session.run(feeds, fetches);
    }
    const logitsTensor = outputs[names.logits]!;
    const dims = logitsTensor.dims;
    const vocab = dims[dims.length - 1]!;
    const logitsLength = dims.length === 3 ? dims[1]! : 1;
    const data = logitsTensor.type === "float16"
      ? halfToFloat(logitsTensor.data as Uint16Array)
      : logitsTensor.data as Float32Array;
    const present: KvCache = {};
    this.#presentNames.forEach((name, index) => {
      present[this.#pastNames[index]!] = outputs[name]!;
    });
    return { logits: data, logitsLength, vocab, present };
  }

  /** Frees a cache's device memory (a no-op on the CPU). */
  release(cache: KvCache): void {
    if (!this.cacheOnDevice) return;
    for (const tensor of Object.values(cache)) {
      if (tensor.location === "gpu-buffer") tensor.dispose();
    }
  }

  /**
   * A cache with only the given batch rows, or `undefined` when the cache is
   * on the GPU (rows stay then; their outputs are ignored).
   */
  keepRows(cache: KvCache, rows: readonly number[]): KvCache | undefined {
    if (this.cacheOnDevice) return undefined;
    const kept: KvCache = {};
    for (const [name, tensor] of Object.entries(cache)) {
      const [batch, heads, length, size] = tensor.dims as [number, number, number, number];
      const stride = heads * length * size;
      const source = tensor.data as Float32Array | Uint16Array;
      const target = new (source.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(
        rows.length * stride,
      );
      rows.forEach((row, index) => {
        if (row >= batch) throw new RangeError(`Cannot keep row ${row} of a batch of ${batch}`);
        target.set(source.subarray(row * stride, (row + 1) * stride), index * stride);
      });
      kept[name] = new this.#ort.Tensor(tensor.type as "float32", target as Float32Array, [
        rows.length,
        heads,
        length,
        size,
      ]);
    }
    return kept;
  }

  /** Releases the session. */
  async close(): Promise<void> {
    await this.session.release();
  }
}

/** Whether the model's graph has a com.microsoft GroupQueryAttention node. */
async function usesGroupQueryAttention(path: string): Promise<boolean> {
  try {
    return readGraph(await readModelSkeleton(path)).nodes.some((node) =>
      node.opType === "GroupQueryAttention" && node.domain === "com.microsoft"
    );
  } catch {
    // ONNX Runtime reports what is wrong with the file.
    return false;
  }
}

function isModelProblem(message: string): boolean {
  return /protobuf|INVALID_GRAPH|INVALID_PROTOBUF|NO_SUCHFILE|Load model|model_path|ModelProto|Type Error|ShapeInferenceError/i
    .test(message);
}

/** How the graph was loaded: edited for the CPU loop, or as it is. */
interface LoadedGraph {
  /** The new-entries output by `present` name (edited graphs only). */
  newEntries?: Map<string, string>;
  lastLogits: boolean;
  notes: string[];
}

/**
 * The model to load on the CPU: its structure read without the weights,
 * edited for the decoding loop (see `editDecoderGraph`), then put together
 * with the weights in one buffer (the model's own external data files stay
 * external). `undefined` when the file cannot be read that
 * way; ONNX Runtime then loads the path and reports what is wrong with it.
 */
async function editedGraph(
  model: ModelDirectory,
): Promise<{ bytes: Uint8Array; graph: LoadedGraph } | undefined> {
  let skeleton: Uint8Array;
  try {
    skeleton = await readModelSkeleton(model.onnxPath);
  } catch {
    return undefined;
  }
  const { names } = model;
  const cache = [];
  // With sliding-window attention the graph's mask depends on where entries
  // are, so the cache stays in the graph's own order.
  const layers = model.slidingWindow === undefined ? model.numLayers : 0;
  for (let layer = 0; layer < layers; layer++) {
    cache.push(
      { past: layerName(names.pastKey, layer), present: layerName(names.presentKey, layer) },
      { past: layerName(names.pastValue, layer), present: layerName(names.presentValue, layer) },
    );
  }
  let edited;
  let bytes: Uint8Array;
  try {
    edited = editDecoderGraph(skeleton, { cache, logits: names.logits });
    bytes = await inlineWeights(edited.bytes, model.onnxPath);
  } catch {
    return undefined;
  }
  const notes: string[] = [];
  const graph: LoadedGraph = { lastLogits: edited.lastLogits === true, notes };
  if (edited.newEntries instanceof Map) {
    graph.newEntries = edited.newEntries;
    notes.push("cache: the graph outputs new entries only; the loop keeps the cache");
  } else {
    const reason = model.slidingWindow === undefined
      ? edited.newEntries.reason
      : `the model has sliding-window attention (${model.slidingWindow})`;
    notes.push(`cache: the graph returns the whole cache (${reason})`);
  }
  notes.push(
    edited.lastLogits === true
      ? "logits: last position only"
      : `logits: every position (${edited.lastLogits.reason})`,
  );
  return { bytes, graph };
}

async function createSession(
  runtime: Ort,
  model: ModelDirectory,
  ep: ExecutionProvider,
  onDevice: boolean,
  { threads, editGraph }: { threads: number | undefined; editGraph: boolean },
): Promise<{ session: ort.InferenceSession; onDevice: boolean; graph: LoadedGraph }> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [ep],
    graphOptimizationLevel: "all",
    logSeverityLevel: 3,
    ...(threads === undefined ? {} : { intraOpNumThreads: threads }),
  };
  const plain: LoadedGraph = { lastLogits: false, notes: [] };
  if (ep === "cpu" && editGraph) {
    const edited = await editedGraph(model);
    if (edited !== undefined) {
      // External data (the weights referenced in place, or the model's own data files).
      options.extra = {
        session: { model_external_initializers_file_folder_path: dirname(model.onnxPath) },
      };
      try {
        const session = await runtime.InferenceSession.create(edited.bytes, options);
        return { session, onDevice: false, graph: edited.graph };
      } catch (error) {
        // Load the file as it is: ONNX Runtime's error then names what is wrong with it.
        delete options.extra;
        plain.notes.push(
          `graph not edited: ONNX Runtime rejected the edited graph (${
            (error as Error).message.split("\n")[0]
          })`,
        );
      }
    }
  }
  if (onDevice) {
    const location: Record<string, "gpu-buffer"> = {};
    for (let layer = 0; layer < model.numLayers; layer++) {
      location[layerName(model.names.presentKey, layer)] = "gpu-buffer";
      location[layerName(model.names.presentValue, layer)] = "gpu-buffer";
    }
    options.preferredOutputLocation = location;
  }
  try {
    return {
      session: await runtime.InferenceSession.create(model.onnxPath, options),
      onDevice,
      graph: plain,
    };
  } catch (error) {
    if (!onDevice || !/preferredOutputLocation|gpu-buffer/i.test((error as Error).message)) {
      throw error;
    }
    // The provider cannot keep outputs on the device: copy them back instead.
    delete options.preferredOutputLocation;
    return {
      session: await runtime.InferenceSession.create(model.onnxPath, options),
      onDevice: false,
      graph: plain,
    };
  }
}

/** IEEE half-precision bits to float32. */
function halfToFloat(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    out[i] = exponent === 0
      ? sign * 2 ** -14 * (fraction / 1024)
      : exponent === 31
      ? (fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY)
      : sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return out;
}
