import process from "node:process";
import type { TopLevelSpec } from "./top_level_spec.ts";

/** Options for {@linkcode renderSvg}. */
export interface RenderSvgOptions {
  /**
   * Scale factor of the drawing (1: the spec's pixel sizes).
   * @default {1}
   */
  scale?: number;
}

interface Libraries {
  compile: typeof import("npm:vega-lite@5.23.0").compile;
  vega: typeof import("npm:vega@5.33.1");
}

let libraries: Promise<Libraries> | undefined;

/** Loads vega and vega-lite once, on first use. */
function load(): Promise<Libraries> {
  libraries ??= (async () => {
    // vega's Node build pulls in node-fetch, whose URL code imports the deprecated
    // `punycode` module; the spec data is inline, so nothing is fetched and the
    // warning is noise. Silence it for the import only.
    const previous = process.noDeprecation;
    process.noDeprecation = true;
    try {
      const [vegaLite, vega] = await Promise.all([
        import("npm:vega-lite@5.23.0"),
        import("npm:vega@5.33.1"),
      ]);
      return { compile: vegaLite.compile, vega };
    } finally {
      process.noDeprecation = previous;
    }
  })();
  return libraries;
}

/**
 * Renders a Vega-Lite spec to an SVG document, headless: the spec is compiled
 * to Vega (`npm:vega-lite`) and drawn by a Vega view without a canvas
 * (`npm:vega`). Text widths are estimated, as Vega does without a canvas. The
 * spec's data must be inline (`values` or `datasets`); nothing is fetched.
 *
 * @example A bar chart
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render_svg.ts";
 * const svg = await renderSvg({
 *   data: { values: [{ model: "a", score: 7 }, { model: "b", score: 5 }] },
 *   mark: "bar",
 *   encoding: { x: { field: "model", type: "nominal" }, y: { field: "score", type: "quantitative" } },
 * });
 * assert.ok(svg.startsWith("<svg"));
 * assert.ok(svg.includes("model"));
 * ```
 */
export async function renderSvg(
  spec: TopLevelSpec,
  options: RenderSvgOptions = {},
): Promise<string> {
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new RangeError(`Cannot render SVG: scale must be a positive number, got ${scale}`);
  }
  const { compile, vega } = await load();
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG(scale);
  } finally {
    view.finalize();
  }
}
