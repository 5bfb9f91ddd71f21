import assert from "node:assert/strict";
import { radarChartSpec, renderPng, renderSvg } from "../../lib/plot/mod.ts";
import { CATEGORIES } from "./_compile.ts";

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): [number, number] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return [view.getUint32(16), view.getUint32(20)];
}

const scores = ["gpt-4", "llama-13b"].flatMap((model, index) =>
  CATEGORIES.map((category) => ({ model, category, score: 9 - 5 * index }))
);

Deno.test("renderSvg()", async (t) => {
  await t.step("draws a radar spec with its labels and legend", async () => {
    const svg = await renderSvg(radarChartSpec(scores));
    assert.match(svg, /^<svg /);
    for (const label of ["Writing", "STEM", "Humanities", "Model", "gpt-4", "llama-13b"]) {
      assert.ok(svg.includes(`>${label}<`), `no text "${label}" in the SVG`);
    }
  });

  await t.step("scales the drawing", async () => {
    const spec = radarChartSpec(scores);
    const width = (svg: string) => Number(/^<svg [^>]*width="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
    const one = await renderSvg(spec);
    const two = await renderSvg(spec, { scale: 2 });
    assert.equal(width(two), 2 * width(one));
  });

  await t.step("rejects a bad scale", async () => {
    await assert.rejects(() => renderSvg(radarChartSpec(scores), { scale: 0 }), RangeError);
  });
});

Deno.test("renderPng()", async (t) => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">' +
    '<text x="4" y="28" font-family="sans-serif" font-size="20">MT-Bench</text></svg>';

  await t.step("writes a PNG of the zoomed size", async () => {
    const png = await renderPng(svg);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(pngSize(png), [240, 80]);
    assert.deepEqual(pngSize(await renderPng(svg, { scale: 1 })), [120, 40]);
  });

  await t.step("draws text with the bundled font", async () => {
    const blank = svg.replace("MT-Bench", "");
    const withText = await renderPng(svg, { scale: 1 });
    const withoutText = await renderPng(blank, { scale: 1 });
    assert.notDeepEqual(withText, withoutText, "the text left no mark: no font was found");
    // No font at all: resvg skips the text, and the picture equals the blank one.
    const noFont = await renderPng(svg, { scale: 1, fontFiles: [], loadSystemFonts: false });
    assert.deepEqual(noFont, withoutText);
  });

  await t.step("rejects a bad scale", async () => {
    await assert.rejects(
      () => renderPng(svg, { scale: -1 }),
      /scale must be a positive number, got -1/,
    );
  });
});
