import { join, resolve } from "node:path";
import { DataError } from "./data_error.ts";
import { layout } from "./data_root.ts";

/** Options for {@linkcode findJudgmentFiles}. */
export interface FindJudgmentFilesOptions {
  /**
   * Output root, searched before the data root; a file found in both keeps the output root's.
   * @default {the data root}
   */
  outputRoot?: string | undefined;
  /**
   * Bench folder.
   * @default {"mt_bench"}
   */
  bench?: string;
  /**
   * Judge name as it appears in file names (after the provider prefix, see
   * `modelFileName`); every judgment file of the bench when left out.
   * @default {undefined}
   */
  judge?: string | undefined;
  /**
   * Which files of the judge: single grades (`<judge>_single.jsonl` and every
   * `<model>_<judge>_single.jsonl`) or pairwise (`<judge>_pair.jsonl`).
   * @default {"single"}
   */
  kind?: "single" | "pair";
}

/** A judgment file found. */
export interface FoundJudgmentFile {
  /** Path to read. */
  path: string;
  /** File name, e.g. `Phi-3-mini-4k-instruct_groq_single.jsonl`. */
  name: string;
  /** Which root it is in. */
  root: "output" | "data";
  /** The model of a per-model file (`judge --per-model-file`); undefined for FastChat's file. */
  model?: string | undefined;
}

/** What {@linkcode findJudgmentFiles} found. */
export interface FoundJudgmentFiles {
  /** Files to read together: FastChat's `<judge>_single.jsonl` first, then per-model files by name. */
  files: FoundJudgmentFile[];
  /** The `model_judgment` folders searched, output root first. */
  directories: string[];
}

/**
 * Finds the judgment files of a bench under the output root and the data
 * root (FastChat's layout, `<root>/<bench>/model_judgment/`): with a judge,
 * FastChat's `<judge>_single.jsonl` and every `<model>_<judge>_single.jsonl`
 * written by `judge --per-model-file` (or `<judge>_pair.jsonl`); without
 * one, every `*.jsonl` there but Batch API journals (`*.batches.jsonl`). A file name present in both roots is taken
 * from the output root. With a judge and nothing found, throws a
 * `DataError` naming the folders searched.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findJudgmentFiles } from "./find_judgment_files.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/mt_bench/model_judgment`, { recursive: true });
 * for (const name of ["groq_single.jsonl", "phi_groq_single.jsonl", "gpt-4_single.jsonl"]) {
 *   await Deno.writeTextFile(`${root}/mt_bench/model_judgment/${name}`, "");
 * }
 * const found = await findJudgmentFiles(root, { judge: "groq" });
 * assert.deepEqual(found.files.map((file) => file.name), ["groq_single.jsonl", "phi_groq_single.jsonl"]);
 * assert.equal(found.files[1]!.model, "phi");
 * ```
 */
export async function findJudgmentFiles(
  dataRoot: string,
  options: FindJudgmentFilesOptions = {},
): Promise<FoundJudgmentFiles> {
  const bench = options.bench ?? "mt_bench";
  const kind = options.kind ?? "single";
  const judge = options.judge;
  const roots: [string, "output" | "data"][] = [];
  if (options.outputRoot !== undefined && resolve(options.outputRoot) !== resolve(dataRoot)) {
    roots.push([options.outputRoot, "output"]);
  }
  roots.push([dataRoot, "data"]);
  const directories = roots.map(([root]) => layout.judgmentDir(root, bench));
  const byName = new Map<string, FoundJudgmentFile>();
  for (const [root, which] of roots) {
    const directory = layout.judgmentDir(root, bench);
    for (const name of await jsonlNames(directory)) {
      if (byName.has(name)) continue;
      const model = judge === undefined ? undefined : modelOf(name, judge, kind);
      if (judge !== undefined && model === undefined) continue;
      byName.set(name, {
        path: join(directory, name),
        name,
        root: which,
        ...(model ? { model } : {}),
      });
    }
  }
  const files = [...byName.values()].sort((a, b) =>
    a.model === undefined && b.model !== undefined
      ? -1
      : a.model !== undefined && b.model === undefined
      ? 1
      : a.name < b.name
      ? -1
      : a.name > b.name
      ? 1
      : 0
  );
  if (judge !== undefined && files.length === 0) {
    const names = kind === "single"
      ? `${judge}_single.jsonl or <model>_${judge}_single.jsonl`
      : `${judge}_pair.jsonl`;
    throw new DataError(
      `no judgment file of judge "${judge}": looked for ${names} in ${
        directories.map((directory) => JSON.stringify(directory)).join(" and ")
      }`,
      { file: directories[0]! },
    );
  }
  return { files, directories };
}

/** "" for FastChat's file of the judge, the model for a per-model file, undefined otherwise. */
function modelOf(name: string, judge: string, kind: "single" | "pair"): string | undefined {
  const suffix = `${judge}_${kind}.jsonl`;
  if (name === suffix) return "";
  if (kind === "single" && name.endsWith(`_${suffix}`) && name.length > suffix.length + 1) {
    return name.slice(0, -(suffix.length + 1));
  }
  return undefined;
}

async function jsonlNames(directory: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      // A Batch API journal (`<file>.batches.jsonl`) sits beside a judgment file; it is not one.
      if (
        (entry.isFile || entry.isSymlink) && entry.name.endsWith(".jsonl") &&
        !entry.name.endsWith(".batches.jsonl")
      ) {
        names.push(entry.name);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
      throw error;
    }
  }
  return names.sort();
}
