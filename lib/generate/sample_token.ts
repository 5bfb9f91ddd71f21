/** Temperatures below this decode greedily (FastChat's `temperature < 1e-4`). */
export const GREEDY_BELOW = 1e-4;

/** Options for {@linkcode sampleToken}. */
export interface SampleTokenOptions {
  /**
   * Sampling temperature; below 1e-4 the most likely token is taken.
   * @default {0}
   */
  temperature?: number;
  /**
   * Keep the k most likely tokens; 0 keeps all.
   * @default {0}
   */
  topK?: number;
  /**
   * Keep the smallest set of tokens whose probability reaches p.
   * @default {1}
   */
  topP?: number;
  /**
   * Uniform numbers in [0, 1).
   * @default {Math.random}
   */
  random?: () => number;
  /**
   * Start of the row in `logits`.
   * @default {0}
   */
  offset?: number;
  /**
   * Row length (vocabulary size).
   * @default {logits.length - offset}
   */
  length?: number;
}

/**
 * Picks the next token from one row of logits: the most likely one when the
 * temperature is (almost) 0, as Hugging Face's greedy search (ties go to the
 * lowest id); otherwise a draw from the softmax at that temperature,
 * restricted to the top k and then to the top-p nucleus, as Hugging Face's
 * sampling does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleToken } from "./sample_token.ts";
 * const logits = Float32Array.of(0.1, 3, 0.2);
 * assert.equal(sampleToken(logits), 1);
 * assert.equal(sampleToken(logits, { temperature: 1, topK: 1, random: () => 0.99 }), 1);
 * ```
 */
export function sampleToken(logits: Float32Array, options: SampleTokenOptions = {}): number {
  const offset = options.offset ?? 0;
  const length = options.length ?? logits.length - offset;
  const temperature = options.temperature ?? 0;
  if (length <= 0) throw new RangeError(`Cannot sample: the logits row is empty`);
  if (!(temperature >= GREEDY_BELOW)) {
    let best = 0;
    let bestValue = logits[offset]!;
    for (let i = 1; i < length; i++) {
      const value = logits[offset + i]!;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    return best;
  }
  const random = options.random ?? Math.random;
  const topK = options.topK ?? 0;
  const topP = options.topP ?? 1;
  // Candidate ids: the top k (all when k is 0 or too large).
  let ids: number[];
  if (topK > 0 && topK < length) {
    ids = topIndices(logits, offset, length, topK);
  } else {
    ids = Array.from({ length }, (_, i) => i);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const id of ids) max = Math.max(max, logits[offset + id]!);
  const weights = ids.map((id) => Math.exp((logits[offset + id]! - max) / temperature));
  if (topP < 1) {
    const order = ids.map((_, index) => index).sort((a, b) =>
      weights[b]! - weights[a]! || ids[a]! - ids[b]!
    );
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let mass = 0;
    const kept: number[] = [];
    for (const index of order) {
      kept.push(index);
      mass += weights[index]! / total;
      if (mass >= topP) break;
    }
    ids = kept.map((index) => ids[index]!);
    const keptWeights = kept.map((index) => weights[index]!);
    return draw(ids, keptWeights, random);
  }
  return draw(ids, weights, random);
}

function draw(ids: readonly number[], weights: readonly number[], random: () => number): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let target = random() * total;
  for (let i = 0; i < ids.length; i++) {
    target -= weights[i]!;
    if (target < 0) return ids[i]!;
  }
  return ids[ids.length - 1]!;
}

/** Indices of the k largest values of a row (a small min-heap). */
function topIndices(logits: Float32Array, offset: number, length: number, k: number): number[] {
  const heap: number[] = [];
  const less = (a: number, b: number) =>
    logits[offset + a]! < logits[offset + b]! ||
    (logits[offset + a] === logits[offset + b] && a > b);
  const siftDown = (start: number) => {
    let i = start;
    while (true) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && less(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && less(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  };
  for (let id = 0; id < length; id++) {
    if (heap.length < k) {
      heap.push(id);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!less(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (less(heap[0]!, id)) {
      heap[0] = id;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => a - b);
}
