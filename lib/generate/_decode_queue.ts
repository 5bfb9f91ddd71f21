// The ONNX backend's request queue: continuous batching, or batch after batch.
import {
  advanceRow,
  decodeBatch,
  type DecodeContext,
  type DecodeRow,
  finishRow,
  leftPaddedPrompts,
  rowResult,
  type RowState,
  rowState,
} from "./_decode_batch.ts";
import { KvSlots } from "./_kv_slots.ts";
import { GqaSlots } from "./_gqa_slots.ts";
import type { DecoderOutput, OnnxDecoder } from "./onnx_decoder.ts";
import type { GenerationResult } from "./types.ts";

/** Hooks of one queued reply. */
export interface QueuedHooks {
  onText?: ((text: string) => void) | undefined;
  signal?: AbortSignal | undefined;
}

interface Job {
  row: DecodeRow;
  hooks: QueuedHooks;
  resolve: (result: GenerationResult) => void;
  reject: (error: unknown) => void;
  state?: RowState;
}

/** Options of {@linkcode DecodeQueue}. */
export interface DecodeQueueOptions {
  /** Most replies decoded together. */
  maxRows: number;
  /**
   * Replies join the batch at any step (continuous batching); otherwise
   * only when the batch is empty (batch after batch). Either way the cache
   * is kept in {@linkcode KvSlots} when the decoder outputs new entries on
   * the CPU, and `decodeBatch` runs otherwise (always batch after batch).
   */
  continuous: boolean;
  /**
   * How long an idle queue waits for more replies before it starts, in ms.
   * @default {0}
   */
  waitMs?: number;
  /**
   * Most prompt tokens (rows × longest prompt) run through the model in one
   * prefill.
   * @default {2048}
   */
  prefillTokens?: number;
}

type Context = Omit<DecodeContext, "onText" | "signal">;

/**
 * Decodes the replies submitted to it, from any number of callers, on one
 * decoder.
 *
 * With a decoder that outputs new cache entries on the CPU, the cache lives
 * in {@linkcode KvSlots}, and in continuous mode up to `maxRows` replies are
 * decoded together; a reply
 * that arrives while others decode has its prompt run through the model
 * (with other arrivals, left-padded) and joins the batch at the next step,
 * and a finished reply leaves at once, so the batch stays full while work
 * is waiting. Without continuous mode, replies join only an empty batch.
 *
 * With a `GroupQueryAttention` graph (ONNX Runtime GenAI's model builder)
 * on the CPU, the cache lives in {@linkcode GqaSlots}, one right-padded row
 * per reply that the operator extends in place; a reply's prompt runs alone
 * through the model (the operator takes a prompt only on an empty cache)
 * and joins the batch, in continuous mode at any step.
 *
 * Otherwise (a GPU-resident cache, or a graph that returns its whole cache),
 * waiting replies run as one batch of up to `maxRows` with `decodeBatch`,
 * and the next batch starts when it ends.
 *
 * Internal: {@linkcode OnnxBackend.queue} exposes it for its `steps` only.
 * @internal
 */
export class DecodeQueue {
  readonly #decoder: OnnxDecoder;
  readonly #context: Context;
  readonly #options: DecodeQueueOptions;
  readonly #waiting: Job[] = [];
  /** Jobs by cache row (continuous mode). */
  readonly #active: Job[] = [];
  #slots: KvSlots | undefined;
  #gqaSlots: GqaSlots | undefined;
  #running: Promise<void> | undefined;
  /** Rows per forward pass so far, prefills included (for tests and statistics). */
  readonly steps: number[] = [];

  constructor(decoder: OnnxDecoder, context: Context, options: DecodeQueueOptions) {
    this.#decoder = decoder;
    this.#context = context;
    this.#options = options;
  }

  /** Queues a reply; resolves when it is decoded. */
  submit(row: DecodeRow, hooks: QueuedHooks = {}): Promise<GenerationResult> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ row, hooks, resolve, reject });
      this.#running ??= this.#run();
    });
  }

  async #run(): Promise<void> {
    try {
      // Let callers that submit together (one generate() call, or several in
      // one tick) join, and wait for more when asked to.
      const waitMs = this.#options.waitMs ?? 0;
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      else await Promise.resolve();
      const onCpu = !this.#decoder.cacheOnDevice;
      const gqa = onCpu && this.#decoder.groupQueryAttention;
      const slots = onCpu && !gqa && this.#decoder.newEntries;
      while (this.#waiting.length > 0 || this.#active.length > 0) {
        if (gqa) await this.#gqaStep();
        else if (slots) await this.#slotStep();
        else await this.#nextBatch();
      }
    } finally {
      // In the same turn as the last check: a later submit starts a new run.
      this.#running = undefined;
    }
  }

  async #nextBatch(): Promise<void> {
    const jobs = this.#waiting.splice(0, this.#options.maxRows);
    const signals = jobs.map((job) => job.hooks.signal).filter((signal) => signal !== undefined);
    try {
      const results = await decodeBatch(jobs.map((job) => job.row), {
        ...this.#context,
        onText: (index, text) => jobs[index]!.hooks.onText?.(text),
        signal: signals.length === 0 ? undefined : AbortSignal.any(signals),
      });
      this.steps.push(jobs.length);
      jobs.forEach((job, index) => job.resolve(results[index]!));
    } catch (error) {
      for (const job of jobs) job.reject(error);
    }
  }

  #slotsFor(): KvSlots {
    if (this.#slots === undefined) {
      const decoder = this.#decoder;
      this.#slots = new KvSlots(decoder.runtime, {
        maxRows: this.#options.maxRows,
        heads: decoder.model.numKvHeads,
        size: decoder.model.headDim,
        type: decoder.cacheType,
      }, decoder.pastNames);
    }
    return this.#slots;
  }

  /** Admits waiting replies (one prefill), then runs one step for the batch. */
  async #slotStep(): Promise<void> {
    const slots = this.#slotsFor();
    const admitted: Job[] = [];
    try {
      await this.#admit(slots, admitted);
      if (this.#active.length > 0) await this.#decodeStep(slots);
    } catch (error) {
      // The cache is in an unknown state: every reply in it fails.
      for (const job of [...admitted, ...this.#active]) job.reject(error);
      this.#active.length = 0;
      slots.rows = 0;
      slots.next = 0;
    }
  }

  /**
   * Moves waiting replies into `admitted` while rows are free (in continuous
   * mode, or when the batch is empty), up to `limit` prompt tokens (rows ×
   * longest prompt); replies with nothing to decode are answered at once.
   */
  #takeWaiting(admitted: Job[], limit: number): void {
    // Batch after batch: replies join only an empty batch.
    if (!this.#options.continuous && this.#active.length > 0) return;
    const free = this.#options.maxRows - this.#active.length;
    const now = performance.now();
    let longest = 0;
    while (admitted.length < free && this.#waiting.length > 0) {
      const job = this.#waiting[0]!;
      const length = job.row.promptIds.length;
      const rows = admitted.length + 1;
      if (admitted.length > 0 && rows * Math.max(longest, length) > limit) break;
      this.#waiting.shift();
      job.state = rowState(job.row, this.#context, now);
      if (job.state.done || job.hooks.signal?.aborted) {
        // Nothing to decode (no room in the context, or already cancelled).
        finishRow(job.state, "length", now, undefined);
        job.resolve(rowResult(job.state));
        continue;
      }
      longest = Math.max(longest, length);
      admitted.push(job);
    }
  }

  async #admit(slots: KvSlots, admitted: Job[]): Promise<void> {
    this.#takeWaiting(admitted, this.#options.prefillTokens ?? 2048);
    if (admitted.length === 0) return;
    const states = admitted.map((job) => job.state!);
    const prompts = leftPaddedPrompts(states, this.#context.padId);
    const output = await this.#decoder.forward({
      inputIds: prompts.inputIds,
      attentionMask: prompts.mask,
      positionIds: prompts.positions,
      batch: admitted.length,
      length: prompts.longest,
      past: this.#decoder.emptyCache(admitted.length),
    });
    this.steps.push(admitted.length);
    const done = performance.now();
    admitted.forEach((job, b) => {
      const state = job.state!;
      const offset = (b * output.logitsLength + output.logitsLength - 1) * output.vocab;
      advanceRow(state, output.logits, offset, output.vocab, done, this.#context, job.hooks.onText);
      if (state.done) {
        job.resolve(rowResult(state));
        return;
      }
      const row = slots.addRow(output.present, b, state.pad, prompts.longest);
      this.#active[row] = job;
    });
    admitted.length = 0;
  }

  async #decodeStep(slots: KvSlots): Promise<void> {
    slots.makeRoom();
    const rows = slots.rows;
    const inputIds = new BigInt64Array(rows);
    const positions = new BigInt64Array(rows);
    for (let row = 0; row < rows; row++) {
      const state = this.#active[row]!.state!;
      inputIds[row] = BigInt(state.lastToken);
      positions[row] = BigInt(state.position++);
    }
    const output = await this.#decoder.forward({
      inputIds,
      attentionMask: slots.mask(),
      positionIds: positions,
      batch: rows,
      length: 1,
      past: slots.pastFeeds(),
    });
    this.steps.push(rows);
    slots.append(output.present);
    this.#advanceRows(output, rows, (row) => slots.removeRow(row));
  }

  /** Samples each row's next token from a step's logits; finished rows leave. */
  #advanceRows(output: DecoderOutput, rows: number, removeRow: (row: number) => void): void {
    const now = performance.now();
    for (let row = rows - 1; row >= 0; row--) {
      const job = this.#active[row]!;
      const state = job.state!;
      const offset = (row * output.logitsLength + output.logitsLength - 1) * output.vocab;
      advanceRow(state, output.logits, offset, output.vocab, now, this.#context, job.hooks.onText);
      if (!state.done && job.hooks.signal?.aborted) {
        finishRow(state, "length", now, job.hooks.onText);
      }
      if (!state.done) continue;
      job.resolve(rowResult(state));
      removeRow(row);
      const last = this.#active.pop()!;
      if (row < this.#active.length) this.#active[row] = last;
    }
  }

  #gqaSlotsFor(): GqaSlots {
    if (this.#gqaSlots === undefined) {
      const decoder = this.#decoder;
      this.#gqaSlots = new GqaSlots(decoder.runtime, {
        maxRows: this.#options.maxRows,
        heads: decoder.model.numKvHeads,
        size: decoder.model.headDim,
        type: decoder.cacheType,
        maxColumns: decoder.model.contextLength ?? Number.MAX_SAFE_INTEGER,
      }, decoder.pastNames);
    }
    return this.#gqaSlots;
  }

  /** GroupQueryAttention: admits waiting replies (one prefill each), then runs one step. */
  async #gqaStep(): Promise<void> {
    const slots = this.#gqaSlotsFor();
    const admitted: Job[] = [];
    try {
      this.#takeWaiting(admitted, Number.POSITIVE_INFINITY);
      while (admitted.length > 0) {
        await this.#gqaPrefill(slots, admitted[0]!);
        admitted.shift();
      }
      if (this.#active.length > 0) await this.#gqaDecode(slots);
    } catch (error) {
      // The cache is in an unknown state: every reply in it fails.
      for (const job of [...admitted, ...this.#active]) job.reject(error);
      this.#active.length = 0;
      slots.clear();
    }
  }

  /** Runs a prompt alone from an empty cache; the reply takes a row unless it is done. */
  async #gqaPrefill(slots: GqaSlots, job: Job): Promise<void> {
    const ids = job.row.promptIds;
    const output = await this.#decoder.forward({
      inputIds: BigInt64Array.from(ids, (id) => BigInt(id)),
      attentionMask: new BigInt64Array(ids.length).fill(1n),
      positionIds: BigInt64Array.from(ids, (_, i) => BigInt(i)),
      batch: 1,
      length: ids.length,
      past: this.#decoder.emptyCache(1),
    });
    this.steps.push(1);
    const state = job.state!;
    const offset = (output.logitsLength - 1) * output.vocab;
    advanceRow(
      state,
      output.logits,
      offset,
      output.vocab,
      performance.now(),
      this.#context,
      job.hooks.onText,
    );
    if (state.done) {
      job.resolve(rowResult(state));
      return;
    }
    this.#active[slots.addRow(output.present, ids.length)] = job;
  }

  /** One token for every row; the cache is extended in place. */
  async #gqaDecode(slots: GqaSlots): Promise<void> {
    slots.makeRoom();
    const rows = slots.rows;
    const inputIds = new BigInt64Array(rows);
    const positions = new BigInt64Array(rows);
    for (let row = 0; row < rows; row++) {
      const state = this.#active[row]!.state!;
      inputIds[row] = BigInt(state.lastToken);
      positions[row] = BigInt(state.position++);
    }
    const cache = slots.feeds();
    const output = await this.#decoder.forward({
      inputIds,
      attentionMask: slots.mask(),
      positionIds: positions,
      batch: rows,
      length: 1,
      past: cache,
      presentBuffers: cache,
    });
    this.steps.push(rows);
    slots.append(output.present);
    this.#advanceRows(output, rows, (row) => slots.removeRow(row));
  }

  /** Waits for the work in hand; replies still waiting are rejected. */
  async close(): Promise<void> {
    for (const job of this.#waiting.splice(0)) job.reject(new Error("The model is closing"));
    await this.#running;
  }
}
