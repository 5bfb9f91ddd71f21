// The batched decoding loop of the ONNX backend.
import { ERROR_OUTPUT } from "../data/error_output.ts";
import type { KvCache, OnnxDecoder } from "./onnx_decoder.ts";
import { sampleToken } from "./sample_token.ts";
import { TextStream } from "./_text_stream.ts";
import type { FinishReason, GenerationResult } from "./types.ts";

/** One reply to decode. */
export interface DecodeRow {
  promptIds: readonly number[];
  temperature: number;
  topK: number;
  topP: number;
  maxNewTokens: number;
  random: () => number;
  stops: readonly string[];
  ignoreEos: boolean;
  /** `performance.now()` when the reply was asked for (timings count from it). */
  submitted?: number;
}

/** What the loop needs besides the rows. */
export interface DecodeContext {
  decoder: OnnxDecoder;
  /** Token ids → text, special tokens skipped. */
  decode: (ids: number[]) => string;
  eosIds: ReadonlySet<number>;
  padId: number;
  contextLength: number | undefined;
  onText?: ((index: number, text: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** A reply being decoded. */
export interface RowState {
  row: DecodeRow;
  /** Left padding of this row in the batch. */
  pad: number;
  /** Next position id. */
  position: number;
  generated: number;
  lastToken: number;
  budget: number;
  stream: TextStream;
  done: boolean;
  finishReason: FinishReason;
  /** `performance.now()` when the reply was asked for, or its batch started. */
  started: number;
  firstTokenMs: number;
  totalMs: number;
  /** Set when the prompt does not fit the context (the only failure before the first step). */
  error?: string;
}

/** A row's state before its first step (budget cut to the context length). */
export function rowState(row: DecodeRow, context: DecodeContext, started: number): RowState {
  let budget = row.maxNewTokens;
  let error: string | undefined;
  if (context.contextLength !== undefined) {
    const room = context.contextLength - row.promptIds.length;
    if (room <= 0) {
      error =
        `the prompt has ${row.promptIds.length} tokens, more than the model's context length of ${context.contextLength}`;
    }
    budget = Math.min(budget, Math.max(0, room));
  }
  return {
    row,
    pad: 0,
    position: row.promptIds.length,
    generated: 0,
    lastToken: context.padId,
    budget,
    stream: new TextStream(context.decode, row.stops),
    done: budget <= 0,
    finishReason: "length",
    started: row.submitted ?? started,
    firstTokenMs: 0,
    totalMs: 0,
    ...(error === undefined ? {} : { error }),
  };
}

/**
 * Samples a row's next token from its logits (at `offset`) and ends the row
 * on an end-of-sequence id, a stop string or its budget.
 */
export function advanceRow(
  state: RowState,
  logits: Float32Array,
  offset: number,
  vocab: number,
  now: number,
  context: DecodeContext,
  onText: ((text: string) => void) | undefined,
): void {
  const token = sampleToken(logits, {
    temperature: state.row.temperature,
    topK: state.row.topK,
    topP: state.row.topP,
    random: state.row.random,
    offset,
    length: vocab,
  });
  const elapsed = now - state.started;
  state.generated++;
  if (state.generated === 1) state.firstTokenMs = elapsed;
  state.lastToken = token;
  if (!state.row.ignoreEos && context.eosIds.has(token)) {
    finishRow(state, "stop", now, onText);
    return;
  }
  const text = state.stream.push(token);
  if (text !== "") onText?.(text);
  if (state.stream.stopped) finishRow(state, "stop", now, onText);
  else if (state.generated >= state.budget) finishRow(state, "length", now, onText);
}

/** Ends a row, flushing the text held back for stop strings. */
export function finishRow(
  state: RowState,
  reason: FinishReason,
  now: number,
  onText: ((text: string) => void) | undefined,
): void {
  state.done = true;
  state.finishReason = reason;
  state.totalMs = now - state.started;
  const rest = state.stream.finish();
  if (rest !== "") onText?.(rest);
}

/** The result of a finished row. */
export function rowResult(state: RowState): GenerationResult {
  return {
    text: state.error === undefined ? state.stream.text : ERROR_OUTPUT,
    finishReason: state.finishReason,
    promptTokens: state.row.promptIds.length,
    completionTokens: state.generated,
    firstTokenMs: state.firstTokenMs,
    totalMs: state.totalMs,
    ...(state.error === undefined
      ? {}
      : { error: state.error, errorCode: "context_length_exceeded" as const }),
  };
}

/**
 * The prompts of rows as one left-padded batch: token ids (`padId` on the
 * padding), attention mask (0 on the padding) and positions counted from
 * each row's first real token. Sets each row's `pad`.
 */
export function leftPaddedPrompts(
  states: readonly RowState[],
  padId: number,
): { inputIds: BigInt64Array; mask: BigInt64Array; positions: BigInt64Array; longest: number } {
  const longest = Math.max(...states.map((state) => state.row.promptIds.length));
  const batch = states.length;
  const inputIds = new BigInt64Array(batch * longest);
  const mask = new BigInt64Array(batch * longest);
  const positions = new BigInt64Array(batch * longest).fill(1n);
  states.forEach((state, b) => {
    const ids = state.row.promptIds;
    state.pad = longest - ids.length;
    for (let i = 0; i < longest; i++) {
      const at = b * longest + i;
      if (i < state.pad) {
        inputIds[at] = BigInt(padId);
      } else {
        inputIds[at] = BigInt(ids[i - state.pad]!);
        mask[at] = 1n;
        positions[at] = BigInt(i - state.pad);
      }
    }
  });
  return { inputIds, mask, positions, longest };
}

/**
 * The prompts of rows as one right-padded batch, for `GroupQueryAttention`
 * graphs (which read a row's entries from cache column 0 and only the sum
 * of its mask): token ids (`padId` after each prompt), attention mask (1 on
 * the prompt) and positions from 0. Each row's `pad` is 0.
 */
export function rightPaddedPrompts(
  states: readonly RowState[],
  padId: number,
): { inputIds: BigInt64Array; mask: BigInt64Array; positions: BigInt64Array; longest: number } {
  const longest = Math.max(...states.map((state) => state.row.promptIds.length));
  const batch = states.length;
  const inputIds = new BigInt64Array(batch * longest).fill(BigInt(padId));
  const mask = new BigInt64Array(batch * longest);
  const positions = new BigInt64Array(batch * longest);
  states.forEach((state, b) => {
    const ids = state.row.promptIds;
    state.pad = 0;
    for (let i = 0; i < ids.length; i++) {
      inputIds[b * longest + i] = BigInt(ids[i]!);
      mask[b * longest + i] = 1n;
      positions[b * longest + i] = BigInt(i);
    }
  });
  return { inputIds, mask, positions, longest };
}

/**
 * Decodes a batch: left-pads the prompts (attention mask 0 on the padding,
 * positions counted from each row's first real token), runs the prompt
 * through the model once, then one token per row per step, feeding the
 * `present` cache back as `past`. A finished row is dropped from the batch
 * when the cache is on the CPU (the GPU cache keeps it; its outputs are
 * ignored). Rows end on an end-of-sequence id, a stop string, their token
 * budget or the model's context length.
 *
 * With a `GroupQueryAttention` graph the prompts are right-padded instead:
 * that operator places a row's entries from cache column 0 and takes only
 * the sum of its mask row (`seqlens_k`) and the mask's width, so each step's
 * mask row has ones on the row's entries and its new token, and the first
 * token is sampled from the logits at each prompt's own last position.
 */
export async function decodeBatch(
  rows: readonly DecodeRow[],
  context: DecodeContext,
): Promise<GenerationResult[]> {
  const { decoder } = context;
  const started = performance.now();
  const states = rows.map((row) => rowState(row, context, started));
  const onText = context.onText;
  const onTextOf = (index: number) =>
    onText === undefined ? undefined : (text: string) => onText(index, text);
  const active = states.map((_, index) => index).filter((index) => !states[index]!.done);
  if (active.length > 0) {
    const gqa = decoder.groupQueryAttention;
    const activeStates = active.map((index) => states[index]!);
    const prompts = gqa
      ? rightPaddedPrompts(activeStates, context.padId)
      : leftPaddedPrompts(activeStates, context.padId);
    const { inputIds, mask, positions, longest } = prompts;
    if (
      gqa && decoder.lastLogits &&
      activeStates.some((state) => state.row.promptIds.length !== longest)
    ) {
      throw new Error(
        "Cannot decode prompts of different lengths together: the GroupQueryAttention graph was edited to compute the last position's logits only",
      );
    }
    const batch = active.length;
    let total = longest;
    let cache: KvCache = decoder.emptyCache(batch);
    let step = { inputIds, attentionMask: mask, positionIds: positions, length: longest };
    // Which state each batch row holds; a row of a finished state stays while the cache is on the GPU.
    let batchRows = [...active];
    try {
      while (true) {
        const output = await decoder.forward({ ...step, batch: batchRows.length, past: cache });
        decoder.release(cache);
        cache = output.present;
        const now = performance.now();
        batchRows.forEach((index, b) => {
          const state = states[index]!;
          if (state.done) return;
          // Right-padded prompts (GroupQueryAttention): the row's own last position.
          const last = gqa && output.logitsLength > 1 && state.generated === 0
            ? state.row.promptIds.length - 1
            : output.logitsLength - 1;
          const offset = (b * output.logitsLength + last) * output.vocab;
          advanceRow(state, output.logits, offset, output.vocab, now, context, onTextOf(index));
        });
        if (context.signal?.aborted) break;
        const open = batchRows.filter((index) => !states[index]!.done);
        if (open.length === 0) break;
        if (open.length < batchRows.length) {
          const kept = decoder.keepRows(cache, open.map((index) => batchRows.indexOf(index)));
          if (kept !== undefined) {
            cache = kept;
            batchRows = open;
          }
        }
        total++;
        const size = batchRows.length;
        const nextIds = new BigInt64Array(size);
        const nextMask = new BigInt64Array(size * total);
        const nextPositions = new BigInt64Array(size);
        batchRows.forEach((index, b) => {
          const state = states[index]!;
          nextIds[b] = BigInt(state.done ? context.padId : state.lastToken);
          if (gqa) {
            // The row's entries and its new token, from column 0.
            nextMask.fill(1n, b * total, b * total + state.position + 1);
          } else {
            nextMask.fill(1n, b * total + state.pad, (b + 1) * total);
          }
          nextPositions[b] = BigInt(state.position++);
        });
        step = {
          inputIds: nextIds,
          attentionMask: nextMask,
          positionIds: nextPositions,
          length: 1,
        };
      }
    } finally {
      decoder.release(cache);
    }
  }
  const end = performance.now();
  return states.map((state, index) => {
    if (!state.done) finishRow(state, "length", end, onTextOf(index));
    return rowResult(state);
  });
}
