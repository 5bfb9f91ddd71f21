import { Tokenizer } from "npm:@huggingface/tokenizers@0.2.0";
import { join } from "node:path";
import { seededRandom } from "../stats/random.ts";
import { type NamedChatTemplate, namedChatTemplate } from "../prompts/chat_templates.ts";
import { renderChat } from "../prompts/render_chat.ts";
import { chatTemplateFingerprint } from "../prompts/chat_template_fingerprint.ts";
import type { DecodeRow } from "./_decode_batch.ts";
import { DecodeQueue } from "./_decode_queue.ts";
import { ModelLoadError } from "./model_load_error.ts";
import { OnnxDecoder } from "./onnx_decoder.ts";
import { type ModelDirectory, readModelDirectory } from "./read_model_directory.ts";
import type {
  BackendInfo,
  GenerateOptions,
  GenerationBackend,
  GenerationMessage,
  GenerationRequest,
  GenerationResult,
} from "./types.ts";

/** Options for {@linkcode loadOnnxBackend}. */
export interface LoadOnnxBackendOptions {
  /**
   * `--ep`: `cpu`, `webgpu`, `cuda`, a list tried in order (`webgpu,cpu`), or `auto`.
   * @default {"cpu"}
   */
  ep?: string;
  /**
   * `--dtype`: which weight file of an Optimum export (`auto`, `fp32`, `fp16`, `q4`, …).
   * @default {"auto"}
   */
  dtype?: string;
  /**
   * `--template`: a built-in chat template to use instead of the model's own
   * (required when the model has none).
   * @default {undefined}
   */
  template?: string | undefined;
  /**
   * Largest batch decoded at once; bigger requests lists are split.
   * @default {8}
   */
  maxBatchSize?: number;
  /**
   * CPU threads per operator.
   * @default {undefined} (ONNX Runtime's choice)
   */
  threads?: number | undefined;
  /**
   * Edit the graph for the CPU decoding loop (see `OnnxDecoder.load`);
   * `false` loads it as it is, decoding batch after batch.
   * @default {true}
   */
  editGraph?: boolean;
  /**
   * Continuous batching when the decoder allows it (edited graph, cache on
   * the CPU); `false` decodes batch after batch (benchmarks).
   * @default {true}
   */
  continuous?: boolean;
  /**
   * How long an idle model waits for more requests before it starts
   * decoding, in ms (`serve --batch-wait-ms`); requests made together always
   * start together.
   * @default {0}
   */
  batchWaitMs?: number;
  /**
   * The model's name in `info.model` (e.g. a Hub repo id); the directory when unset.
   * @default {undefined}
   */
  modelName?: string | undefined;
  /**
   * Extra fields for `info.details` (e.g. the Hub repo, revision, commit and variant).
   * @default {undefined}
   */
  details?: Record<string, unknown> | undefined;
  /**
   * Receives notices (provider fallbacks, dtype substitutions).
   * @default {undefined}
   */
  onNotice?: ((text: string) => void) | undefined;
}

/** The ONNX backend, with what the tests and benchmarks look at. */
export interface OnnxBackend extends GenerationBackend {
  /** The model directory as read. */
  readonly model: ModelDirectory;
  /** The decoder session. */
  readonly decoder: OnnxDecoder;
  /** The request queue (its `steps` record the rows of each forward pass). */
  readonly queue: DecodeQueue;
  /** Renders a conversation with the chat template in use. */
  renderPrompt(messages: readonly GenerationMessage[]): string;
  /** Token ids of a rendered prompt (no special tokens added: the template has them). */
  encode(text: string): number[];
  /** Text of token ids, special tokens skipped. */
  decode(ids: readonly number[]): string;
}

/** Hugging Face's default `top_k` when sampling, which FastChat's generation inherits. */
const HF_DEFAULT_TOP_K = 50;

/**
 * Loads a local ONNX chat model (Optimum / transformers.js or ONNX Runtime
 * GenAI layout) as a {@linkcode GenerationBackend}: the model's tokenizer
 * (`@huggingface/tokenizers`), its own chat template (Jinja, from
 * `tokenizer_config.json`) or a built-in one (`template`), and the decoder on
 * the chosen execution provider. `generate` decodes up to `maxBatchSize`
 * conversations together with a KV cache, greedy at temperature 0 and seeded
 * top-k/top-p sampling otherwise, stopping on the model's end tokens, the
 * template's stop tokens and the requests' stop strings.
 *
 * Throws a `ModelLoadError` naming the file for a broken model directory, and
 * a `RangeError` for an unknown `template`, `ep` or `dtype`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadOnnxBackend } from "./onnx_backend.ts";
 * import { writeLlamaModel } from "../../scripts/write_llama_model.ts";
 * // A tiny random Llama written by the repository's fixture generator; a real
 * // model is a downloaded directory such as "models/Phi-3-mini-4k-instruct-onnx".
 * const { dir } = await writeLlamaModel(await Deno.makeTempDir());
 * const backend = await loadOnnxBackend(dir, { ep: "cpu" });
 * const [reply] = await backend.generate([
 *   { messages: [{ role: "user", content: "Hello" }], temperature: 0, maxNewTokens: 4 },
 * ]);
 * await backend.close();
 * assert.equal(reply!.error, undefined);
 * assert.ok(reply!.completionTokens <= 4);
 * ```
 */
export async function loadOnnxBackend(
  dir: string,
  options: LoadOnnxBackendOptions = {},
): Promise<OnnxBackend> {
  const named: NamedChatTemplate | undefined = options.template === undefined
    ? undefined
    : namedChatTemplate(options.template);
  const model = await readModelDirectory(dir, { dtype: options.dtype ?? "auto" });
  for (const notice of model.notices) options.onNotice?.(notice);
  if (named === undefined && model.chatTemplate === undefined) {
    throw new ModelLoadError(
      `the model has no chat template (no "chat_template" in tokenizer_config.json, no chat_template.jinja): choose one with --template llama-3|phi-3|mistral|chatml|qwen|gemma`,
      { file: join(dir, "tokenizer_config.json") },
    );
  }
  if (named !== undefined && model.chatTemplate !== undefined) {
    options.onNotice?.(
      `using the built-in "${named.name}" chat template instead of the model's own (--template)`,
    );
  }
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(model.tokenizerJson, model.tokenizerConfig);
  } catch (error) {
    throw new ModelLoadError(
      `the tokenizer cannot be built: ${(error as Error).message}`,
      { file: join(dir, "tokenizer.json") },
      { cause: error },
    );
  }
  const template = named?.template ?? model.chatTemplate!;
  const bosToken = model.bosToken ?? named?.bosToken ?? "";
  const eosToken = model.eosToken ?? named?.eosToken ?? "";
  const eosIds = new Set(model.eosTokenIds);
  for (const token of [eosToken, ...(named?.stopTokens ?? [])]) {
    const id = token === "" ? undefined : tokenizer.token_to_id(token);
    if (id !== undefined) eosIds.add(id);
  }
  const padId = model.padTokenId ?? [...eosIds][0] ?? 0;
  const decoder = await OnnxDecoder.load(model, {
    ep: options.ep ?? "cpu",
    threads: options.threads,
    editGraph: options.editGraph ?? true,
    onNotice: options.onNotice,
  });
  const maxBatchSize = options.maxBatchSize ?? 8;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new RangeError(
      `Cannot load the model: maxBatchSize must be a positive integer, got ${maxBatchSize}`,
    );
  }
  const continuous = (options.continuous ?? true) && !decoder.cacheOnDevice &&
    (decoder.newEntries || decoder.groupQueryAttention);
  const info: BackendInfo = {
    kind: "onnx",
    model: options.modelName ?? dir,
    device: decoder.ep,
    dtype: model.dtype === "genai"
      ? (decoder.cacheType === "float16" ? "fp16" : "fp32")
      : model.dtype,
    template: named === undefined ? "tokenizer_config.json" : `named:${named.name}`,
    templateFingerprint: chatTemplateFingerprint(template),
    details: {
      ...options.details,
      layout: model.layout,
      onnx_file: model.onnxPath,
      kv_cache: decoder.cacheOnDevice ? "device" : "cpu",
      ...(decoder.groupQueryAttention ? { attention: "GroupQueryAttention" } : {}),
      batching: continuous ? "continuous" : "static",
      ...(decoder.graphNotes.length === 0 ? {} : { graph: decoder.graphNotes.join("; ") }),
    },
  };
  const renderPrompt = (messages: readonly GenerationMessage[]) =>
    renderChat(template, messages, { bosToken, eosToken });
  const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids;
  const decode = (ids: readonly number[]) =>
    ids.length === 0 ? "" : tokenizer.decode([...ids], { skip_special_tokens: true });

  const queue = new DecodeQueue(decoder, {
    decoder,
    decode: (ids) => decode(ids),
    eosIds,
    padId,
    contextLength: model.contextLength,
  }, { maxRows: maxBatchSize, continuous, waitMs: options.batchWaitMs ?? 0 });

  return {
    info,
    maxBatchSize,
    batchesCalls: true,
    model,
    decoder,
    queue,
    renderPrompt,
    encode,
    decode,
    generate(
      requests: readonly GenerationRequest[],
      generateOptions: GenerateOptions = {},
    ): Promise<GenerationResult[]> {
      const { onText, signal } = generateOptions;
      return Promise.all(requests.map((request, index) => {
        const row: DecodeRow = {
          promptIds: encode(renderPrompt(request.messages)),
          temperature: request.temperature,
          topK: request.topK ?? model.generation.topK ?? HF_DEFAULT_TOP_K,
          topP: request.topP ?? model.generation.topP ?? 1,
          maxNewTokens: request.maxNewTokens,
          random: seededRandom(request.seed ?? 0),
          stops: request.stop ?? [],
          ignoreEos: request.ignoreEos ?? false,
          submitted: performance.now(),
        };
        return queue.submit(row, {
          onText: onText === undefined ? undefined : (text) => onText(index, text),
          signal,
        });
      }));
    },
    async close() {
      await queue.close();
      await decoder.close();
    },
  };
}
