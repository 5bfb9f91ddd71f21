/** Vega's `tableau10` scheme: the palette for up to 10 models. */
const TABLEAU10 = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
] as const;

/** Vega's `tableau20` scheme: the palette for 11 to 20 models (it repeats after 20). */
const TABLEAU20 = [
  "#4c78a8",
  "#9ecae9",
  "#f58518",
  "#ffbf79",
  "#54a24b",
  "#88d27a",
  "#b79a20",
  "#f2cf5b",
  "#439894",
  "#83bcb6",
  "#e45756",
  "#ff9d98",
  "#79706e",
  "#bab0ac",
  "#d67195",
  "#fcbfd2",
  "#b279a2",
  "#d6a5c9",
  "#9e765f",
  "#d8b5a5",
] as const;

/** Options for {@linkcode modelColors}. */
export interface ModelColorsOptions {
  /**
   * Every model of the report, whose colors must not change from chart to
   * chart. The models are sorted by name and take the palette's colors in
   * that order; `models` missing from it come after, also by name.
   * @default {undefined} (`models` alone)
   */
  colorDomain?: readonly string[] | undefined;
}

/**
 * The color of each model, the same in every chart of a report: the models of
 * the color domain are sorted by name (code-unit order) and take Vega's
 * `tableau10` colors in that order (`tableau20` for more than 10 models,
 * repeating after 20). Each chart of `lib/plot` that colors models (radar,
 * score distribution, win rate) takes a `colorDomain` option and colors its
 * models this way, so charts that show the same models, in any order, agree;
 * pass the report's full model list as `colorDomain` when charts show
 * different subsets. Returns a map from each of `models` to a `#rrggbb` color,
 * in the order of `models`.
 *
 * @example The same model gets the same color whatever the order
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelColors } from "./model_colors.ts";
 * const colors = modelColors(["vicuna-13b", "gpt-4", "claude-v1"]);
 * assert.equal(colors.get("claude-v1"), "#4c78a8"); // first by name
 * assert.equal(colors.get("gpt-4"), "#f58518");
 * const subset = modelColors(["gpt-4"], { colorDomain: ["vicuna-13b", "gpt-4", "claude-v1"] });
 * assert.equal(subset.get("gpt-4"), "#f58518");
 * ```
 */
export function modelColors(
  models: readonly string[],
  options: ModelColorsOptions = {},
): Map<string, string> {
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const domain = [...new Set(options.colorDomain ?? models)].sort(byName);
  const known = new Set(domain);
  const extra = [...new Set(models.filter((model) => !known.has(model)))].sort(byName);
  const ordered = [...domain, ...extra];
  const palette = ordered.length <= TABLEAU10.length ? TABLEAU10 : TABLEAU20;
  const index = new Map(ordered.map((model, position) => [model, position]));
  return new Map(
    models.map((model) => [model, palette[index.get(model)! % palette.length]!]),
  );
}
