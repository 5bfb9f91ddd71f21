/**
 * Writes a complete Llama-architecture model directory that llm-judge (and
 * transformers.js) can load, with no download: the ONNX decoder, a
 * byte-level BPE `tokenizer.json`, `tokenizer_config.json` with a chat
 * template, and the configs of one of the two layouts users download:
 *
 * - `optimum`: Hugging Face Optimum / transformers.js (`config.json`,
 *   `generation_config.json`, `onnx/model.onnx`);
 * - `genai`: ONNX Runtime GenAI (`genai_config.json`, `model.onnx`; the graph
 *   computes positions from the attention mask, as GenAI exports do).
 *
 * With `externalData`, the weights go to a data file beside the `.onnx`, as in
 * exports of big models: `onnx/model.onnx_data` (optimum) or
 * `model.onnx.data` (genai).
 *
 * With `form: "genai-builder"` (genai layout only), the decoder is written
 * the way ONNX Runtime GenAI's model builder writes it for the CPU
 * (`GroupQueryAttention` with the rotary embedding inside, `MatMulNBits`
 * int4 block-32 weights, `SimplifiedLayerNormalization` /
 * `SkipSimplifiedLayerNormalization`; see `_genai_builder_graph.ts`), with
 * the builder's `genai_config.json` and the weights in `model.onnx.data`;
 * `weights: "dequantized"` writes the same model with plain `MatMul`s holding
 * the dequantized int4 weights.
 * @module
 */
import { dirname, join } from "node:path";
import { encodeModel, externalizeInitializers, writeEncoded } from "./_onnx_proto.ts";
import { buildLlamaGraph, type LlamaShape, parameterCount } from "./_llama_graph.ts";
import { buildGenaiBuilderGraph } from "./_genai_builder_graph.ts";

export type { LlamaShape } from "./_llama_graph.ts";
export { parameterCount } from "./_llama_graph.ts";

/** The test fixture: 2 layers, hidden size 64, 4 heads over 2 KV heads, byte-level vocabulary. */
export const TINY_SHAPE: LlamaShape = {
  vocabSize: 264,
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 4,
  numKvHeads: 2,
  intermediateSize: 128,
  maxPositions: 2048,
  ropeTheta: 10000,
  rmsEps: 1e-5,
};

/** The CPU benchmark model: about 100M parameters, Llama-shaped (GQA 12/4 heads, 32k vocabulary). */
export const BENCH_SHAPE: LlamaShape = {
  vocabSize: 32000,
  hiddenSize: 768,
  numLayers: 10,
  numHeads: 12,
  numKvHeads: 4,
  intermediateSize: 2048,
  maxPositions: 4096,
  ropeTheta: 500000,
  rmsEps: 1e-5,
};

/** Special tokens of the byte-level tokenizer, in id order after the 256 bytes. */
export const SPECIAL_TOKENS = [
  "<|begin_of_text|>",
  "<|end_of_text|>",
  "<|im_start|>",
  "<|im_end|>",
  "<|pad|>",
] as const;

/** The ChatML chat template the fixture ships (with the BOS token first). */
export const FIXTURE_CHAT_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** Options of {@linkcode writeLlamaModel}. */
export interface WriteLlamaModelOptions {
  /**
   * Directory layout.
   * @default {"optimum"}
   */
  layout?: "optimum" | "genai";
  /**
   * Model shape.
   * @default {TINY_SHAPE}
   */
  shape?: LlamaShape;
  /**
   * Seed of the weights.
   * @default {1}
   */
  seed?: number;
  /**
   * Chat template stored in `tokenizer_config.json`; `null` leaves it out.
   * @default {FIXTURE_CHAT_TEMPLATE}
   */
  chatTemplate?: string | null;
  /**
   * Restrict generation to printable ASCII, newline and the special tokens
   * (a logit bias), so the text of random weights is readable.
   * @default {true}
   */
  printableOnly?: boolean;
  /**
   * Standard deviation of the projection weights; large enough by default
   * that the output depends on the whole context, not only the last token.
   * @default {1.5 / sqrt(hiddenSize)}
   */
  weightStd?: number;
  /**
   * Write `generation_config.json` (optimum layout).
   * @default {true}
   */
  generationConfig?: boolean;
  /**
   * Write the weights (every initializer of 1 KiB or more) to an external
   * data file beside the `.onnx`: `model.onnx_data` in the optimum layout,
   * `model.onnx.data` in the genai layout.
   * @default {false}
   */
  externalData?: boolean;
  /**
   * Graph form: standard opset-17 operators, or ONNX Runtime GenAI's model
   * builder (contrib operators; genai layout only, weights always external).
   * @default {"opset17"}
   */
  form?: "opset17" | "genai-builder";
  /**
   * Weights of the `genai-builder` form: `int4` (MatMulNBits, block 32,
   * accuracy level 4) or `dequantized` (MatMul with the int4 weights as float32).
   * @default {"int4"}
   */
  weights?: "int4" | "dequantized";
  /**
   * `accuracy_level` of the `MatMulNBits` nodes (int4 weights): 4 computes
   * with int8 activations (the published CPU variant), 0 in float32.
   * @default {4}
   */
  accuracyLevel?: number;
}

/** The variant folder of the builder form, as in `microsoft/Phi-3-mini-4k-instruct-onnx`. */
export const GENAI_BUILDER_VARIANTS = {
  int4: "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4",
  dequantized: "cpu_and_mobile/cpu-fp32-dequantized-rtn-block-32",
} as const;

/** What {@linkcode writeLlamaModel} wrote. */
export interface WrittenModel {
  /** The model directory. */
  dir: string;
  /** Path of the `.onnx` file. */
  onnxPath: string;
  /** Parameter count. */
  parameters: number;
  /** Size of the `.onnx` file in bytes. */
  bytes: number;
  /** Path of the external data file (only with `externalData`). */
  dataPath?: string;
  /** Size of the external data file in bytes (only with `externalData`). */
  dataBytes?: number;
  /** Token ids of the special tokens. */
  ids: Record<(typeof SPECIAL_TOKENS)[number], number>;
}

/** GPT-2's reversible byte → printable character map used by byte-level BPE. */
export function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const map = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    map[b] = printable.includes(b) ? String.fromCodePoint(b) : String.fromCodePoint(256 + extra++);
  }
  return map;
}

function tokenizerJson(vocabSize: number): Record<string, unknown> {
  const bytes = byteToUnicode();
  const vocab: Record<string, number> = {};
  bytes.forEach((char, id) => vocab[char] = id);
  // Fill the vocabulary up to its size with two-byte tokens (no merges make
  // them: they are reached only by generation, and decode like any token).
  const first = 256 + SPECIAL_TOKENS.length;
  for (let id = first; id < vocabSize; id++) {
    const n = id - first;
    const token = bytes[0x61 + (n % 26)]! + bytes[0x61 + (Math.floor(n / 26) % 26)]! +
      (n >= 676 ? String(Math.floor(n / 676)) : "");
    vocab[token] = id;
  }
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, index) => ({
      id: 256 + index,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: {
      type: "ByteLevel",
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: true,
    },
    post_processor: {
      type: "ByteLevel",
      add_prefix_space: true,
      trim_offsets: false,
      use_regex: true,
    },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
}

/**
 * Writes a model directory; see the module doc for the layouts.
 *
 * @example
 * ```ts ignore
 * const model = await writeLlamaModel(await Deno.makeTempDir(), { layout: "genai" });
 * ```
 */
export async function writeLlamaModel(
  dir: string,
  options: WriteLlamaModelOptions = {},
): Promise<WrittenModel> {
  const layout = options.layout ?? "optimum";
  const shape = options.shape ?? TINY_SHAPE;
  const seed = options.seed ?? 1;
  if (shape.vocabSize < 256 + SPECIAL_TOKENS.length) {
    throw new RangeError(`Cannot write a model: vocabulary size ${shape.vocabSize} is too small`);
  }
  const ids = Object.fromEntries(
    SPECIAL_TOKENS.map((token, index) => [token, 256 + index]),
  ) as WrittenModel["ids"];
  const eos = [ids["<|im_end|>"], ids["<|end_of_text|>"]];
  let logitBias: Float32Array | undefined;
  if (options.printableOnly ?? true) {
    logitBias = new Float32Array(shape.vocabSize).fill(-1e4);
    // Byte-level characters of printable ASCII and newline, plus the end tokens.
    for (let b = 0x20; b <= 0x7e; b++) logitBias[b] = 0;
    logitBias[0x0a] = 0;
    for (const id of eos) logitBias[id] = 0;
  }
  const form = options.form ?? "opset17";
  if (form === "genai-builder" && layout !== "genai") {
    throw new RangeError(`Cannot write the genai-builder form in the ${layout} layout`);
  }
  const weightStd = options.weightStd ?? 1.5 / Math.sqrt(shape.hiddenSize);
  const spec = form === "genai-builder"
    ? buildGenaiBuilderGraph({
      shape,
      seed,
      weights: options.weights ?? "int4",
      logitBias,
      weightStd,
      blockSize: 32,
      accuracyLevel: options.accuracyLevel ?? 4,
      symmetric: true,
    })
    : buildLlamaGraph({
      shape,
      seed,
      positionIdsInput: layout === "optimum",
      logitBias,
      weightStd,
    });
  const onnxPath = layout === "optimum" ? join(dir, "onnx", "model.onnx") : join(dir, "model.onnx");
  await Deno.mkdir(dirname(onnxPath), { recursive: true });
  const location = layout === "optimum" ? "model.onnx_data" : "model.onnx.data";
  const externalized = (options.externalData ?? form === "genai-builder")
    ? externalizeInitializers(spec, { location })
    : undefined;
  const encoded = encodeModel(externalized?.model ?? spec);
  await writeEncoded(onnxPath, encoded);
  const dataPath = join(dirname(onnxPath), location);
  if (externalized !== undefined) await writeEncoded(dataPath, externalized.data);

  const json = (name: string, value: unknown) =>
    Deno.writeTextFile(join(dir, name), JSON.stringify(value, null, 2) + "\n");
  const headDim = shape.hiddenSize / shape.numHeads;
  await json("tokenizer.json", tokenizerJson(shape.vocabSize));
  const tokenizerConfig: Record<string, unknown> = {
    added_tokens_decoder: Object.fromEntries(
      SPECIAL_TOKENS.map((content, index) => [String(256 + index), {
        content,
        lstrip: false,
        normalized: false,
        rstrip: false,
        single_word: false,
        special: true,
      }]),
    ),
    bos_token: "<|begin_of_text|>",
    eos_token: "<|im_end|>",
    pad_token: "<|pad|>",
    clean_up_tokenization_spaces: false,
    model_max_length: shape.maxPositions,
    tokenizer_class: "PreTrainedTokenizerFast",
  };
  const template = options.chatTemplate === undefined
    ? FIXTURE_CHAT_TEMPLATE
    : options.chatTemplate;
  if (template !== null) tokenizerConfig.chat_template = template;
  await json("tokenizer_config.json", tokenizerConfig);

  if (layout === "optimum") {
    await json("config.json", {
      architectures: ["LlamaForCausalLM"],
      model_type: "llama",
      vocab_size: shape.vocabSize,
      hidden_size: shape.hiddenSize,
      intermediate_size: shape.intermediateSize,
      num_hidden_layers: shape.numLayers,
      num_attention_heads: shape.numHeads,
      num_key_value_heads: shape.numKvHeads,
      head_dim: headDim,
      max_position_embeddings: shape.maxPositions,
      rms_norm_eps: shape.rmsEps,
      rope_theta: shape.ropeTheta,
      hidden_act: "silu",
      tie_word_embeddings: false,
      bos_token_id: ids["<|begin_of_text|>"],
      eos_token_id: eos,
      pad_token_id: ids["<|pad|>"],
      torch_dtype: "float32",
      use_cache: true,
    });
    if (options.generationConfig ?? true) {
      await json("generation_config.json", {
        bos_token_id: ids["<|begin_of_text|>"],
        eos_token_id: eos,
        pad_token_id: ids["<|pad|>"],
        do_sample: false,
      });
    }
  } else if (form === "genai-builder") {
    await json("genai_config.json", builderGenaiConfig(shape, ids, eos));
    await json("special_tokens_map.json", {
      bos_token: "<|begin_of_text|>",
      eos_token: "<|im_end|>",
      pad_token: "<|pad|>",
    });
  } else {
    await json("genai_config.json", {
      model: {
        bos_token_id: ids["<|begin_of_text|>"],
        context_length: shape.maxPositions,
        decoder: genaiDecoder(shape),
        eos_token_id: eos,
        pad_token_id: ids["<|pad|>"],
        type: "llama",
        vocab_size: shape.vocabSize,
      },
      search: {
        do_sample: false,
        max_length: shape.maxPositions,
        min_length: 0,
        num_beams: 1,
        num_return_sequences: 1,
        past_present_share_buffer: false,
        repetition_penalty: 1.0,
        temperature: 1.0,
        top_k: 1,
        top_p: 1.0,
      },
    });
  }
  return {
    dir,
    onnxPath,
    parameters: parameterCount(shape),
    bytes: encoded.length,
    ...(externalized === undefined ? {} : { dataPath, dataBytes: externalized.data.length }),
    ids,
  };
}

/** The `model.decoder` block of a `genai_config.json`: file, shape, input and output names. */
function genaiDecoder(shape: LlamaShape): Record<string, unknown> {
  return {
    session_options: { log_id: "onnxruntime-genai", provider_options: [] },
    filename: "model.onnx",
    head_size: shape.hiddenSize / shape.numHeads,
    hidden_size: shape.hiddenSize,
    inputs: {
      input_ids: "input_ids",
      attention_mask: "attention_mask",
      past_key_names: "past_key_values.%d.key",
      past_value_names: "past_key_values.%d.value",
    },
    outputs: {
      logits: "logits",
      present_key_names: "present.%d.key",
      present_value_names: "present.%d.value",
    },
    num_attention_heads: shape.numHeads,
    num_hidden_layers: shape.numLayers,
    num_key_value_heads: shape.numKvHeads,
  };
}

/** `genai_config.json` as ONNX Runtime GenAI's model builder writes it for a CPU model. */
function builderGenaiConfig(
  shape: LlamaShape,
  ids: WrittenModel["ids"],
  eos: number[],
): Record<string, unknown> {
  return {
    model: {
      bos_token_id: ids["<|begin_of_text|>"],
      context_length: shape.maxPositions,
      decoder: genaiDecoder(shape),
      eos_token_id: eos,
      pad_token_id: ids["<|pad|>"],
      type: "llama",
      vocab_size: shape.vocabSize,
    },
    search: {
      diversity_penalty: 0.0,
      do_sample: false,
      early_stopping: true,
      length_penalty: 1.0,
      max_length: shape.maxPositions,
      min_length: 0,
      no_repeat_ngram_size: 0,
      num_beams: 1,
      num_return_sequences: 1,
      past_present_share_buffer: true,
      repetition_penalty: 1.0,
      temperature: 1.0,
      top_k: 50,
      top_p: 1.0,
    },
  };
}
