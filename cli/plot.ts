// deno-lint-ignore-file no-console
/**
 * `llm-judge plot`: charts of judgment files as SVG, PNG or a Vega-Lite spec,
 * for reports outside notebooks.
 * @module
 */
import { extname } from "node:path";
import { DataError } from "../lib/data/data_error.ts";
import { layout, resolveRoots } from "../lib/data/data_root.ts";
import { findJudgmentFiles } from "../lib/data/find_judgment_files.ts";
import { modelFileName } from "../lib/chat/providers/model_file_name.ts";
import { streamPairJudgments, streamSingleJudgments } from "../lib/data/read_judgments.ts";
import { readQuestions } from "../lib/data/read_questions.ts";
import { type PairJudgment, type QuestionId, type SingleJudgment } from "../lib/data/types.ts";
import { writeFileAtomic } from "../lib/data/write_file_atomic.ts";
import { writeTextFileAtomic } from "../lib/data/write_text_file_atomic.ts";
import {
  agreementHeatmapSpec,
  radarChartSpec,
  renderPng,
  renderSvg,
  scoreDistributionSpec,
  winRateChartSpec,
} from "../lib/plot/mod.ts";
import { pairwiseWinRates } from "../lib/score/pairwise_win_rates.ts";
import { singleScoreTable } from "../lib/score/single_score_table.ts";
import { agreementReport } from "../lib/report/agreement_report.ts";
import { auditChart } from "./_audit_chart.ts";
import {
  type Command,
  COMMON_OPTIONS,
  expandListArgs,
  integerOption,
  listOption,
  oneOf,
  parseCommandArgs,
  positiveOption,
  UsageError,
} from "./_command.ts";

const KINDS = [
  "radar",
  "winrate",
  "agreement",
  "distribution",
  "calibration",
  "position-bias",
  "length-bias",
] as const;
type Kind = typeof KINDS[number];
const TURNS = ["1", "2", "average"] as const;
const OUTPUTS = [".svg", ".png", ".json"] as const;

const OPTIONS = {
  ...COMMON_OPTIONS,
  kind: { type: "string" },
  "input-file": { type: "string", multiple: true },
  out: { type: "string" },
  "bench-name": { type: "string" },
  "judge-model": { type: "string", default: "gpt-4" },
  "model-list": { type: "string", multiple: true },
  "baseline-model": { type: "string" },
  turn: { type: "string", default: "average" },
  title: { type: "string" },
  scale: { type: "string", default: "2" },
  bootstrap: { type: "string", default: "1000" },
  seed: { type: "string", default: "0" },
} as const;

const HELP = `Usage: llm-judge plot --kind KIND --out FILE [options]

Draws a chart of judgment files and writes it as SVG, PNG or the Vega-Lite spec
(chosen by the extension of --out: .svg, .png or .json).

Kinds:
  radar         MT-Bench score per category, one polygon per model (FastChat's
                radar figure). Input: single-grade judgment files; categories
                come from <data>/<bench>/question.jsonl.
  winrate       Adjusted win rate per model (ties count half) with 95%
                bootstrap intervals. Input: a pairwise judgment file.
  agreement     Agreement heatmap, gpt4-pair vs human and human vs human, per
                turn, S1 (with ties) and S2 (without). Input: the human-judgment
                vote files (default: found in <data>/mt_bench_human_judgments/).
  distribution  Score distribution per category and model. Input:
                single-grade judgment files.
  calibration   Agreement of each calibrated judge with the MT-Bench experts
                (95% intervals), GPT-4 and the experts' own agreement marked.
                Input: calibrate's reports (default: every
                <output>/reports/calibration_*.json). --turn 1 or 2 (default 1).
  position-bias Position consistency, first-position preference, tie and
                inconsistency rates, one color per pairwise judgment file.
  length-bias   Verdicts against answer length with a least-squares line.
                Input: a judgment file; answers from <data>/<bench>/model_answer
                and <output>/<bench>/model_answer (--bench-name; default: the
                records' provenance, else mt_bench).

Without --input-file, judgment files are found in <bench>/model_judgment/ under
the output root, then the data root: <judge>_single.jsonl with every
<model>_<judge>_single.jsonl (judge --per-model-file), or <judge>_pair.jsonl for
winrate; a file name in both roots is read from the output root. The files read
are named on stderr. Vote files are looked for under the output root, then the
data root.

Options:
  --kind KIND             radar | winrate | agreement | distribution | calibration |
                          position-bias | length-bias (required).
  --out FILE              Output file: .svg, .png or .json (required).
  --input-file FILE       Judgment file to read instead of the files found.
                          For agreement: the vote files (one or more).
  --bench-name NAME       Benchmark folder (default mt_bench).
  --judge-model NAME      Judge of the files to find (default gpt-4; a provider prefix
                          is dropped as judge does).
  --model-list M [M ...]  Only these models, in this order (radar, winrate, distribution).
  --turn T                1, 2 or average: which turn's scores (radar, distribution;
                          default average = both turns pooled, as show does).
  --baseline-model NAME   winrate: only games against this model (pairwise-baseline).
  --title TEXT            Chart title.
  --scale N               PNG zoom factor (default 2).
  --bootstrap N           winrate: bootstrap resamples for the intervals; 0 disables (default 1000).
  --seed N                Seed of the bootstrap (default 0).
  --data-dir DIR          Data root (default LLM_JUDGE_DATA, else ./data).
  --output-dir DIR        Output root, searched first for judgments, answers and
                          calibration reports (default LLM_JUDGE_OUTPUT, else the data
                          root). The chart goes to --out.
  -h, --help              Show this help.

Examples:
  llm-judge plot --kind radar --input-file judgments/gpt-4_single.jsonl --out radar.png
  llm-judge plot --kind winrate --baseline-model gpt-3.5-turbo --out winrate.svg
  llm-judge plot --kind agreement --out agreement.png

Exit codes: 0 done, 1 bad input file, 2 bad command line.`;

/** The `plot` command. */
export const plotCommand: Command = {
  name: "plot",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const { values } = parseCommandArgs(
      expandListArgs(args, ["--model-list", "--input-file"]),
      OPTIONS,
    );
    if (values.kind === undefined) throw new UsageError(`--kind is required (${KINDS.join(", ")})`);
    const kind: Kind = oneOf(values.kind, KINDS, "--kind");
    if (values.out === undefined) {
      throw new UsageError("--out is required (a .svg, .png or .json file)");
    }
    const out = values.out;
    const format = oneOf(extname(out).toLowerCase(), OUTPUTS, "the extension of --out");
    const turn = oneOf(values.turn, TURNS, "--turn");
    const scale = positiveOption(values.scale, "--scale");
    const rounds = integerOption(values.bootstrap, "--bootstrap", 0);
    const seed = integerOption(values.seed, "--seed");
    const modelList = listOption(values["model-list"]);
    const inputFiles = listOption(values["input-file"]);
    const bench = values["bench-name"] ?? "mt_bench";
    const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
    const root = roots.data;
    const title = values.title;
    const multiple = ["agreement", "calibration", "position-bias"];
    if (!multiple.includes(kind) && inputFiles !== undefined && inputFiles.length > 1) {
      throw new UsageError(
        `--kind ${kind} reads one --input-file, got ${inputFiles.length}: ${
          JSON.stringify(inputFiles)
        }`,
      );
    }
    const judgmentFiles = async (pair: boolean): Promise<string[]> => {
      if (inputFiles !== undefined) return [inputFiles[0]!];
      let judge: string;
      try {
        judge = modelFileName(values["judge-model"], { what: "--judge-model" });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const found = await findJudgmentFiles(root, {
        outputRoot: roots.output,
        bench,
        judge,
        kind: pair ? "pair" : "single",
      });
      const paths = found.files.map((file) => file.path);
      console.error(`llm-judge plot: reading ${paths.join(", ")}`);
      return paths;
    };

    let spec;
    let described: string;
    if (kind === "radar" || kind === "distribution") {
      const paths = await judgmentFiles(false);
      const inputFile = paths.join(", ");
      const questionFile = layout.questions(root, bench);
      const questions = await readQuestions(questionFile);
      const categories = new Map(
        questions.map((question) => [question.question_id, question.category]),
      );
      const records = await readSingle(paths, categories);
      const turnNumber = turn === "average" ? undefined : Number(turn);
      const kept = turnNumber === undefined
        ? records
        : records.filter((record) => record.turn === turnNumber);
      if (kind === "radar") {
        const table = singleScoreTable(kept, { categories, modelList, rounds: 0 });
        if (table.average.length === 0) {
          throw new DataError(
            `no scored record${turnNumber === undefined ? "" : ` of turn ${turnNumber}`} to plot`,
            {
              file: inputFile,
            },
          );
        }
        spec = radarChartSpec(table.perCategory ?? [], {
          categories: table.categories ?? undefined,
          models: modelList?.filter((model) => !table.missingModels.includes(model)),
          subtitle: turnNumber === undefined ? "turns 1 and 2 pooled" : `turn ${turnNumber}`,
          ...(title === undefined ? {} : { title }),
        });
      } else {
        spec = scoreDistributionSpec(kept, categories, {
          turn: turnNumber,
          models: modelList,
          ...(title === undefined ? {} : { title }),
        });
      }
      described = `${kind} of ${inputFile}`;
    } else if (kind === "winrate") {
      const paths = await judgmentFiles(true);
      const inputFile = paths.join(", ");
      const games = await readPairs(paths);
      const baseline = values["baseline-model"];
      const table = pairwiseWinRates(games, { baseline, modelList, rounds, seed });
      if (table.rows.length === 0) {
        throw new DataError("no game to plot (after the baseline and model-list filters)", {
          file: inputFile,
        });
      }
      spec = winRateChartSpec(table.rows, { baseline: table.baseline, title });
      described = `win rates of ${inputFile}`;
    } else if (kind === "calibration" || kind === "position-bias" || kind === "length-bias") {
      const drawn = await auditChart(kind, {
        inputFiles,
        roots,
        bench: values["bench-name"],
        turn: turn === "average" ? undefined : Number(turn),
        title,
      });
      spec = drawn.spec;
      described = drawn.described;
    } else {
      const reports = [];
      for (const judges of [["gpt4-pair", "human"], ["human", "human"]] as const) {
        reports.push(
          await agreementReport({
            judges,
            voteFiles: inputFiles,
            root,
            outputRoot: roots.output,
            bench,
            rounds: 0,
            seed,
            byCategory: false,
          }),
        );
      }
      spec = agreementHeatmapSpec(
        reports.map((report) => report.result),
        title === undefined ? {} : { title },
      );
      described = `agreement of ${reports[0]!.inputs.map((input) => input.path).join(", ")}`;
    }

    // Every input is read and checked; only now is the output written.
    if (format === ".json") {
      await writeTextFileAtomic(out, JSON.stringify(spec, null, 2) + "\n");
    } else {
      const svg = await renderSvg(spec);
      if (format === ".svg") await writeTextFileAtomic(out, svg);
      else await writeFileAtomic(out, await renderPng(svg, { scale }));
    }
    console.log(`Wrote ${out}: ${described}`);
    return 0;
  },
};

/** Reads single-grade judgment files, checking every line and its question's category. */
async function readSingle(
  paths: readonly string[],
  categories: ReadonlyMap<QuestionId, string>,
): Promise<SingleJudgment[]> {
  const records: SingleJudgment[] = [];
  const options = {
    hint: "use --kind winrate for pair files",
    questionIds: new Set(categories.keys()),
  };
  for (const path of paths) {
    for await (const batch of streamSingleJudgments(path, options)) records.push(...batch);
  }
  return records;
}

/** Reads pairwise judgment files, checking every line. */
async function readPairs(paths: readonly string[]): Promise<PairJudgment[]> {
  const records: PairJudgment[] = [];
  for (const path of paths) {
    for await (
      const batch of streamPairJudgments(path, { hint: "use --kind radar for single files" })
    ) {
      records.push(...batch);
    }
  }
  return records;
}
