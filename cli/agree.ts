/**
 * `llm-judge agree`: agreement between two judges on MT-Bench pairwise votes, a
 * port of FastChat's `compute_agreement.py` with kappa, bootstrap intervals and
 * judgment files as judges.
 * @module
 */
import { stdout, writeAll } from "./_io.ts";
import {
  type Command,
  COMMON_OPTIONS,
  expandListArgs,
  integerOption,
  listOption,
  oneOf,
  parseCommandArgs,
  UsageError,
} from "./_command.ts";
import { resolveRoots } from "../lib/data/data_root.ts";
import { writeTextFileAtomic } from "../lib/data/write_text_file_atomic.ts";
import { type AgreementReport, agreementReport } from "../lib/report/agreement_report.ts";
import { renderAgreementReport } from "../lib/report/render_agreement_report.ts";
import { UnknownJudgeError } from "../lib/report/unknown_judge_error.ts";
import { DataError } from "../lib/data/data_error.ts";
import { fastchatAgreementReport } from "../lib/report/fastchat_agreement_report.ts";

const FORMATS = ["table", "json", "csv", "markdown", "fastchat"] as const;
type Format = typeof FORMATS[number];

const HELP = `Usage: llm-judge agree [options]

Agreement between two judges on MT-Bench pairwise votes, as FastChat's
compute_agreement.py: per turn, with ties (S1) and without (S2), plus Cohen's
kappa and a bootstrap interval that resamples questions.

Options:
  --judges J1 J2        the two judges (default: gpt4-pair human). A judge is
                        gpt4-pair, human (expert_* votes) or author (author_*
                        votes), or a FastChat judgment file (*_pair.jsonl, or
                        *_single.jsonl: grades become pairwise votes, ties within
                        0.1); a bare file name is looked up in
                        <bench>/model_judgment/ under the output root, then
                        the data root (the output root wins). The same judge
                        twice compares its votes with each other (human human).
  --votefiles F...      human-judgment vote files (.parquet, .json or .jsonl;
                        default: found in mt_bench_human_judgments/ under the
                        output root, then the data root, parquet first)
  --output-dir DIR      output root, searched first (default: LLM_JUDGE_OUTPUT,
                        else the data root)
  --bench-name NAME     bench folder under the data root (default: mt_bench)
  --format FORMAT       table, json, csv, markdown or fastchat (default: table);
                        fastchat prints compute_agreement.py's four lines,
                        byte for byte (no kappa, no intervals)
  --bootstrap N         bootstrap rounds for the intervals; 0 disables (default: 1000)
  --seed N              bootstrap seed (default: 0)
  --by-category         also break agreement down by question category
                        (reads <data>/<bench>/question.jsonl)
  --output-file PATH    also write the output to PATH (atomically)
  --data-dir DIR        data root (default: LLM_JUDGE_DATA, else ./data)
  -h, --help            show this help

Examples:
  llm-judge agree
  llm-judge agree --judges human human
  llm-judge agree --judges gpt4-pair human --votefiles human_judgments.json gpt4_pair_judgments.json`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  judges: { type: "string", multiple: true },
  votefiles: { type: "string", multiple: true },
  "bench-name": { type: "string", default: "mt_bench" },
  format: { type: "string", default: "table" },
  bootstrap: { type: "string", default: "1000" },
  seed: { type: "string", default: "0" },
  "by-category": { type: "boolean", default: false },
  "output-file": { type: "string" },
} as const;

/** The `agree` command. */
export const agreeCommand: Command = {
  name: "agree",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const { values } = parseCommandArgs(
      expandListArgs(args, ["--judges", "--votefiles"]),
      OPTIONS,
    );
    const judges = listOption(values.judges) ?? ["gpt4-pair", "human"];
    if (judges.length !== 2) {
      throw new UsageError(
        `--judges takes exactly 2 judges, got ${judges.length}: ${JSON.stringify(judges)}`,
      );
    }
    const format: Format = oneOf(values.format, FORMATS, "--format");
    const rounds = integerOption(values.bootstrap, "--bootstrap", 0);
    const seed = integerOption(values.seed, "--seed", 0);
    const bench = values["bench-name"];
    const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
    let report: AgreementReport;
    try {
      report = await agreementReport({
        judges: [judges[0]!, judges[1]!],
        voteFiles: listOption(values.votefiles),
        root: roots.data,
        outputRoot: roots.output,
        bench,
        rounds: format === "fastchat" ? 0 : rounds,
        seed,
        byCategory: values["by-category"],
      });
    } catch (error) {
      if (error instanceof UnknownJudgeError) throw new UsageError(error.message);
      throw error;
    }
    const text = format === "json"
      ? JSON.stringify(report, null, 2) + "\n"
      : format === "fastchat"
      ? fastchatText(report)
      : renderAgreementReport(report, format);
    // Inputs are all read and checked; only now is anything written.
    if (values["output-file"] !== undefined) {
      await writeTextFileAtomic(values["output-file"], text);
    }
    writeStdout(text);
    return 0;
  },
};

function writeStdout(text: string): void {
  writeAll(stdout(), new TextEncoder().encode(text));
}

/** FastChat's four lines; a turn with no pair to compare is a data error naming the inputs. */
function fastchatText(report: AgreementReport): string {
  try {
    return fastchatAgreementReport(report.result);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const files = report.inputs.map((input) => input.path).join('", "');
    throw new DataError(error.message, { file: files });
  }
}
