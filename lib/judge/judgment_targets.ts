import { layout } from "../data/data_root.ts";
import type { PreparedMatch } from "./prepare_match.ts";

/** Options for {@linkcode judgmentTargets}. */
export interface JudgmentTargetsOptions {
  /** Output root. */
  root: string;
  /** Bench folder. */
  bench: string;
  /** Judge name as in file names (after the provider prefix). */
  judge: string;
  /**
   * Single grades or pairwise.
   * @default {"single"}
   */
  kind?: "single" | "pair";
  /**
   * One file per model, `<model>_<judge>_single.jsonl` (single grades only).
   * @default {false}
   */
  perModelFile?: boolean;
  /**
   * `--output-file`: every match into this file.
   * @default {undefined}
   */
  outputFile?: string | undefined;
}

/** A judgment file and the matches whose records go into it. */
export interface JudgmentTarget {
  /** The file. */
  path: string;
  /** The model of a per-model file. */
  model?: string | undefined;
  /** Its matches, in the given order. */
  matches: PreparedMatch[];
}

/**
 * Splits matches by the judgment file their records go to: `--output-file`,
 * else FastChat's `<bench>/model_judgment/<judge>_single.jsonl` (or
 * `_pair.jsonl`), else with `perModelFile` one
 * `<model>_<judge>_single.jsonl` per model, in order of first appearance.
 * Each file is resumed and locked on its own. Per-model files with pairwise
 * matches throw a `RangeError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { judgmentTargets } from "./judgment_targets.ts";
 * const targets = judgmentTargets([], { root: "out", bench: "mt_bench", judge: "groq" });
 * assert.equal(targets.length, 1);
 * assert.match(targets[0]!.path, /groq_single\.jsonl$/);
 * ```
 */
export function judgmentTargets(
  matches: readonly PreparedMatch[],
  options: JudgmentTargetsOptions,
): JudgmentTarget[] {
  const kind = options.kind ?? "single";
  if (options.outputFile !== undefined) {
    return [{ path: options.outputFile, matches: [...matches] }];
  }
  if (!options.perModelFile) {
    return [{
      path: layout.judgmentFile(options.root, options.bench, options.judge, kind),
      matches: [...matches],
    }];
  }
  if (kind !== "single") {
    throw new RangeError("per-model judgment files hold single grades only (--mode single)");
  }
  const byModel = new Map<string, PreparedMatch[]>();
  for (const prepared of matches) {
    const match = prepared.match;
    if (match.kind !== "single") {
      throw new RangeError("per-model judgment files hold single grades only (--mode single)");
    }
    const list = byModel.get(match.model);
    if (list === undefined) byModel.set(match.model, [prepared]);
    else list.push(prepared);
  }
  return [...byModel].map(([model, list]) => ({
    path: layout.modelJudgmentFile(options.root, options.bench, model, options.judge),
    model,
    matches: list,
  }));
}
