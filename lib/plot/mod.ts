/**
 * Charts of MT-Bench results as Vega-Lite specs: a radar of scores per
 * category (FastChat's figure), win-rate bars with intervals, agreement
 * heatmaps and per-category agreement, score distributions. The spec builders
 * are pure (data in, JSON spec out); {@linkcode renderSvg} draws a spec
 * headless with Vega and {@linkcode renderPng} turns the SVG into a PNG with
 * resvg. In a Deno notebook, {@linkcode chartBundle} shows a spec as a chart
 * (Vega-Lite, with the SVG for viewers without Vega). {@linkcode modelColors}
 * gives each model one color in every chart.
 *
 * @example A radar chart of two models, as SVG
 * ```ts
 * import assert from "node:assert/strict";
 * import { radarChartSpec, renderSvg } from "./mod.ts";
 * const categories = ["writing", "roleplay", "reasoning", "math", "coding", "extraction", "stem", "humanities"];
 * const scores = ["a", "b"].flatMap((model, index) =>
 *   categories.map((category) => ({ model, category, score: 8 - 3 * index }))
 * );
 * const svg = await renderSvg(radarChartSpec(scores));
 * assert.ok(svg.includes("Humanities"));
 * assert.ok(svg.includes("STEM"));
 * ```
 * @module
 */
export * from "./radar_chart_spec.ts";
export * from "./win_rate_chart_spec.ts";
export * from "./agreement_heatmap_spec.ts";
export * from "./category_agreement_chart_spec.ts";
export * from "./score_distribution_spec.ts";
export * from "./vega_lite_bundle.ts";
export * from "./chart_bundle.ts";
export * from "./model_colors.ts";
export * from "./render_svg.ts";
export * from "./render_png.ts";
export * from "./top_level_spec.ts";
export * from "./calibration_chart_spec.ts";
export * from "./position_bias_chart_spec.ts";
export * from "./length_bias_chart_spec.ts";
