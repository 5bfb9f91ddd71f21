import assert from "node:assert/strict";
import { cohenKappa } from "../../lib/agree/mod.ts";

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `expected ${expected}, got ${actual}`);

Deno.test("cohenKappa()", async (t) => {
  await t.step("returns 0.4 for the textbook 2x2 example", () => {
    // p_o = 35/50 = 0.7; p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5.
    close(cohenKappa([[20, 5], [10, 15]]), 0.4);
  });
  await t.step("returns 7/17 for a hand-computed 3x3 example", () => {
    // p_o = 3/5; rows 2,1,2 and columns 2,2,1 of 5: p_e = (4 + 2 + 2)/25 = 0.32.
    close(cohenKappa([[1, 1, 0], [0, 1, 0], [1, 0, 1]]), 0.28 / 0.68);
  });
  await t.step("returns 1 for perfect agreement and can go negative", () => {
    close(cohenKappa([[3, 0], [0, 2]]), 1);
    close(cohenKappa([[0, 5], [5, 0]]), -1);
  });
  await t.step("accepts fractional cells (symmetrized pairs) and gives Scott's pi", () => {
    // Votes A, A, tie on one key: pairs (A,A), (A,T), (A,T); p_o = 1/3, p_e = 5/9.
    close(cohenKappa([[1, 0, 1], [0, 0, 0], [1, 0, 0]]), -0.5);
    close(cohenKappa([[1, 0.5], [0.5, 1]]), 1 / 3);
  });
  await t.step("returns NaN when undefined", () => {
    assert.ok(Number.isNaN(cohenKappa([[0, 0], [0, 0]])));
    assert.ok(Number.isNaN(cohenKappa([[4, 0], [0, 0]])));
  });
  await t.step("throws RangeError for a matrix that is not square", () => {
    assert.throws(() => cohenKappa([[1, 2], [3]]), RangeError);
  });
});
