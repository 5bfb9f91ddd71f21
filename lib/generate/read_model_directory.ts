import { join } from "node:path";
import { ModelLoadError } from "./model_load_error.ts";

/** Weight variants of an Optimum / transformers.js export, by file-name suffix. */
export const ONNX_DTYPE_SUFFIXES: Readonly<Record<string, string>> = {
  fp32: "",
  fp16: "_fp16",
  q4f16: "_q4f16",
  q4: "_q4",
  q8: "_quantized",
  int8: "_int8",
  uint8: "_uint8",
  bnb4: "_bnb4",
};

/** FastChat's `--dtype` names and their ONNX counterparts. */
const DTYPE_ALIASES: Readonly<Record<string, string>> = {
  float32: "fp32",
  float16: "fp16",
  half: "fp16",
  quantized: "q8",
};

/** Input and output names of the decoder graph; `%d` stands for the layer. */
export interface DecoderNames {
  /** Token ids input, e.g. `input_ids`. */
  inputIds: string;
  /** Attention mask input, e.g. `attention_mask`. */
  attentionMask: string;
  /** Absent from GenAI-style graphs, which compute positions themselves. */
  positionIds: string;
  /** Cache key input per layer, e.g. `past_key_values.%d.key`. */
  pastKey: string;
  /** Cache value input per layer, e.g. `past_key_values.%d.value`. */
  pastValue: string;
  /** Logits output, e.g. `logits`. */
  logits: string;
  /** Cache key output per layer, e.g. `present.%d.key`. */
  presentKey: string;
  /** Cache value output per layer, e.g. `present.%d.value`. */
  presentValue: string;
}

/** Generation defaults from `generation_config.json` or GenAI's `search`. */
export interface GenerationDefaults {
  /** Default `top_k` for sampling, when set. */
  topK?: number | undefined;
  /** Default `top_p` for sampling, when set. */
  topP?: number | undefined;
}

/** A model directory, read and checked. */
export interface ModelDirectory {
  /** The directory, as given. */
  dir: string;
  /** `optimum` (config.json + onnx/model*.onnx) or `genai` (genai_config.json). */
  layout: "optimum" | "genai";
  /** The decoder file. */
  onnxPath: string;
  /** Weight variant of that file (`fp32`, `fp16`, `q4`, … or `genai`). */
  dtype: string;
  /** Number of decoder layers. */
  numLayers: number;
  /** Number of key/value heads (the attention heads without grouped-query attention). */
  numKvHeads: number;
  /** Size of one attention head. */
  headDim: number;
  /** Vocabulary size, when the config says. */
  vocabSize: number | undefined;
  /** Longest sequence the model takes, when the config says. */
  contextLength: number | undefined;
  /** Width of sliding-window attention, when the config has one. */
  slidingWindow: number | undefined;
  /** The graph's input and output names. */
  names: DecoderNames;
  /** Token ids that end a reply (from the generation config and the model config). */
  eosTokenIds: number[];
  /** Padding token id, when the config has one. */
  padTokenId: number | undefined;
  /** Sampling defaults of the model. */
  generation: GenerationDefaults;
  /** Parsed `tokenizer.json`. */
  tokenizerJson: Record<string, unknown>;
  /** Parsed `tokenizer_config.json` (empty when there is none). */
  tokenizerConfig: Record<string, unknown>;
  /** The model's own chat template, when it ships one. */
  chatTemplate: string | undefined;
  /** Text of the BOS token from `tokenizer_config.json`, for chat templates. */
  bosToken: string | undefined;
  /** Text of the EOS token from `tokenizer_config.json`, for chat templates. */
  eosToken: string | undefined;
  /** Things the caller should tell the user (e.g. a dtype substitution). */
  notices: string[];
}

/** Options for {@linkcode readModelDirectory}. */
export interface ReadModelDirectoryOptions {
  /**
   * Weight variant (`auto`, `fp32`, `fp16`, `q4`, `q4f16`, `q8`, `int8`,
   * `uint8`, `bnb4`, or FastChat's `float32`/`float16`/`bfloat16`).
   * @default {"auto"}
   */
  dtype?: string;
}

type Json = Record<string, unknown>;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readJson(path: string, required: boolean): Promise<Json | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound && !required) return undefined;
    const reason = error instanceof Deno.errors.NotFound
      ? "the file is missing"
      : `cannot read the file: ${(error as Error).message}`;
    throw new ModelLoadError(reason, { file: path }, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelLoadError(`invalid JSON: ${(error as Error).message}`, { file: path }, {
      cause: error,
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ModelLoadError("expected a JSON object", { file: path });
  }
  return value as Json;
}

function integerField(config: Json, keys: readonly string[], file: string): number {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  }
  throw new ModelLoadError(
    `missing or invalid ${
      keys.map((key) => JSON.stringify(key)).join(" / ")
    }: expected a positive integer`,
    { file },
  );
}

function optionalInteger(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}

function idList(value: unknown): number[] {
  if (Array.isArray(value)) return value.filter((item): item is number => Number.isInteger(item));
  return Number.isInteger(value) ? [value as number] : [];
}

/** `"<s>"` or `{ "content": "<s>" }`, as tokenizer configs store special tokens. */
function tokenText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && "content" in value) {
    const content = (value as { content: unknown }).content;
    return typeof content === "string" ? content : undefined;
  }
  return undefined;
}

async function chatTemplateOf(dir: string, tokenizerConfig: Json): Promise<string | undefined> {
  const stored = tokenizerConfig.chat_template;
  if (typeof stored === "string") return stored;
  if (Array.isArray(stored)) {
    // Named templates (e.g. default and tool_use): take "default".
    const named = stored.find((entry) =>
      typeof entry === "object" && entry !== null && (entry as Json).name === "default"
    ) as Json | undefined;
    if (typeof named?.template === "string") return named.template;
  }
  const jinjaPath = join(dir, "chat_template.jinja");
  if (await exists(jinjaPath)) return await Deno.readTextFile(jinjaPath);
  const json = await readJson(join(dir, "chat_template.json"), false);
  return typeof json?.chat_template === "string" ? json.chat_template : undefined;
}

function normalizeDtype(dtype: string): string {
  const key = dtype.trim().toLowerCase();
  return DTYPE_ALIASES[key] ?? key;
}

async function findOptimumOnnx(
  dir: string,
  requested: string,
  notices: string[],
): Promise<{ path: string; dtype: string }> {
  const candidates = (suffix: string) => [
    join(dir, "onnx", `model${suffix}.onnx`),
    join(dir, "onnx", `decoder_model_merged${suffix}.onnx`),
    join(dir, `model${suffix}.onnx`),
    join(dir, `decoder_model_merged${suffix}.onnx`),
  ];
  let dtype = normalizeDtype(requested);
  if (dtype === "bfloat16" || dtype === "bf16") {
    notices.push(
      "ONNX exports have no bfloat16 variant; --dtype bfloat16 picks the fp16 file if there is one, else fp32",
    );
    for (const variant of ["fp16", "fp32"]) {
      for (const path of candidates(ONNX_DTYPE_SUFFIXES[variant]!)) {
        if (await exists(path)) return { path, dtype: variant };
      }
    }
    dtype = "fp32";
  }
  if (dtype === "auto") {
    for (const [variant, suffix] of Object.entries(ONNX_DTYPE_SUFFIXES)) {
      for (const path of candidates(suffix)) {
        if (await exists(path)) return { path, dtype: variant };
      }
    }
    throw new ModelLoadError(
      `no ONNX decoder file: expected onnx/model.onnx (or model_fp16.onnx, model_q4.onnx, …, or decoder_model_merged*.onnx)`,
      { file: join(dir, "onnx") },
    );
  }
  const suffix = ONNX_DTYPE_SUFFIXES[dtype];
  if (suffix === undefined) {
    throw new RangeError(
      `Unknown --dtype ${JSON.stringify(requested)}: expected auto, ${
        Object.keys(ONNX_DTYPE_SUFFIXES).join(", ")
      }, float32, float16 or bfloat16`,
    );
  }
  for (const path of candidates(suffix)) {
    if (await exists(path)) return { path, dtype };
  }
  throw new ModelLoadError(
    `no ${dtype} decoder file: expected onnx/model${suffix}.onnx (try --dtype auto)`,
    { file: join(dir, "onnx", `model${suffix}.onnx`) },
  );
}

/**
 * Reads a model directory in either layout users download and checks it:
 *
 * - Hugging Face Optimum / transformers.js: `config.json`,
 *   `generation_config.json` (optional), `tokenizer.json`,
 *   `tokenizer_config.json` and `onnx/model*.onnx` (the variant by `dtype`);
 * - ONNX Runtime GenAI: `genai_config.json` naming the decoder file and its
 *   input and output names, with the tokenizer files beside it.
 *
 * A missing or malformed file, or a config without the decoder's shape,
 * throws a {@linkcode ModelLoadError} naming the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readModelDirectory } from "./read_model_directory.ts";
 * import { ModelLoadError } from "./model_load_error.ts";
 * const dir = await Deno.makeTempDir();
 * await assert.rejects(readModelDirectory(dir), (error) => {
 *   assert.ok(error instanceof ModelLoadError);
 *   assert.ok(error.message.includes("config.json"));
 *   return true;
 * });
 * ```
 */
export async function readModelDirectory(
  dir: string,
  options: ReadModelDirectoryOptions = {},
): Promise<ModelDirectory> {
  try {
    if (!(await Deno.stat(dir)).isDirectory) {
      throw new ModelLoadError("not a directory", { file: dir });
    }
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    throw new ModelLoadError("the model directory does not exist", { file: dir }, {
      cause: error,
    });
  }
  const notices: string[] = [];
  const requestedDtype = options.dtype ?? "auto";
  const genaiPath = join(dir, "genai_config.json");
  const configPath = join(dir, "config.json");
  const genai = await readJson(genaiPath, false);
  const config = genai === undefined ? await readJson(configPath, false) : undefined;
  if (genai === undefined && config === undefined) {
    throw new ModelLoadError(
      `neither config.json (Optimum / transformers.js layout) nor genai_config.json (ONNX Runtime GenAI layout) is there`,
      { file: dir },
    );
  }
  const tokenizerPath = join(dir, "tokenizer.json");
  const tokenizerJson = (await readJson(tokenizerPath, true))!;
  if (typeof tokenizerJson.model !== "object" || tokenizerJson.model === null) {
    throw new ModelLoadError('no "model" section: not a Hugging Face tokenizer.json', {
      file: tokenizerPath,
    });
  }
  const tokenizerConfig = (await readJson(join(dir, "tokenizer_config.json"), false)) ?? {};
  const chatTemplate = await chatTemplateOf(dir, tokenizerConfig);
  const bosToken = tokenText(tokenizerConfig.bos_token);
  const eosToken = tokenText(tokenizerConfig.eos_token);
  const common = { dir, tokenizerJson, tokenizerConfig, chatTemplate, bosToken, eosToken, notices };

  if (genai !== undefined) {
    const model = genai.model as Json | undefined;
    const decoder = model?.decoder as Json | undefined;
    if (model === undefined || decoder === undefined) {
      throw new ModelLoadError('missing "model.decoder"', { file: genaiPath });
    }
    const filename = decoder.filename;
    if (typeof filename !== "string" || filename === "") {
      throw new ModelLoadError('missing "model.decoder.filename"', { file: genaiPath });
    }
    const onnxPath = join(dir, filename);
    if (!(await exists(onnxPath))) {
      throw new ModelLoadError(`the decoder file named by ${genaiPath} is missing`, {
        file: onnxPath,
      });
    }
    if (requestedDtype !== "auto") {
      notices.push(
        `--dtype ${requestedDtype} is ignored: a GenAI export has one decoder file (${filename})`,
      );
    }
    const inputs = (decoder.inputs ?? {}) as Json;
    const outputs = (decoder.outputs ?? {}) as Json;
    const name = (section: Json, key: string, fallback: string) =>
      typeof section[key] === "string" ? section[key] as string : fallback;
    const heads = integerField(decoder, ["num_attention_heads"], genaiPath);
    const search = (genai.search ?? {}) as Json;
    return {
      ...common,
      layout: "genai",
      onnxPath,
      dtype: "genai",
      numLayers: integerField(decoder, ["num_hidden_layers"], genaiPath),
      numKvHeads: optionalInteger(decoder.num_key_value_heads) ?? heads,
      headDim: optionalInteger(decoder.head_size) ??
        integerField(decoder, ["hidden_size"], genaiPath) / heads,
      vocabSize: optionalInteger(model.vocab_size),
      contextLength: optionalInteger(model.context_length),
      slidingWindow: optionalInteger((model.decoder as Json | undefined)?.sliding_window),
      names: {
        inputIds: name(inputs, "input_ids", "input_ids"),
        attentionMask: name(inputs, "attention_mask", "attention_mask"),
        positionIds: name(inputs, "position_ids", "position_ids"),
        pastKey: name(inputs, "past_key_names", "past_key_values.%d.key"),
        pastValue: name(inputs, "past_value_names", "past_key_values.%d.value"),
        logits: name(outputs, "logits", "logits"),
        presentKey: name(outputs, "present_key_names", "present.%d.key"),
        presentValue: name(outputs, "present_value_names", "present.%d.value"),
      },
      eosTokenIds: idList(model.eos_token_id),
      padTokenId: optionalInteger(model.pad_token_id),
      generation: {
        topK: optionalInteger(search.top_k),
        topP: typeof search.top_p === "number" ? search.top_p : undefined,
      },
    };
  }

  // Multimodal configs keep the language model's shape in "text_config".
  const shape =
    (typeof config!.text_config === "object" && config!.text_config !== null
      ? { ...config, ...(config!.text_config as Json) }
      : config) as Json;
  const { path: onnxPath, dtype } = await findOptimumOnnx(dir, requestedDtype, notices);
  const heads = integerField(shape, ["num_attention_heads", "n_head"], configPath);
  const generationConfig = (await readJson(join(dir, "generation_config.json"), false)) ?? {};
  const eosTokenIds = [
    ...new Set([...idList(generationConfig.eos_token_id), ...idList(shape.eos_token_id)]),
  ];
  return {
    ...common,
    layout: "optimum",
    onnxPath,
    dtype,
    numLayers: integerField(shape, ["num_hidden_layers", "n_layer", "num_layers"], configPath),
    numKvHeads: optionalInteger(shape.num_key_value_heads) ?? heads,
    headDim: optionalInteger(shape.head_dim) ??
      integerField(shape, ["hidden_size", "n_embd"], configPath) / heads,
    vocabSize: optionalInteger(shape.vocab_size),
    contextLength: optionalInteger(shape.max_position_embeddings) ??
      optionalInteger(shape.n_positions),
    slidingWindow: optionalInteger(shape.sliding_window),
    names: {
      inputIds: "input_ids",
      attentionMask: "attention_mask",
      positionIds: "position_ids",
      pastKey: "past_key_values.%d.key",
      pastValue: "past_key_values.%d.value",
      logits: "logits",
      presentKey: "present.%d.key",
      presentValue: "present.%d.value",
    },
    eosTokenIds,
    padTokenId: optionalInteger(generationConfig.pad_token_id) ??
      optionalInteger(shape.pad_token_id),
    generation: {
      topK: optionalInteger(generationConfig.top_k),
      topP: typeof generationConfig.top_p === "number" ? generationConfig.top_p : undefined,
    },
  };
}
