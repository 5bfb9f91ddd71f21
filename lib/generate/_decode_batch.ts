// The batched decoding loop of the ONNX backend.
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

interface RowState {
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
  firstTokenMs: number;
  totalMs: number;
  error?: string;
}

/**
 * Decodes a batch: left-pads the prompts (attention mask 0 on the padding,
 * positions counted from each row's first real token), runs the prompt
 * through the model once, then one token per row per step, feeding the
 * `present` cache back as `past`. A finished row is dropped from the batch
 * when the cache is on the CPU (the GPU cache keeps it; its outputs are
 * ignored). Rows end on an end-of-sequence id, a stop string, their token
 * budget or the model's context length.
 */
export async function decodeBatch(
  rows: readonly DecodeRow[],
  context: DecodeContext,
): Promise<GenerationResult[]> {
  const { decoder } = context;
  const started = performance.now();
  const states: RowState[] = rows.map((row) => {
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
      firstTokenMs: 0,
      totalMs: 0,
      ...(error === undefined ? {} : { error }),
    };
  });
  const active = states.map((_, index) => index).filter((index) => !states[index]!.done);
  if (active.length > 0) {
    const longest = Math.max(...active.map((index) => rows[index]!.promptIds.length));
    const batch = active.length;
    const inputIds = new BigInt64Array(batch * longest);
    const mask = new BigInt64Array(batch * longest);
    const positions = new BigInt64Array(batch * longest).fill(1n);
    active.forEach((index, b) => {
      const state = states[index]!;
      const ids = state.row.promptIds;
      state.pad = longest - ids.length;
      for (let i = 0; i < longest; i++) {
        const at = b * longest + i;
        if (i < state.pad) {
          inputIds[at] = BigInt(context.padId);
        } else {
          inputIds[at] = BigInt(ids[i - state.pad]!);
          mask[at] = 1n;
          positions[at] = BigInt(i - state.pad);
        }
      }
    });
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
        const now = performance.now() - started;
        batchRows.forEach((index, b) => {
          const state = states[index]!;
          if (state.done) return;
          const offset = (b * step.length + step.length - 1) * output.vocab;
          const token = sampleToken(output.logits, {
            temperature: state.row.temperature,
            topK: state.row.topK,
            topP: state.row.topP,
            random: state.row.random,
            offset,
            length: output.vocab,
          });
          state.generated++;
          if (state.generated === 1) state.firstTokenMs = now;
          state.lastToken = token;
          if (!state.row.ignoreEos && context.eosIds.has(token)) {
            finish(state, "stop", now, index, context);
            return;
          }
          const text = state.stream.push(token);
          if (text !== "") context.onText?.(index, text);
          if (state.stream.stopped) finish(state, "stop", now, index, context);
          else if (state.generated >= state.budget) finish(state, "length", now, index, context);
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
          nextPositions[b] = BigInt(state.position++);
          nextMask.fill(1n, b * total + state.pad, (b + 1) * total);
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
  const end = performance.now() - started;
  return states.map((state, index) => {
    if (!state.done) finish(state, "length", end, index, context);
    return {
      text: state.error === undefined ? state.stream.text : "$ERROR$",
      finishReason: state.finishReason,
      promptTokens: state.row.promptIds.length,
      completionTokens: state.generated,
      firstTokenMs: state.firstTokenMs,
      totalMs: state.totalMs,
      ...(state.error === undefined ? {} : { error: state.error }),
    };
  });
}

function finish(
  state: RowState,
  reason: FinishReason,
  now: number,
  index: number,
  context: DecodeContext,
): void {
  state.done = true;
  state.finishReason = reason;
  state.totalMs = now;
  const rest = state.stream.finish();
  if (rest !== "") context.onText?.(index, rest);
}
