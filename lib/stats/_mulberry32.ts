// mulberry32, the generator behind seededRandom() and SeededDraws: the state
// advances by a constant and each state is mixed into 32 output bits.

/** What the state advances by, per number drawn. */
export const MULBERRY32_STEP = 0x6d2b79f5;

/** The 32 output bits (an unsigned integer) of a state. */
export function mulberry32(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}
