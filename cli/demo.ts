// deno-lint-ignore-file no-console
/**
 * `llm-judge demo`: the README's main job. On the data root it reproduces the
 * MT-Bench paper's agreement table (GPT-4 pair vs human experts, human vs human)
 * and the win rates of the six human-study models as judged by GPT-4 and by the
 * experts, prints them, and writes them as JSON and Markdown into the output root.
 * @module
 */
import { join } from "node:path";
import { type Command, COMMON_OPTIONS, integerOption, parseCommandArgs } from "./_command.ts";
import { DataError } from "../lib/data/data_error.ts";
import { resolveRoots } from "../lib/data/data_root.ts";
import { writeTextFileAtomic } from "../lib/data/write_text_file_atomic.ts";
import { humanStudyReport } from "../lib/report/human_study_report.ts";
import { renderHumanStudyReport } from "../lib/report/render_human_study_report.ts";

const HELP = `Usage: llm-judge demo [options]

Reproduces the MT-Bench paper's human-study numbers from the data root:
  1. agreement of the GPT-4 pair judge with human experts, and among experts,
     per turn, with ties (S1) and without (S2), as FastChat's compute_agreement.py;
  2. win rates (FastChat's pairwise-all semantics) of the six study models as
     judged by GPT-4 and by the experts.
Prints both and writes <output>/reports/mt_bench_human_study.{json,md}. The
vote files (mt_bench_human_judgments/) are looked for under the output root,
then the data root.

Options:
  --bootstrap N       bootstrap rounds for the intervals; 0 disables (default: 1000)
  --seed N            bootstrap seed (default: 0)
  --data-dir DIR      data root (default: LLM_JUDGE_DATA, else ./data)
  --output-dir DIR    output root: read first, and the reports go there (default:
                      LLM_JUDGE_OUTPUT, else the data root)
  -h, --help          show this help

Example:
  LLM_JUDGE_DATA=../shared/data LLM_JUDGE_OUTPUT=out deno task demo`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  bootstrap: { type: "string", default: "1000" },
  seed: { type: "string", default: "0" },
} as const;

/** The `demo` command. */
export const demoCommand: Command = {
  name: "demo",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const { values } = parseCommandArgs(args, OPTIONS);
    const rounds = integerOption(values.bootstrap, "--bootstrap", 0);
    const seed = integerOption(values.seed, "--seed", 0);
    const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
    const report = await humanStudyReport(roots.data, {
      outputRoot: roots.output,
      rounds,
      seed,
    });
    const read = [
      ...report.agreement.gpt4VsHuman.inputs,
      ...report.agreement.humanVsHuman.inputs,
    ].map((input) => input.path);
    console.error(`llm-judge demo: reading ${[...new Set(read)].join(", ")}`);
    const text = renderHumanStudyReport(report, "table");
    const markdown = renderHumanStudyReport(report, "markdown");
    const directory = join(roots.output, "reports");
    const jsonPath = join(directory, "mt_bench_human_study.json");
    const markdownPath = join(directory, "mt_bench_human_study.md");
    try {
      await writeTextFileAtomic(jsonPath, JSON.stringify(report, null, 2) + "\n");
      await writeTextFileAtomic(markdownPath, markdown);
    } catch (error) {
      throw new DataError(
        `cannot write the report (${
          (error as Error).message
        }); the data root may be read-only: set --output-dir or LLM_JUDGE_OUTPUT`,
        { file: directory },
        { cause: error },
      );
    }
    console.log(text);
    console.log(`Wrote ${jsonPath}\nWrote ${markdownPath}`);
    return 0;
  },
};
