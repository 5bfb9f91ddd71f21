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
import { type AgreeReport, renderReport, runAgreement } from "./agree.ts";
import { DataError } from "../lib/data/data_error.ts";
import { resolveRoots } from "../lib/data/data_root.ts";
import { findHumanVoteFiles } from "../lib/data/find_human_vote_files.ts";
import { streamHumanVotes } from "../lib/data/read_human_votes.ts";
import type { HumanVote } from "../lib/data/types.ts";
import { writeTextFileAtomic } from "../lib/data/write_atomic.ts";
import { judgeName } from "../lib/agree/judge_name.ts";
import { gamesFromVotes } from "../lib/score/games_from_votes.ts";
import { type PairwiseWinRates, pairwiseWinRates } from "../lib/score/pairwise_win_rates.ts";
import { renderTable, type ReportTable } from "../lib/report/render_table.ts";

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

/** Everything the demo computes; written as JSON. */
export interface DemoReport {
  dataRoot: string;
  agreement: { gpt4VsHuman: AgreeReport; humanVsHuman: AgreeReport };
  winRates: { gpt4: PairwiseWinRates; human: PairwiseWinRates };
}

/** The `demo` command. */
export const demoCommand: Command = {
  name: "demo",
  summary: "the paper's agreement table and win rates, from the data root",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const { values } = parseCommandArgs(args, OPTIONS);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const rounds = integerOption(values.bootstrap, "--bootstrap", 0);
    const seed = integerOption(values.seed, "--seed", 0);
    const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
    const common = {
      voteFiles: undefined,
      root: roots.data,
      outputRoot: roots.output,
      bench: "mt_bench",
      rounds,
      seed,
      byCategory: false,
    };
    const gpt4VsHuman = await runAgreement({ ...common, judges: ["gpt4-pair", "human"] });
    const humanVsHuman = await runAgreement({ ...common, judges: ["human", "human"] });

    const read = [...gpt4VsHuman.inputs, ...humanVsHuman.inputs].map((input) => input.path);
    console.error(`llm-judge demo: reading ${[...new Set(read)].join(", ")}`);
    const votes = await readStudyVotes([roots.output, roots.data]);
    const rateOptions = { bootstrap: rounds, seed };
    const report: DemoReport = {
      dataRoot: roots.data,
      agreement: { gpt4VsHuman, humanVsHuman },
      winRates: {
        gpt4: pairwiseWinRates(gamesFromVotes(votes.gpt4), rateOptions),
        human: pairwiseWinRates(gamesFromVotes(votes.human), rateOptions),
      },
    };

    const text = renderDemo(report, "table");
    const markdown = renderDemo(report, "markdown");
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

/**
 * GPT-4 pair votes and expert votes (authors left out, as FastChat's "human"),
 * each split from the first root that has it (output root, then data root).
 */
async function readStudyVotes(
  roots: string[],
): Promise<{ gpt4: HumanVote[]; human: HumanVote[] }> {
  const all = await Promise.all(roots.map((root) => findHumanVoteFiles(root)));
  const gpt4: HumanVote[] = [];
  const human: HumanVote[] = [];
  const expertFile = all.find((found) => found.human !== undefined)?.human;
  const gpt4Pair = all.find((found) => found.gpt4Pair !== undefined)?.gpt4Pair;
  for (const file of [expertFile, gpt4Pair]) {
    if (file === undefined) continue;
    for await (const batch of streamHumanVotes(file.path, { conversations: false })) {
      for (const vote of batch) {
        const judge = judgeName(vote.judge);
        if (judge === "gpt4-pair") gpt4.push(vote);
        else if (judge === "human") human.push(vote);
      }
    }
  }
  return { gpt4, human };
}

function renderDemo(report: DemoReport, format: "table" | "markdown"): string {
  const { gpt4VsHuman, humanVsHuman } = report.agreement;
  const parts = [
    format === "markdown"
      ? "# MT-Bench human study, reproduced\n"
      : "MT-Bench human study, reproduced\n",
    renderReport(gpt4VsHuman, format),
    renderReport(humanVsHuman, format),
    renderTable(winRateTable(report), format),
  ];
  return parts.join("\n");
}

function winRateTable(report: DemoReport): ReportTable {
  const { gpt4, human } = report.winRates;
  const humanRows = new Map(human.rows.map((row) => [row.model, row]));
  const ci = (lower?: number, upper?: number) =>
    lower === undefined || upper === undefined ? "" : `[${lower.toFixed(3)}, ${upper.toFixed(3)}]`;
  return {
    title: "Win rates of the six study models (pairwise-all; a tie counts half)",
    columns: [
      { key: "model", label: "model" },
      { key: "gpt4", label: "GPT-4 win_rate_adjusted", digits: 4 },
      { key: "gpt4_ci", label: "GPT-4 95% CI" },
      { key: "gpt4_games", label: "GPT-4 games" },
      { key: "human", label: "human win_rate_adjusted", digits: 4 },
      { key: "human_ci", label: "human 95% CI" },
      { key: "human_games", label: "human games" },
    ],
    rows: gpt4.rows.map((row) => {
      const other = humanRows.get(row.model);
      return {
        model: row.model,
        gpt4: row.winRateAdjusted,
        gpt4_ci: ci(row.lower, row.upper),
        gpt4_games: row.games,
        human: other?.winRateAdjusted,
        human_ci: ci(other?.lower, other?.upper),
        human_games: other?.games,
      };
    }),
    notes: [
      'Sorted by the GPT-4 column. Each vote is one game; GPT-4\'s "tie (inconsistent)" counts as a tie, as FastChat counts g1 != g2.',
      "Human: expert votes only (author_* left out), as FastChat's compute_agreement.py.",
    ],
  };
}
