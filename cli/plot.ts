// deno-lint-ignore-file no-console
/**
 * `llm-judge plot`: charts of judgment files as SVG, PNG or a Vega-Lite spec,
 * for reports outside notebooks.
 * @module
 */
import { extname } from "node:path";
import { DataError } from "../lib/data/data_error.ts";
import { layout, resolveRoots } from "../lib/data/data_root.ts";
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

const KINDS = ["radar", "winrate", "agreement", "distribution"] as const;
type Kind = typeof KINDS[number];
const TURNS = ["1", "2", "average"] as const;
const OUTPUTS = [".svg", ".png", ".json"] as const;

const OPTIONS = {
  ...COMMON_OPTIONS,
  kind: { type: "string" },
  "input-file": { type: "string", multiple: true },
  out: { type: "string" },
  "bench-name": { type: "string", default: "mt_bench" },
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
                radar figure). Input: a single-grade judgment file; categories
                come from <data>/<bench>/question.jsonl.
  winrate       Adjusted win rate per model (ties count half) with 95%
                bootstrap intervals. Input: a pairwise judgment file.
  agreement     Agreement heatmap, gpt4-pair vs human and human vs human, per
                turn, S1 (with ties) and S2 (without). Input: the human-judgment
                vote files (default: found in <data>/mt_bench_human_judgments/).
  distribution  Score distribution per category and model. Input: a
                single-grade judgment file.

Options:
  --kind KIND             radar | winrate | agreement | distribution (required).
  --out FILE              Output file: .svg, .png or .json (required).
  --input-file FILE       Judgment file (default <data>/<bench>/model_judgment/
                          <judge>_single.jsonl, or <judge>_pair.jsonl for winrate).
                          For agreement: the vote files (one or more).
  --bench-name NAME       Benchmark folder under the data root (default mt_bench).
  --judge-model NAME      Judge of the default input file (default gpt-4).
  --model-list M [M ...]  Only these models, in this order (radar, winrate, distribution).
  --turn T                1, 2 or average: which turn's scores (radar, distribution;
                          default average = both turns pooled, as show does).
  --baseline-model NAME   winrate: only games against this model (pairwise-baseline).
  --title TEXT            Chart title.
  --scale N               PNG zoom factor (default 2).
  --bootstrap N           winrate: bootstrap resamples for the intervals; 0 disables (default 1000).
  --seed N                Seed of the bootstrap (default 0).
  --data-dir DIR          Data root (default LLM_JUDGE_DATA, else ./data).
  --output-dir DIR        Accepted for uniformity; plot writes only --out.
  -h, --help              Show this help.

Examples:
  llm-judge plot --kind radar --input-file judgments/gpt-4_single.jsonl --out radar.png
  llm-judge plot --kind winrate --baseline-model gpt-3.5-turbo --out winrate.svg
  llm-judge plot --kind agreement --out agreement.png

Exit codes: 0 done, 1 bad input file, 2 bad command line.`;

/** The `plot` command. */
export const plotCommand: Command = {
  name: "plot",
  summary: "radar, win-rate, agreement or score charts (SVG, PNG, Vega-Lite)",
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
    const bench = values["bench-name"];
    const root = resolveRoots({ dataDir: values["data-dir"] }).data;
    const title = values.title;
    if (kind !== "agreement" && inputFiles !== undefined && inputFiles.length > 1) {
      throw new UsageError(
        `--kind ${kind} reads one --input-file, got ${inputFiles.length}: ${
          JSON.stringify(inputFiles)
        }`,
      );
    }
    const judgmentFile = (pair: boolean) =>
      inputFiles?.[0] ??
        layout.judgmentFile(root, bench, values["judge-model"], pair ? "pair" : "single");

    let spec;
    let described: string;
    if (kind === "radar" || kind === "distribution") {
      const inputFile = judgmentFile(false);
      const questionFile = layout.questions(root, bench);
      const questions = await readQuestions(questionFile);
      const categories = new Map(
        questions.map((question) => [question.question_id, question.category]),
      );
      const records = await readSingle(inputFile, categories);
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
      const inputFile = judgmentFile(true);
      const games = await readPairs(inputFile);
      const baseline = values["baseline-model"];
      const table = pairwiseWinRates(games, { baseline, modelList, rounds, seed });
      if (table.rows.length === 0) {
        throw new DataError("no game to plot (after the baseline and model-list filters)", {
          file: inputFile,
        });
      }
      spec = winRateChartSpec(table.rows, { baseline: table.baseline, title });
      described = `win rates of ${inputFile}`;
    } else {
      const reports = [];
      for (const judges of [["gpt4-pair", "human"], ["human", "human"]] as const) {
        reports.push(
          await agreementReport({
            judges,
            voteFiles: inputFiles,
            root,
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

/** Reads a single-grade judgment file, checking every line and its question's category. */
async function readSingle(
  path: string,
  categories: ReadonlyMap<QuestionId, string>,
): Promise<SingleJudgment[]> {
  const records: SingleJudgment[] = [];
  const options = {
    hint: "use --kind winrate for pair files",
    questionIds: new Set(categories.keys()),
  };
  for await (const batch of streamSingleJudgments(path, options)) records.push(...batch);
  return records;
}

/** Reads a pairwise judgment file, checking every line. */
async function readPairs(path: string): Promise<PairJudgment[]> {
  const records: PairJudgment[] = [];
  for await (
    const batch of streamPairJudgments(path, { hint: "use --kind radar for single files" })
  ) {
    records.push(...batch);
  }
  return records;
}
