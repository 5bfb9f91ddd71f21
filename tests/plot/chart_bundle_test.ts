import assert from "node:assert/strict";
import {
  chartBundle,
  JUPYTER_DISPLAY,
  radarChartSpec,
  VEGA_LITE_MIME_TYPE,
  vegaLiteBundle,
} from "../../lib/plot/mod.ts";
import { CATEGORIES } from "./_compile.ts";

const spec = radarChartSpec(
  ["gpt-4", "llama-13b"].flatMap((model, index) =>
    CATEGORIES.map((category) => ({ model, category, score: 9 - 5 * index }))
  ),
  { subtitle: "turn 1" },
);

Deno.test("vegaLiteBundle()", async (t) => {
  await t.step("says in text what the chart shows", () => {
    const bundle = vegaLiteBundle(spec);
    assert.equal(
      bundle["text/plain"],
      "radar chart: MT-Bench score per category (turn 1); models: gpt-4, llama-13b",
    );
    assert.equal(
      vegaLiteBundle({ mark: "bar", data: { values: [] } })["text/plain"],
      "Vega-Lite chart: untitled",
    );
    assert.deepEqual(Object.keys(bundle[JUPYTER_DISPLAY]()), [VEGA_LITE_MIME_TYPE, "text/plain"]);
  });

  await t.step("carries the pictures it is given", () => {
    const bundle = vegaLiteBundle(spec, { svg: "<svg/>", png: new Uint8Array([137, 80, 78, 71]) });
    assert.equal(bundle["image/svg+xml"], "<svg/>");
    assert.equal(bundle["image/png"], "iVBORw==");
    assert.deepEqual(Object.keys(bundle[JUPYTER_DISPLAY]()), [
      VEGA_LITE_MIME_TYPE,
      "image/svg+xml",
      "image/png",
      "text/plain",
    ]);
  });
});

Deno.test("chartBundle()", async (t) => {
  await t.step("carries the spec and the chart drawn as SVG", async () => {
    const bundle = await chartBundle(spec);
    assert.equal(bundle[VEGA_LITE_MIME_TYPE], spec);
    const svg = bundle["image/svg+xml"]!;
    assert.match(svg, /^<svg /);
    for (const label of ["Writing", "Humanities", "gpt-4", "llama-13b"]) {
      assert.ok(svg.includes(`>${label}<`), `no text "${label}" in the SVG`);
    }
    assert.equal(bundle["image/png"], undefined);
    // What Jupyter stores: JSON, the SVG included.
    const stored = JSON.parse(JSON.stringify(bundle[JUPYTER_DISPLAY]()));
    assert.equal(stored["image/svg+xml"], svg);
  });

  await t.step("adds a base64 PNG when asked", async () => {
    const bundle = await chartBundle(spec, { png: true });
    const bytes = Uint8Array.from(atob(bundle["image/png"]!), (char) => char.charCodeAt(0));
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const width = new DataView(bytes.buffer).getUint32(16);
    const svgWidth = Number(
      /^<svg [^>]*width="(\d+(?:\.\d+)?)"/.exec(bundle["image/svg+xml"]!)![1],
    );
    assert.equal(width, Math.round(svgWidth));
  });
});
