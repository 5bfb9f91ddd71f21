import assert from "node:assert/strict";
import { pythonFixed } from "../../lib/report/python_fixed.ts";

Deno.test("pythonFixed()", async (t) => {
  await t.step("rounds exact ties to even, as Python does", () => {
    assert.equal(pythonFixed(0.125, 2), "0.12");
    assert.equal(pythonFixed(0.375, 2), "0.38");
    assert.equal(pythonFixed(2.5, 0), "2");
    assert.equal(pythonFixed(-0.125, 2), "-0.12");
  });
  await t.step("rounds values that only look like ties by their binary value", () => {
    // 0.005, 0.015 and 1.0000005 are not exact in binary: Python gives these.
    assert.equal(pythonFixed(0.005, 2), "0.01");
    assert.equal(pythonFixed(0.015, 2), "0.01");
    assert.equal(pythonFixed(1.0000005, 6), "1.000001");
  });
  await t.step("adds the space of ' .6f' to numbers that are not negative", () => {
    assert.equal(pythonFixed(8.3625, 6, { space: true }), " 8.362500");
    assert.equal(pythonFixed(-1, 1, { space: true }), "-1.0");
    assert.equal(pythonFixed(-0, 1, { space: true }), "-0.0");
    assert.equal(pythonFixed(NaN, 6, { space: true }), " nan");
  });
});
