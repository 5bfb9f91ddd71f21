// The KV cache of the continuous decoding loop for GroupQueryAttention graphs.
import type * as ort from "npm:onnxruntime-node@1.30.0";

import { type CacheArray, cacheTensors, type Ort } from "./_cache_tensors.ts";

/** Columns are added in steps of this many. */
const COLUMN_STEP = 64;

/**
 * The KV cache of up to `maxRows` replies for a graph whose attention is
 * ONNX Runtime's com.microsoft `GroupQueryAttention` (ONNX Runtime GenAI's
 * model builder), kept as that operator wants it when past and present
 * share one buffer: `[maxRows, heads, capacity, size]` per cache input, each
 * row's entries from column 0 (right padding), its own length per row.
 *
 * The operator reads from the attention mask only each row's sum (`seqlens_k`
 * = sum − 1, the row's entries before this step) and its width
 * (`total_sequence_length`, here the capacity): a step's new entry of row b
 * goes to column `length[b]`, its rotary position is `length[b]`, and it
 * attends to columns `0 … length[b]`. Rows are independent, so a reply joins
 * (its prompt's entries copied into a free row) and leaves (the last row
 * moved into its place) at any step, and nothing is masked or compacted.
 *
 * The buffers are passed as the `past` inputs and as preallocated `present`
 * outputs: ONNX Runtime then sees one buffer and writes each new entry in
 * place (no copy of the cache inside the operator). onnxruntime-node still
 * copies each preallocated output back into a fresh JavaScript array, so
 * the capacity is kept close to the longest row.
 */
export class GqaSlots {
  /** Active rows. */
  rows = 0;
  /** Entries per active row. */
  readonly lengths: number[] = [];
  #capacity = 0;
  readonly #maxRows: number;
  readonly #maxColumns: number;
  readonly #heads: number;
  readonly #size: number;
  readonly #type: "float32" | "float16";
  readonly #names: readonly string[];
  #buffers: CacheArray[] = [];
  readonly #ort: Ort;

  /**
   * @param shape `maxColumns` is the longest sequence the graph takes (its
   *   rotary cache's length), which the capacity never exceeds.
   */
  constructor(
    runtime: Ort,
    shape: {
      maxRows: number;
      heads: number;
      size: number;
      type: "float32" | "float16";
      maxColumns: number;
    },
    names: readonly string[],
  ) {
    this.#ort = runtime;
    this.#maxRows = shape.maxRows;
    this.#maxColumns = shape.maxColumns;
    this.#heads = shape.heads;
    this.#size = shape.size;
    this.#type = shape.type;
    this.#names = names;
  }

  /** Columns per row. */
  get capacity(): number {
    return this.#capacity;
  }

  /**
   * Makes room for `columns` columns per row, keeping the entries, growing
   * in steps of 64 (within the longest sequence of the graph).
   */
  reserve(columns: number): void {
    if (columns <= this.#capacity) return;
    if (columns > this.#maxColumns) {
      throw new RangeError(
        `Cannot hold ${columns} cache entries: the model takes at most ${this.#maxColumns}`,
      );
    }
    this.#resize(Math.min(Math.ceil(columns / COLUMN_STEP) * COLUMN_STEP, this.#maxColumns));
  }

  #resize(capacity: number): void {
    const old = this.#capacity;
    const size = this.#size;
    this.#buffers = this.#names.map((_, index) => {
      const length = this.#maxRows * this.#heads * capacity * size;
      const buffer = this.#type === "float16" ? new Uint16Array(length) : new Float32Array(length);
      const source = this.#buffers[index];
      if (source !== undefined) {
        for (let row = 0; row < this.rows; row++) {
          const used = this.lengths[row]! * size;
          for (let head = 0; head < this.#heads; head++) {
            const block = row * this.#heads + head;
            buffer.set(
              source.subarray(block * old * size, block * old * size + used),
              block * capacity * size,
            );
          }
        }
      }
      return buffer;
    });
    this.#capacity = capacity;
  }

  /**
   * Adds a row holding the first `count` entries of a prompt's cache
   * (`present` tensors of a batch-1 prefill, `[1, heads, length, size]`, by
   * cache name). Returns the row.
   */
  addRow(entries: Record<string, ort.Tensor>, count: number): number {
    if (this.rows >= this.#maxRows) throw new RangeError("Cannot add a row: the cache is full");
    this.reserve(count + 1);
    const row = this.rows++;
    const capacity = this.#capacity;
    const size = this.#size;
    this.#names.forEach((name, index) => {
      const tensor = entries[name]!;
      const length = tensor.dims[2]!;
      const data = tensor.data as CacheArray;
      const target = this.#buffers[index]!;
      for (let head = 0; head < this.#heads; head++) {
        target.set(
          data.subarray(head * length * size, (head * length + count) * size),
          (row * this.#heads + head) * capacity * size,
        );
      }
    });
    this.lengths[row] = count;
    return row;
  }

  /**
   * Makes room for one more entry per row, and shrinks the capacity when the
   * longest row left 128 or more columns unused (every output is copied
   * whole after each step, so unused columns cost time).
   */
  makeRoom(): void {
    const needed = Math.max(0, ...this.lengths.slice(0, this.rows)) + 1;
    if (this.#capacity - needed >= 2 * COLUMN_STEP) {
      this.#resize(Math.ceil(needed / COLUMN_STEP) * COLUMN_STEP);
    }
    this.reserve(needed);
  }

  /**
   * The cache tensors of a step: `[rows, heads, capacity, size]` views of
   * the buffers, to pass both as `past` inputs and as `present` outputs.
   */
  feeds(): Record<string, ort.Tensor> {
    return cacheTensors(this.#ort, this.#names, this.#buffers, this.#type, [
      this.rows,
      this.#heads,
      this.#capacity,
      this.#size,
    ]);
  }

  /**
   * The attention mask of a step, `[rows, capacity]`: row b has ones in its
   * first `length[b] + 1` columns (its entries and the token decoded now).
   */
  mask(): BigInt64Array {
    const capacity = this.#capacity;
    const mask = new BigInt64Array(this.rows * capacity);
    for (let row = 0; row < this.rows; row++) {
      mask.fill(1n, row * capacity, row * capacity + this.lengths[row]! + 1);
    }
    return mask;
  }

  /**
   * Takes a step's outputs (`[rows, heads, capacity, size]` by cache name):
   * the new entry of each row is at column `length[row]`. ONNX Runtime has
   * written it into the buffers already when it shared them; it is copied
   * from the outputs otherwise (onnxruntime-node returns copies).
   */
  append(outputs: Record<string, ort.Tensor>): void {
    const capacity = this.#capacity;
    const size = this.#size;
    this.#names.forEach((name, index) => {
      const data = outputs[name]!.data as CacheArray;
      const target = this.#buffers[index]!;
      if (data.buffer === target.buffer) return;
      for (let row = 0; row < this.rows; row++) {
        const column = this.lengths[row]!;
        for (let head = 0; head < this.#heads; head++) {
          const at = ((row * this.#heads + head) * capacity + column) * size;
          target.set(data.subarray(at, at + size), at);
        }
      }
    });
    for (let row = 0; row < this.rows; row++) this.lengths[row]!++;
  }

  /** Removes a row: the last row moves into its place. */
  removeRow(row: number): void {
    const last = --this.rows;
    if (row !== last) {
      const capacity = this.#capacity;
      const size = this.#size;
      const used = this.lengths[last]! * size;
      for (const buffer of this.#buffers) {
        for (let head = 0; head < this.#heads; head++) {
          const from = (last * this.#heads + head) * capacity * size;
          buffer.copyWithin((row * this.#heads + head) * capacity * size, from, from + used);
        }
      }
      this.lengths[row] = this.lengths[last]!;
    }
    this.lengths.length = this.rows;
  }

  /** Drops every row. */
  clear(): void {
    this.rows = 0;
    this.lengths.length = 0;
  }
}
