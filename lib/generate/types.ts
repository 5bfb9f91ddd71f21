/** Types of the generation layer: requests, results and the backend interface. */
import type { ChatTemplateMessage } from "../prompts/chat_templates.ts";

/** One chat message of a generation request. */
export type GenerationMessage = ChatTemplateMessage;

/** One conversation to continue with an assistant turn. */
export interface GenerationRequest {
  /** The conversation so far; the reply continues it. */
  messages: readonly GenerationMessage[];
  /** Sampling temperature; below 1e-4 decoding is greedy (FastChat's rule). */
  temperature: number;
  /** Completion budget in tokens. */
  maxNewTokens: number;
  /** Seed of the sampler (ignored when greedy). */
  seed?: number | undefined;
  /** Nucleus sampling mass; 1 keeps every token. */
  topP?: number | undefined;
  /** Keep only the k most likely tokens; 0 keeps all. */
  topK?: number | undefined;
  /** Extra strings that end the reply (not included in it). */
  stop?: readonly string[] | undefined;
  /** Generate exactly `maxNewTokens` tokens, ignoring end-of-sequence tokens (benchmarks). */
  ignoreEos?: boolean | undefined;
}

/** Why a reply ended, with OpenAI's names. */
export type FinishReason = "stop" | "length";

/** A generated reply. */
export interface GenerationResult {
  /** The reply text, without the stop string or end token. */
  text: string;
  /** `stop` at an end token or stop string, `length` at the token limit. */
  finishReason: FinishReason;
  /** Tokens of the rendered prompt. */
  promptTokens: number;
  /** Tokens generated (the end token counted). */
  completionTokens: number;
  /** ms from the request (time in the backend's queue included) to the reply's first token. */
  firstTokenMs: number;
  /** ms from the request to the reply's end. */
  totalMs: number;
  /** Set when no reply could be made (then `text` is FastChat's `$ERROR$`). */
  error?: string | undefined;
  /**
   * What kind of failure `error` is, where a caller acts on it:
   * `context_length_exceeded` (the prompt does not fit the model's context)
   * or `request_timeout` (stopped at a deadline).
   */
  errorCode?: "context_length_exceeded" | "request_timeout" | undefined;
}

/** Options for {@linkcode GenerationBackend.generate}. */
export interface GenerateOptions {
  /**
   * Receives each piece of text as it is decided (streaming), per request index.
   * @default {undefined}
   */
  onText?: ((index: number, text: string) => void) | undefined;
  /**
   * Stops generation: finished replies are returned as they stand.
   * @default {undefined}
   */
  signal?: AbortSignal | undefined;
}

/** What a backend says about itself; recorded with every answer. */
export interface BackendInfo {
  /** `onnx`, `api` or `mock`. */
  kind: string;
  /** Model name or path. */
  model: string;
  /** Execution provider actually used (`cpu`, `webgpu`, `cuda`), or the API's base URL(s). */
  device: string;
  /** Weight type of the loaded file (`fp32`, `fp16`, `q4`, …), when known. */
  dtype?: string | undefined;
  /** Where the chat template came from (`tokenizer_config.json`, `named:llama-3`, `server`). */
  template?: string | undefined;
  /** Fingerprint of the chat template, when known. */
  templateFingerprint?: string | undefined;
  /** Anything else worth recording (layout, file). */
  details?: Record<string, unknown> | undefined;
}

/**
 * A chat model that generates replies for a batch of conversations. The
 * ONNX backend decodes a batch together; the API backend sends its requests
 * in parallel; the scripted mock answers from a script. One conformance
 * suite covers them all.
 */
export interface GenerationBackend {
  /** How the backend describes itself. */
  readonly info: BackendInfo;
  /** Largest batch `generate` takes at once (the serve scheduler's limit). */
  readonly maxBatchSize: number;
  /**
   * Whether `generate` may be called many times at once, with the backend
   * batching the calls' requests itself (the ONNX backend's queue); callers
   * then send each conversation on its own instead of forming batches.
   */
  readonly batchesCalls?: boolean;
  /** Generates one reply per request, in request order. */
  generate(
    requests: readonly GenerationRequest[],
    options?: GenerateOptions,
  ): Promise<GenerationResult[]>;
  /** Releases the model. */
  close(): Promise<void>;
}
