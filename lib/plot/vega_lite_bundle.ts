import type { TopLevelSpec } from "npm:vega-lite@5.23.0";

/** MIME type of a Vega-Lite 5 spec, as Jupyter front ends register it. */
export const VEGA_LITE_MIME_TYPE = "application/vnd.vegalite.v5+json";

/** The symbol the Deno Jupyter kernel calls to display a cell's value. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** A Jupyter MIME bundle holding a Vega-Lite spec and a plain-text fallback. */
export interface VegaLiteBundle {
  [VEGA_LITE_MIME_TYPE]: TopLevelSpec;
  "text/plain": string;
  /** Returns the bundle: the Deno kernel shows a cell's value this way. */
  [JUPYTER_DISPLAY](): { [VEGA_LITE_MIME_TYPE]: TopLevelSpec; "text/plain": string };
}

/**
 * Wraps a Vega-Lite spec in a Jupyter MIME bundle, so a notebook shows it as a
 * chart: JupyterLab, Notebook 7 and VS Code render
 * `application/vnd.vegalite.v5+json` themselves, and front ends without a
 * Vega-Lite renderer show the `text/plain` line (title and subtitle). In the
 * Deno kernel, end a cell with the bundle (it has the kernel's
 * `Symbol.for("Jupyter.display")` method), or pass it to
 * `Deno.jupyter.display(bundle, { raw: true })`.
 *
 * @example
 * ```ts
 * import { JUPYTER_DISPLAY, VEGA_LITE_MIME_TYPE, vegaLiteBundle } from "./vega_lite_bundle.ts";
 * const spec = { title: { text: "Scores", subtitle: "turn 1" }, mark: "bar" as const, data: { values: [] } };
 * const bundle = vegaLiteBundle(spec);
 * console.assert(bundle[VEGA_LITE_MIME_TYPE] === spec);
 * console.assert(bundle["text/plain"] === "<Vega-Lite chart: Scores: turn 1>");
 * console.assert(JSON.stringify(bundle[JUPYTER_DISPLAY]()) === JSON.stringify(bundle));
 * ```
 */
export function vegaLiteBundle(spec: TopLevelSpec): VegaLiteBundle {
  const title = spec.title;
  const text = (value: string | string[] | undefined) =>
    Array.isArray(value) ? value.join(" ") : value;
  const parts = typeof title === "string" || Array.isArray(title) ? [text(title)] : [
    text(title?.text as string | string[] | undefined),
    text(title?.subtitle as string | string[] | undefined),
  ];
  const label = parts.filter((part) => part !== undefined && part !== "").join(": ") ||
    "untitled";
  const data = { [VEGA_LITE_MIME_TYPE]: spec, "text/plain": `<Vega-Lite chart: ${label}>` };
  return { ...data, [JUPYTER_DISPLAY]: () => data };
}
