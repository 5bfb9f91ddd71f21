import assert from "node:assert/strict";
import { chartData } from "../../notebooks/_display.ts";
import { radarChartSpec } from "../../mod.ts";

const CATEGORIES = ["writing", "roleplay", "reasoning", "math", "coding", "extraction"];
const spec = radarChartSpec(
  ["a", "b"].flatMap((model, index) =>
    CATEGORIES.map((category) => ({ model, category, score: 8 - 3 * index }))
  ),
);

Deno.test("chartData()", async (t) => {
  await t.step("carries the spec, the chart as SVG and a line of text by default", async () => {
    const data = await chartData(spec);
    assert.ok(data["application/vnd.vegalite.v5+json"]);
    assert.match(data["image/svg+xml"] as string, /^<svg[^]*Roleplay/);
    assert.equal(data["image/png"], undefined);
    assert.equal(typeof data["text/plain"], "string");
  });

  await t.step(
    "with image png: a PNG in place of the SVG, for exporters that strip SVG",
    async () => {
      const data = await chartData(spec, { image: "png" });
      assert.ok(data["application/vnd.vegalite.v5+json"]);
      assert.equal(data["image/svg+xml"], undefined);
      const png = Uint8Array.from(atob(data["image/png"] as string), (char) => char.charCodeAt(0));
      assert.deepEqual([...png.subarray(1, 4)], [..."PNG"].map((char) => char.charCodeAt(0)));
      assert.equal(typeof data["text/plain"], "string");
    },
  );
});
