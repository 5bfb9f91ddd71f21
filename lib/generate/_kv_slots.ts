// The KV cache of the continuous decoding loop, kept in its own buffers.
import type * as ort from "npm:onnxruntime-node@1.30.0";

import { type CacheArray, cacheTensors, type Ort } from "./_cache_tensors.ts";

/** Columns are added in steps of this many. */
const COLUMN_STEP = 128;

/**
 * The KV cache of up to `maxRows` replies, one row each, in buffers of
 * `[maxRows, heads, capacity, size]` per cache input, with an attention mask
 * of `[maxRows, capacity + 1]` (the last column is the token being decoded).
 *
 * Active rows are rows `0 … rows - 1`, so the first rows of each buffer are
 * a `[rows, heads, capacity, size]` tensor that ONNX Runtime reads in place.
 * Every step writes all rows' new entries at one column, `next`; a reply's
 * prompt goes right-aligned before `next` when it joins. A column a row does
 * not use is masked out: attention does not depend on where an entry is
 * (its position is in its rotary embedding), so rows that join at different
 * times share the columns. When `next` reaches the capacity, each row's
 * entries are moved to the front (and the capacity grows if they still fill
 * it).
 */
export class KvSlots {
  /** Active rows. */
  rows = 0;
  /** The column the next step's entries go to. */
  next = 0;
  #capacity = 0;
  readonly #maxRows: number;
  readonly #heads: number;
  readonly #size: number;
  readonly #type: "float32" | "float16";
  readonly #names: readonly string[];
  #buffers: CacheArray[] = [];
  #mask = new BigInt64Array(0);
  readonly #ort: Ort;

  constructor(
    runtime: Ort,
    shape: { maxRows: number; heads: number; size: number; type: "float32" | "float16" },
    names: readonly string[],
  ) {
    this.#ort = runtime;
    this.#maxRows = shape.maxRows;
    this.#heads = shape.heads;
    this.#size = shape.size;
    this.#type = shape.type;
    this.#names = names;
  }

  /** Columns per row. */
  get capacity(): number {
    return this.#capacity;
  }

  #allocate(capacity: number): CacheArray {
    const length = this.#maxRows * this.#heads * capacity * this.#size;
    return this.#type === "float16" ? new Uint16Array(length) : new Float32Array(length);
  }

  /**
   * Makes room for `columns` columns (keeping the entries), growing in steps
   * of 128: every column is read at every step (masked or not), so spare
   * capacity costs time, while growing costs one copy of the cache.
   */
  reserve(columns: number): void {
    if (columns <= this.#capacity) return;
    const capacity = Math.ceil(columns / COLUMN_STEP) * COLUMN_STEP;
    const old = this.#capacity;
    const { size } = this;
    this.#buffers = this.#names.map((_, index) => {
      const buffer = this.#allocate(capacity);
      const source = this.#buffers[index];
      if (source !== undefined) {
        for (let block = 0; block < this.rows * this.#heads; block++) {
          buffer.set(
            source.subarray(block * old * size, (block * old + this.next) * size),
            block * capacity * size,
          );
        }
      }
      return buffer;
    });
    const mask = new BigInt64Array(this.#maxRows * (capacity + 1));
    for (let row = 0; row < this.rows; row++) {
      mask.set(
        this.#mask.subarray(row * (old + 1), row * (old + 1) + this.next),
        row * (capacity + 1),
      );
      mask[row * (capacity + 1) + capacity] = 1n;
    }
    this.#mask = mask;
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#size;
  }

  /** The cache inputs of a step: `[rows, heads, capacity, size]` views. */
  pastFeeds(): Record<string, ort.Tensor> {
    return cacheTensors(this.#ort, this.#names, this.#buffers, this.#type, [
      this.rows,
      this.#heads,
      this.#capacity,
      this.#size,
    ]);
  }

  /** The attention mask of a step: `[rows, capacity + 1]`. */
  mask(): BigInt64Array {
    return this.#mask.subarray(0, this.rows * (this.#capacity + 1));
  }

  /**
   * Adds a row holding a prompt's entries: columns `from … to - 1` of row
   * `source` of a prefill's outputs (`[batch, heads, length, size]` by cache
   * name), placed right-aligned before `next` (which moves right when the
   * prompt is longer than the columns before it).
   */
  addRow(entries: Record<string, ort.Tensor>, source: number, from: number, to: number): number {
    const count = to - from;
    if (count > this.next) this.next = count;
    this.reserve(this.next + 1);
    const row = this.rows++;
    const capacity = this.#capacity;
    const { size } = this;
    const start = this.next - count;
    this.#names.forEach((name, index) => {
      const tensor = entries[name]!;
      const length = tensor.dims[2]!;
      const data = tensor.data as CacheArray;
      const target = this.#buffers[index]!;
      for (let head = 0; head < this.#heads; head++) {
        const at = (source * this.#heads + head) * length;
        target.set(
          data.subarray((at + from) * size, (at + to) * size),
          ((row * this.#heads + head) * capacity + start) * size,
        );
      }
    });
    const base = row * (capacity + 1);
    this.#mask.fill(0n, base, base + capacity);
    this.#mask.fill(1n, base + start, base + this.next);
    this.#mask[base + capacity] = 1n;
    return row;
  }

  /** Writes a step's new entries (`[rows, heads, 1, size]` by cache name) at column `next`. */
  append(entries: Record<string, ort.Tensor>): void {
    const capacity = this.#capacity;
    const { size } = this;
    this.#names.forEach((name, index) => {
      const data = entries[name]!.data as CacheArray;
      const target = this.#buffers[index]!;
      for (let block = 0; block < this.rows * this.#heads; block++) {
        target.set(
          data.subarray(block * size, (block + 1) * size),
          (block * capacity + this.next) * size,
        );
      }
    });
    for (let row = 0; row < this.rows; row++) this.#mask[row * (capacity + 1) + this.next] = 1n;
    this.next++;
  }

  /** Removes a row: the last row moves into its place. */
  removeRow(row: number): void {
    const last = --this.rows;
    if (row !== last) {
      const block = this.#heads * this.#capacity * this.size;
      for (const buffer of this.#buffers) {
        buffer.copyWithin(row * block, last * block, (last + 1) * block);
      }
      const width = this.#capacity + 1;
      this.#mask.copyWithin(row * width, last * width, (last + 1) * width);
    }
    if (this.rows === 0) this.next = 0;
  }

  /**
   * Makes room for the next step's entries: when `next` is at the capacity,
   * moves each row's entries to the front (their order kept), then grows the
   * capacity if fewer than 32 columns are free.
   */
  makeRoom(): void {
    if (this.next < this.#capacity) return;
    const capacity = this.#capacity;
    const width = capacity + 1;
    const { size } = this;
    let longest = 0;
    for (let row = 0; row < this.rows; row++) {
      const base = row * width;
      let kept = 0;
      for (let column = 0; column < this.next; column++) {
        if (this.#mask[base + column] === 0n) continue;
        if (column !== kept) {
          for (const buffer of this.#buffers) {
            for (let head = 0; head < this.#heads; head++) {
              const at = (row * this.#heads + head) * capacity;
              buffer.copyWithin((at + kept) * size, (at + column) * size, (at + column + 1) * size);
            }
          }
        }
        kept++;
      }
      this.#mask.fill(1n, base, base + kept);
      this.#mask.fill(0n, base + kept, base + capacity);
      longest = Math.max(longest, kept);
    }
    this.next = longest;
    this.reserve(this.next + COLUMN_STEP / 4);
  }
}
