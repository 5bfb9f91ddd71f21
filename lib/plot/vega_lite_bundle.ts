import type { TopLevelSpec } from "./top_level_spec.ts";

/** MIME type of a Vega-Lite 5 spec, as Jupyter front ends register it. */
export const VEGA_LITE_MIME_TYPE = "application/vnd.vegalite.v5+json";

/** The symbol the Deno Jupyter kernel calls to display a cell's value. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** The MIME data of a chart: the spec, its pictures and a line of text. */
export interface VegaLiteBundleData {
  /** The spec, for front ends that render Vega-Lite (JupyterLab, Notebook 7, VS Code). */
  [VEGA_LITE_MIME_TYPE]: TopLevelSpec;
  /** The chart drawn as an SVG document, for HTML exports, GitHub and other viewers. */
  "image/svg+xml"?: string;
  /** The chart drawn as a PNG, base64-encoded, as Jupyter stores images. */
  "image/png"?: string;
  /** What the chart shows, in one line, for front ends that show text only. */
  "text/plain": string;
}

/** A Jupyter MIME bundle of a chart: {@linkcode VegaLiteBundleData} the kernel can display. */
export interface VegaLiteBundle extends VegaLiteBundleData {
  /** Returns the MIME data: the Deno kernel shows a cell's value this way. */
  [JUPYTER_DISPLAY](): VegaLiteBundleData;
}

/** Options for {@linkcode vegaLiteBundle}. */
export interface VegaLiteBundleOptions {
  /**
   * The chart drawn as SVG (e.g. by {@linkcode renderSvg}), sent as `image/svg+xml`.
   * @default {undefined} (no SVG)
   */
  svg?: string | undefined;
  /**
   * The chart drawn as PNG bytes (e.g. by {@linkcode renderPng}), sent as `image/png`.
   * @default {undefined} (no PNG)
   */
  png?: Uint8Array | undefined;
}

/**
 * Wraps a Vega-Lite spec in a Jupyter MIME bundle, so a notebook shows it as a
 * chart: JupyterLab, Notebook 7 and VS Code render
 * `application/vnd.vegalite.v5+json` themselves; an HTML export, GitHub and
 * other viewers without a Vega renderer show the picture (`image/svg+xml` or
 * `image/png`, when given: {@linkcode chartBundle} draws them); text-only
 * front ends show the `text/plain` line: the chart's kind (from
 * `usermeta.llmJudge`), title, subtitle and models. In the Deno kernel, end a
 * cell with the bundle (it has the kernel's `Symbol.for("Jupyter.display")`
 * method), or pass it to `Deno.jupyter.display(bundle, { raw: true })`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JUPYTER_DISPLAY, VEGA_LITE_MIME_TYPE, vegaLiteBundle } from "./vega_lite_bundle.ts";
 * const spec = {
 *   title: { text: "Scores", subtitle: "turn 1" },
 *   usermeta: { llmJudge: { kind: "radar", models: ["a", "b"] } },
 *   mark: "bar" as const,
 *   data: { values: [] },
 * };
 * const bundle = vegaLiteBundle(spec, { svg: "<svg></svg>" });
 * assert.equal(bundle[VEGA_LITE_MIME_TYPE], spec);
 * assert.equal(bundle["image/svg+xml"], "<svg></svg>");
 * assert.equal(bundle["text/plain"], "radar chart: Scores (turn 1); models: a, b");
 * assert.equal(JSON.stringify(bundle[JUPYTER_DISPLAY]()), JSON.stringify(bundle));
 * ```
 */
export function vegaLiteBundle(
  spec: TopLevelSpec,
  options: VegaLiteBundleOptions = {},
): VegaLiteBundle {
  const data: VegaLiteBundleData = {
    [VEGA_LITE_MIME_TYPE]: spec,
    ...(options.svg === undefined ? {} : { "image/svg+xml": options.svg }),
    ...(options.png === undefined ? {} : { "image/png": base64(options.png) }),
    "text/plain": describe(spec),
  };
  return { ...data, [JUPYTER_DISPLAY]: () => data };
}

/** One line saying what a chart shows: kind, title, subtitle and models. */
function describe(spec: TopLevelSpec): string {
  const text = (value: unknown) =>
    Array.isArray(value) ? value.join(" ") : typeof value === "string" ? value : undefined;
  const title = spec.title;
  const [main, subtitle] = typeof title === "string" || Array.isArray(title)
    ? [text(title), undefined]
    : [text(title?.text), text(title?.subtitle)];
  const meta = (spec.usermeta as { llmJudge?: { kind?: unknown; models?: unknown } } | undefined)
    ?.llmJudge;
  const kind = typeof meta?.kind === "string" ? `${meta.kind} chart` : "Vega-Lite chart";
  const models = Array.isArray(meta?.models) && meta.models.length > 0
    ? `; models: ${meta.models.join(", ")}`
    : "";
  const heading = (main || "untitled") + (subtitle ? ` (${subtitle})` : "");
  return `${kind}: ${heading}${models}`;
}

/** Base64 of some bytes, as Jupyter stores binary MIME data. */
function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}
