import { seededRandom } from "../stats/random.ts";

/**
 * A simple random sample of `size` items without replacement (seeded
 * Fisher-Yates), returned in their original order; all items when `size` is
 * at least their number. Uniform sampling keeps the agreement estimate
 * unbiased, and the bootstrap over the sampled questions gives its honest,
 * wider interval.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleItems } from "./sample_items.ts";
 * const sample = sampleItems([1, 2, 3, 4, 5], 2, 7);
 * assert.equal(sample.length, 2);
 * assert.deepEqual(sampleItems([1, 2, 3, 4, 5], 2, 7), sample);
 * assert.deepEqual(sampleItems([1, 2], 5, 0), [1, 2]);
 * ```
 */
export function sampleItems<T>(items: readonly T[], size: number, seed: number): T[] {
  if (!Number.isInteger(size) || size < 0) {
    throw new RangeError(`Cannot sample items: size must be a whole number, got ${size}`);
  }
  if (size >= items.length) return [...items];
  const random = seededRandom(seed);
  const indices = Array.from(items, (_, index) => index);
  for (let index = 0; index < size; index++) {
    const pick = index + Math.floor(random() * (indices.length - index));
    const swap = indices[index]!;
    indices[index] = indices[pick]!;
    indices[pick] = swap;
  }
  return indices.slice(0, size).sort((a, b) => a - b).map((index) => items[index]!);
}
