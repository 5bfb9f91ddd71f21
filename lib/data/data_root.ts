import { join } from "node:path";

/** Environment variable naming the data root. */
export const DATA_ENV = "LLM_JUDGE_DATA";
/** Environment variable naming the output root. */
export const OUTPUT_ENV = "LLM_JUDGE_OUTPUT";

/** Options for {@linkcode resolveRoots}. */
export interface ResolveRootsOptions {
  /** `--data-dir`; wins over the environment. */
  dataDir?: string | undefined;
  /** `--output-dir`; wins over the environment. */
  outputDir?: string | undefined;
  /**
   * Reads an environment variable.
   * @default {Deno.env.get}
   */
  getEnv?: (name: string) => string | undefined;
}

/** Where inputs are read from and outputs written to. */
export interface Roots {
  /** Data root in FastChat's layout; may be read-only. */
  data: string;
  /** Writable output root; the data root unless set. */
  output: string;
}

/**
 * Resolves the data root (`--data-dir`, then `LLM_JUDGE_DATA`, then `./data`)
 * and the output root (`--output-dir`, then `LLM_JUDGE_OUTPUT`, then the data root).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveRoots } from "./data_root.ts";
 * const roots = resolveRoots({ getEnv: (name) => name === "LLM_JUDGE_DATA" ? "/srv/mt" : undefined });
 * assert.equal(roots.data, "/srv/mt");
 * assert.equal(roots.output, "/srv/mt");
 * ```
 */
export function resolveRoots(options: ResolveRootsOptions = {}): Roots {
  const getEnv = options.getEnv ?? ((name: string) => Deno.env.get(name));
  const data = nonEmpty(options.dataDir) ?? nonEmpty(getEnv(DATA_ENV)) ?? "./data";
  const output = nonEmpty(options.outputDir) ?? nonEmpty(getEnv(OUTPUT_ENV)) ?? data;
  return { data, output };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Paths of FastChat's data layout under a root. */
export const layout = {
  judgePrompts: (root: string): string => join(root, "judge_prompts.jsonl"),
  /** ServiceNow's prompts with `{lang}`, for benches whose questions declare `lang`. */
  multilingualJudgePrompts: (root: string): string =>
    join(root, "judge_prompts_multilingual.jsonl"),
  questions: (root: string, bench: string): string => join(root, bench, "question.jsonl"),
  answerDir: (root: string, bench: string): string => join(root, bench, "model_answer"),
  referenceDir: (root: string, bench: string): string => join(root, bench, "reference_answer"),
  judgmentDir: (root: string, bench: string): string => join(root, bench, "model_judgment"),
  /** FastChat's default judgment file: `<judge>_single.jsonl` or `<judge>_pair.jsonl`. */
  judgmentFile: (root: string, bench: string, judge: string, kind: "single" | "pair"): string =>
    join(root, bench, "model_judgment", `${judge}_${kind}.jsonl`),
  /** The per-model file of `judge --per-model-file`: `<model>_<judge>_single.jsonl`. */
  modelJudgmentFile: (root: string, bench: string, model: string, judge: string): string =>
    join(root, bench, "model_judgment", `${model}_${judge}_single.jsonl`),
  humanDir: (root: string): string => join(root, "mt_bench_human_judgments"),
};
