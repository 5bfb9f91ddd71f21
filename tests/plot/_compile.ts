/** Compiles Vega-Lite specs in tests, collecting what vega-lite warns about. */
import { compile } from "npm:vega-lite@5.23.0";
import type { TopLevelSpec } from "npm:vega-lite@5.23.0";
import { MT_BENCH_CATEGORIES } from "../../lib/data/mt_bench_categories.ts";

type Logger = NonNullable<NonNullable<Parameters<typeof compile>[1]>["logger"]>;

/** Compiles a spec to Vega; returns the Vega spec and vega-lite's warnings. */
export function compileSpec(spec: TopLevelSpec): { vega: unknown; warnings: string[] } {
  const warnings: string[] = [];
  let level = 0;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: readonly unknown[]) {
      throw new Error(`vega-lite error: ${args.map(String).join(" ")}`);
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(" "));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  } as unknown as Logger;
  return { vega: compile(spec, { logger }).spec, warnings };
}

/** The eight MT-Bench categories, in question-file order. */
export const CATEGORIES = MT_BENCH_CATEGORIES;
