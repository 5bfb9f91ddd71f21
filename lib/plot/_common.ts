import { modelColors } from "./model_colors.ts";

/** The Vega-Lite major version of every spec: it matches the pinned `npm:vega-lite@5`. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** Display names of MT-Bench's eight categories, as in FastChat's radar figure. */
const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  writing: "Writing",
  roleplay: "Roleplay",
  reasoning: "Reasoning",
  math: "Math",
  coding: "Coding",
  extraction: "Extraction",
  stem: "STEM",
  humanities: "Humanities",
};

/** The label shown for a category: MT-Bench's names capitalized, others as given. */
export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category] ?? category;
}

/** Values in order of first appearance. */
export function firstSeen<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** Checks a size option: a positive finite number of pixels. */
export function checkSize(value: number, name: string, caller: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`Cannot build ${caller}: ${name} must be a positive number, got ${value}`);
  }
  return value;
}

/** A color scheme with enough distinct colors for `count` series. */
export function colorScheme(count: number): "tableau10" | "tableau20" {
  return count <= 10 ? "tableau10" : "tableau20";
}

/**
 * The color scale of a chart's models: each model gets its color of
 * {@linkcode modelColors}, so one model has one color in every chart.
 */
export function modelColorScale(
  models: readonly string[],
  colorDomain: readonly string[] | undefined,
): { domain: string[]; range: string[] } {
  const colors = modelColors(models, { colorDomain });
  return { domain: [...colors.keys()], range: [...colors.values()] };
}
