import { join } from "node:path";
import { layout } from "../data/data_root.ts";
import { writeTextFileAtomic } from "../data/write_text_file_atomic.ts";
import type { HumanBench } from "./types.ts";

/** Options for {@linkcode writeHumanBench}. */
export interface WriteHumanBenchOptions {
  /**
   * Data root whose `mt_bench/reference_answer/gpt-4.jsonl` is copied into the
   * bench (the math, reasoning and coding questions are judged against it).
   * @default {undefined} (no reference answers copied)
   */
  referenceRoot?: string | undefined;
}

/** What {@linkcode writeHumanBench} wrote. */
export interface WrittenHumanBench {
  /** The bench folder. */
  directory: string;
  /** Files written, relative to the folder. */
  files: string[];
}

/**
 * Writes the human-study bench in FastChat's layout under an output root, so
 * `judge`, `show` and `browse` work on it: `<root>/<bench>/question.jsonl`,
 * `model_answer/<model>.jsonl`, `reference_answer/gpt-4.jsonl` (copied from
 * the reference root) and `bench_check.json` (the item counts and every voted
 * item that could not be assembled, with the reason). Files are written
 * atomically, and rewritten only when their content changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeHumanBench } from "./write_human_bench.ts";
 * const root = await Deno.makeTempDir();
 * const written = await writeHumanBench({
 *   name: "mt_bench_human", questions: [], answers: new Map(), items: [], unavailable: [], sources: {},
 * }, root);
 * assert.deepEqual(written.files, ["question.jsonl", "bench_check.json"]);
 * ```
 */
export async function writeHumanBench(
  bench: HumanBench,
  root: string,
  options: WriteHumanBenchOptions = {},
): Promise<WrittenHumanBench> {
  const directory = join(root, bench.name);
  const files: string[] = [];
  const write = async (relative: string, text: string) => {
    const path = join(directory, relative);
    let current: string | undefined;
    try {
      current = await Deno.readTextFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (current !== text) {
      await Deno.mkdir(join(path, ".."), { recursive: true });
      await writeTextFileAtomic(path, text);
    }
    files.push(relative);
  };
  const jsonl = (records: readonly unknown[]) =>
    records.map((record) => JSON.stringify(record) + "\n").join("");
  await write("question.jsonl", jsonl(bench.questions));
  for (const [model, answers] of bench.answers) {
    await write(join("model_answer", `${model}.jsonl`), jsonl(answers));
  }
  if (options.referenceRoot !== undefined) {
    const source = join(layout.referenceDir(options.referenceRoot, "mt_bench"), "gpt-4.jsonl");
    await write(join("reference_answer", "gpt-4.jsonl"), await Deno.readTextFile(source));
  }
  const check = {
    bench: bench.name,
    voted_items: bench.items.length + bench.unavailable.length,
    items: bench.items.length,
    questions: bench.questions.length,
    models: [...bench.answers.keys()],
    answer_sources: bench.sources,
    unavailable: bench.unavailable.map(({ item, reason }) => ({
      question_id: item.question_id,
      model_a: item.model_a,
      model_b: item.model_b,
      turn: item.turn,
      votes: item.votes.length,
      reason,
    })),
  };
  await write("bench_check.json", JSON.stringify(check, null, 2) + "\n");
  return { directory, files };
}
