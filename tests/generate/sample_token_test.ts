import assert from "node:assert/strict";
import { sampleToken, seededRandom } from "../../mod.ts";

Deno.test("sampleToken()", async (t) => {
  const logits = Float32Array.of(1, 4, 2, 4, -1);

  await t.step("takes the most likely token when greedy, the lowest id on ties", () => {
    assert.equal(sampleToken(logits), 1);
    assert.equal(sampleToken(logits, { temperature: 0.00009 }), 1);
  });

  await t.step("reads one row of a batch by offset", () => {
    const batch = Float32Array.of(9, 0, 0, 0, 0, 9);
    assert.equal(sampleToken(batch, { offset: 3, length: 3 }), 2);
  });

  await t.step("repeats a draw with the same seed", () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 20 },
        ((random) => () => sampleToken(logits, { temperature: 1, random }))(seededRandom(seed)),
      );
    assert.deepEqual(draw(7), draw(7));
  });

  await t.step("samples in proportion to the softmax", () => {
    const random = seededRandom(1);
    const counts = [0, 0];
    const two = Float32Array.of(0, Math.log(3));
    for (let i = 0; i < 4000; i++) counts[sampleToken(two, { temperature: 1, random })]!++;
    assert.ok(Math.abs(counts[1]! / 4000 - 0.75) < 0.03, `share ${counts[1]! / 4000}`);
  });

  await t.step("keeps only the top k and the top-p nucleus", () => {
    const random = seededRandom(3);
    for (let i = 0; i < 200; i++) {
      assert.ok([1, 3].includes(sampleToken(logits, { temperature: 5, topK: 2, random })));
      assert.ok([1, 3].includes(sampleToken(logits, { temperature: 1, topP: 0.5, random })));
    }
  });
});
