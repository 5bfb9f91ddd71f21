/**
 * Display helpers of the notebooks (Deno kernel): show a chart, a table or a
 * note below the running cell. A notebook imports them with
 * `import { note, show, showChart, table } from "./_display.ts";`.
 * @module
 */
import { chartBundle, type ChartBundleOptions, type TopLevelSpec } from "../mod.ts";

/** Jupyter MIME data: MIME type → content. */
export type MimeData = Record<string, unknown>;

/**
 * Shows a MIME bundle below the cell. Sent with Deno.jupyter.broadcast, awaited, then a short
 * pause: the kernel reports a cell done a few milliseconds after the cell returns, and output
 * sent later (console.log, Deno.jupyter.display, even a cell's value) can miss its cell when
 * the notebook runs headless. 50 ms was not always enough on a loaded 2-core machine (a cell's
 * last note went missing once in about 15 test runs with 4 test groups beside the notebooks).
 */
export async function show(bundle: object): Promise<void> {
  const data = JSON.parse(JSON.stringify(bundle)) as MimeData;
  await Deno.jupyter.broadcast("display_data", { data, metadata: {}, transient: {} });
  await new Promise((done) => setTimeout(done, SHOW_PAUSE_MS));
}

/** The pause after each shown bundle (see {@linkcode show}). */
const SHOW_PAUSE_MS = 150;

/**
 * Shows a Vega-Lite chart: the spec (drawn by JupyterLab, Notebook 7, VS Code), the chart as
 * SVG (HTML exports, GitHub) and a line of text, as {@linkcode chartBundle} makes them. With
 * `LLM_JUDGE_CHART_IMAGE=png` in the kernel's environment the drawn chart is a PNG instead
 * (see {@linkcode chartData}).
 */
export async function showChart(spec: TopLevelSpec, options: ChartBundleOptions = {}) {
  const image = Deno.env.get("LLM_JUDGE_CHART_IMAGE") === "png" ? "png" : "svg";
  await show(await chartData(spec, { ...options, image }));
}

/** Options for {@linkcode chartData}. */
export interface ChartDataOptions extends ChartBundleOptions {
  /**
   * How the drawn chart travels beside the spec: `svg`, or `png` for HTML exports whose
   * sanitizer strips inline SVG (nbconvert 6.5, as Debian 12 ships it, keeps only the SVG's
   * text), since an exporter shows SVG before PNG when both are there.
   * @default {"svg"}
   */
  image?: "svg" | "png";
}

/** The MIME data {@linkcode showChart} shows: the spec, the drawn chart and a line of text. */
export async function chartData(
  spec: TopLevelSpec,
  options: ChartDataOptions = {},
): Promise<MimeData> {
  const { image = "svg", ...bundleOptions } = options;
  const drawn = await chartBundle(spec, { ...bundleOptions, png: image === "png" });
  const bundle: MimeData = { ...drawn };
  if (image === "png") delete bundle["image/svg+xml"];
  return bundle;
}

/** Rows of a table: plain objects, or a danfojs DataFrame (its `columns` and `values`). */
export type TableRows =
  | readonly Record<string, unknown>[]
  | { readonly columns: readonly string[]; readonly values: unknown };

/** Options for {@linkcode table}. */
export interface TableOptions {
  /**
   * Decimals of every number, so `8.000` stands next to `8.050`.
   * @default {3}
   */
  digits?: number;
  /**
   * Columns of counts, whose numbers are shown whole.
   * @default {[]}
   */
  counts?: readonly string[];
}

/**
 * A table as HTML, with an aligned plain-text copy for front ends without HTML. Every number
 * has the same decimals (3 by default; counts whole), right-aligned; NaN and missing values are
 * empty cells.
 */
export function table(rows: TableRows, caption: string, options: TableOptions = {}): MimeData {
  const [columns, values] = "columns" in rows
    ? [[...rows.columns], rows.values as unknown[][]]
    : [[...new Set(rows.flatMap((row) => Object.keys(row)))], []];
  const grid = "columns" in rows
    ? values
    : (rows as readonly Record<string, unknown>[]).map((row) =>
      columns.map((column) => row[column])
    );
  const counts = new Set(options.counts ?? []);
  const decimals = options.digits ?? 3;
  const places = columns.map((column) => counts.has(column) ? 0 : decimals);
  const text = grid.map((row) =>
    columns.map((_, index) => {
      const value = row[index];
      if (typeof value === "number") return Number.isNaN(value) ? "" : value.toFixed(places[index]);
      return value === undefined || value === null ? "" : String(value);
    })
  );
  const escape = (value: string) =>
    value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  const numeric = columns.map((_, index) => grid.some((row) => typeof row[index] === "number"));
  const td = (value: string, index: number) =>
    numeric[index]
      ? `<td style="text-align: right">${escape(value)}</td>`
      : `<td>${escape(value)}</td>`;
  const head = columns.map((column) => `<th>${escape(column)}</th>`).join("");
  const body = text.map((row) => `<tr>${row.map(td).join("")}</tr>`).join("\n");
  const html = `<table><caption>${
    escape(caption)
  }</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...text.map((row) => row[index]!.length))
  );
  const line = (cells: string[]) =>
    cells.map((cell, index) =>
      numeric[index] ? cell.padStart(widths[index]!) : cell.padEnd(widths[index]!)
    ).join("  ").trimEnd();
  const plain = [caption, line(columns), ...text.map(line)].join("\n");
  return { "text/html": html, "text/plain": plain };
}

/** A paragraph of Markdown (shown as text where Markdown is not rendered). */
export function note(markdown: string): MimeData {
  return { "text/markdown": markdown, "text/plain": markdown };
}
