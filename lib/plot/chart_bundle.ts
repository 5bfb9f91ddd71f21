import type { TopLevelSpec } from "./top_level_spec.ts";
import { renderPng } from "./render_png.ts";
import { renderSvg } from "./render_svg.ts";
import { type VegaLiteBundle, vegaLiteBundle } from "./vega_lite_bundle.ts";

/** Options for {@linkcode chartBundle}. */
export interface ChartBundleOptions {
  /**
   * Also draw a PNG (`image/png`, with resvg), for viewers that show no SVG.
   * @default {false}
   */
  png?: boolean;
  /**
   * Zoom factor of the PNG.
   * @default {1}
   */
  scale?: number;
}

/**
 * A notebook's chart: the Vega-Lite spec together with the chart drawn as SVG
 * ({@linkcode renderSvg}) and, if asked, as PNG ({@linkcode renderPng}), in
 * one Jupyter MIME bundle ({@linkcode vegaLiteBundle}). Front ends with a
 * Vega-Lite renderer draw the spec (interactive, with tooltips); an HTML
 * export (`jupyter nbconvert --to html`), GitHub and other viewers show the
 * picture instead of a line of text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chartBundle } from "./chart_bundle.ts";
 * const bundle = await chartBundle({
 *   title: "Scores",
 *   data: { values: [{ model: "a", score: 7 }] },
 *   mark: "bar",
 *   encoding: { x: { field: "model", type: "nominal" }, y: { field: "score", type: "quantitative" } },
 * });
 * assert.ok(bundle["image/svg+xml"]?.startsWith("<svg"));
 * assert.equal(bundle["image/png"], undefined);
 * assert.equal(bundle["text/plain"], "Vega-Lite chart: Scores");
 * ```
 */
export async function chartBundle(
  spec: TopLevelSpec,
  options: ChartBundleOptions = {},
): Promise<VegaLiteBundle> {
  const svg = await renderSvg(spec);
  const png = options.png ? await renderPng(svg, { scale: options.scale ?? 1 }) : undefined;
  return vegaLiteBundle(spec, { svg, png });
}
