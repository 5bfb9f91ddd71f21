import { mulberry32, MULBERRY32_STEP } from "./_mulberry32.ts";

/**
 * Uniform integer draws from `[0, size)`, counted many at a time: the same
 * numbers as `Math.floor(random() * size)` with `random = seededRandom(seed)`,
 * without a function call per draw (bootstrap loops draw millions).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SeededDraws } from "./seeded_draws.ts";
 * import { seededRandom } from "./random.ts";
 * const random = seededRandom(7);
 * const expected = [0, 1, 2, 3, 4].map(() => Math.floor(random() * 10));
 * // How often each value came up in 5 draws.
 * const counts = new SeededDraws(7).count(new Uint32Array(10), 5, 10);
 * expected.forEach((value) => counts[value]!--);
 * assert.ok(counts.every((count) => count === 0));
 * ```
 */
export class SeededDraws {
  #state: number;

  /**
   * Starts the sequence of `seededRandom(seed)`.
   * @param seed Any integer; the same seed gives the same draws.
   */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /**
   * Draws `draws` values from `[0, size)` and counts each in `counts`: value
   * `v` adds one to `counts[offset + v]`, or with `groupOf` to
   * `counts[offset + groupOf[v]]`. Returns `counts`.
   * @param counts Where the counts are added (not cleared first).
   * @param draws How many values to draw.
   * @param size The number of values to draw from (a positive integer below 2³¹).
   * @param groupOf The group each value counts for (length `size`); default: itself.
   * @param offset Added to every index into `counts`.
   */
  count(
    counts: Uint32Array,
    draws: number,
    size: number,
    groupOf?: Int32Array,
    offset: number = 0,
  ): Uint32Array {
    let state = this.#state;
    if (groupOf === undefined) {
      for (let draw = 0; draw < draws; draw++) {
        state = (state + MULBERRY32_STEP) >>> 0;
        counts[offset + Math.floor((mulberry32(state) / 4294967296) * size)]!++;
      }
    } else {
      for (let draw = 0; draw < draws; draw++) {
        state = (state + MULBERRY32_STEP) >>> 0;
        counts[offset + groupOf[Math.floor((mulberry32(state) / 4294967296) * size)]!]!++;
      }
    }
    this.#state = state;
    return counts;
  }
}
