import { mulberry32, MULBERRY32_STEP } from "./_mulberry32.ts";

/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same
 * sequence on every machine, so bootstrap intervals are reproducible.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "./random.ts";
 * const a = seededRandom(42), b = seededRandom(42);
 * assert.equal(a(), b());
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + MULBERRY32_STEP) >>> 0;
    return mulberry32(state) / 4294967296;
  };
}
