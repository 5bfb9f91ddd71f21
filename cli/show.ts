// deno-lint-ignore-file no-console
/**
 * `llm-judge show`: FastChat's `show_result.py`, plus bootstrap intervals,
 * per-category means, Bradley–Terry ratings and several output formats.
 * @module
 */
import { layout, resolveRoots } from "../lib/data/data_root.ts";
import { findJudgmentFiles } from "../lib/data/find_judgment_files.ts";
import { modelFileName } from "../lib/chat/providers/model_file_name.ts";
import { streamPairJudgments, streamSingleJudgments } from "../lib/data/read_judgments.ts";
import { readQuestions } from "../lib/data/read_questions.ts";
import { streamPairJudgmentsParallel } from "../lib/data/stream_pair_judgments_parallel.ts";
import { streamSingleJudgmentsParallel } from "../lib/data/stream_single_judgments_parallel.ts";
import type { QuestionId } from "../lib/data/types.ts";
import { fastchatPairReport } from "../lib/report/fastchat_pair_report.ts";
import { fastchatSingleReport } from "../lib/report/fastchat_single_report.ts";
import { renderTable, type ReportTable } from "../lib/report/render_table.ts";
import { bradleyTerry, type BradleyTerryRatings } from "../lib/score/bradley_terry.ts";
import { PairGameCollector } from "../lib/score/pair_game_collector.ts";
import { type PairwiseWinRates, pairwiseWinRates } from "../lib/score/pairwise_win_rates.ts";
import { SingleScoreCollector } from "../lib/score/single_score_collector.ts";
import {
  type ModelScore,
  type SingleScoreTable,
  singleScoreTable,
} from "../lib/score/single_score_table.ts";
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
import { terminalWidth, writeStdout } from "./_terminal_width.ts";
import { pathExists } from "../lib/data/path_exists.ts";

const MODES = ["single", "pairwise-baseline", "pairwise-all"] as const;
type Mode = typeof MODES[number];
const FORMATS = ["table", "json", "csv", "markdown", "fastchat"] as const;
type Format = typeof FORMATS[number];

const OPTIONS = {
  ...COMMON_OPTIONS,
  "bench-name": { type: "string", default: "mt_bench" },
  "input-file": { type: "string" },
  "judge-model": { type: "string", default: "gpt-4" },
  "baseline-model": { type: "string", default: "gpt-3.5-turbo" },
  "model-list": { type: "string", multiple: true },
  mode: { type: "string", default: "single" },
  format: { type: "string", default: "table" },
  bootstrap: { type: "string", default: "1000" },
  seed: { type: "string", default: "0" },
} as const;

const HELP = `Usage: llm-judge show [options]

Shows the results of judgment files, as FastChat's show_result.py does: mean
scores per model (single) or win rates (pairwise).

Without --input-file it reads, from <bench>/model_judgment/ under the output
root and then the data root, <judge>_single.jsonl together with every
<model>_<judge>_single.jsonl (judge --per-model-file), or <judge>_pair.jsonl in
pairwise modes; a file name found in both roots is read from the output root.
It says on stderr which files it read.

Options:
  --bench-name NAME       Benchmark folder (default mt_bench).
  --input-file FILE       Judgment file to read instead of the files found.
  --judge-model NAME      Judge of the files to find (default gpt-4); a provider
                          prefix is dropped as judge does (groq:<model> -> <model>).
  --baseline-model NAME   Baseline of --mode pairwise-baseline (default gpt-3.5-turbo).
  --model-list M [M ...]  Only these models (space or comma separated, or repeated).
  --mode MODE             single | pairwise-baseline | pairwise-all (default single).
  --format FORMAT         table | json | csv | markdown | fastchat (default table).
                          fastchat prints what show_result.py prints, byte for
                          byte (pandas tables; no intervals, no extra tables).
  --bootstrap N           Bootstrap resamples for 95% intervals; 0 disables (default 1000).
  --seed N                Seed of the bootstrap (default 0).
  --data-dir DIR          Data root (default LLM_JUDGE_DATA, else ./data).
  --output-dir DIR        Output root, searched first (default LLM_JUDGE_OUTPUT, else the
                          data root).
  -h, --help              Show this help.

Single mode prints the mean score per model of the first turn, the second
turn and all kept records (turns pooled), then per-category means (from
<data>/<bench>/question.jsonl, when present) and what was excluded. Records
with score -1 or an "error" field are excluded and counted; repeated records
are averaged in, as FastChat does, and counted. Intervals resample questions.

Pairwise modes print wins, losses, ties and win rates (a tie counts half in
win_rate_adjusted); games with an "error" verdict are dropped and counted.
pairwise-all adds Bradley-Terry ratings (Elo-like scale, mean 1000). Intervals
resample games. --model-list keeps, as FastChat, every game whose model_1 is
listed; its opponent gets a row too.

Differences from FastChat, on purpose:
  - The second turn and the average are shown for every bench whose records
    have turn 2 (FastChat shows them only for mt_bench).
  - Sorting breaks ties by model name.

Exit codes: 0 done, 1 bad input file, 2 bad command line.`;

/** What `show --format json` prints. */
export interface ShowResult {
  mode: Mode;
  /** The judgment files read, together. */
  inputFiles: string[];
  questionFile: string | null;
  single?: SingleScoreTable;
  winRates?: PairwiseWinRates;
  ratings?: BradleyTerryRatings;
  notes: string[];
}

/** The `show` command. */
export const showCommand: Command = {
  name: "show",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const { values } = parseCommandArgs(expandListArgs(args, ["--model-list"]), OPTIONS);
    const mode = oneOf(values.mode, MODES, "--mode");
    const format = oneOf(values.format, FORMATS, "--format");
    const rounds = integerOption(values.bootstrap, "--bootstrap", 0);
    const seed = integerOption(values.seed, "--seed");
    const modelList = listOption(values["model-list"]);
    const bench = values["bench-name"];
    const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
    let inputFiles: string[];
    if (values["input-file"] !== undefined) {
      inputFiles = [values["input-file"]];
    } else {
      let judge: string;
      try {
        judge = modelFileName(values["judge-model"], { what: "--judge-model" });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const found = await findJudgmentFiles(roots.data, {
        outputRoot: roots.output,
        bench,
        judge,
        kind: mode === "single" ? "single" : "pair",
      });
      inputFiles = found.files.map((file) => file.path);
      console.error(`llm-judge show: reading ${inputFiles.join(", ")}`);
    }
    const inputFile = inputFiles.join(", ");
    const bootstrapOptions = { rounds, seed };
    if (format === "fastchat") {
      if (inputFiles.length !== 1) {
        throw new UsageError(
          `--format fastchat prints show_result.py's report of one judgment file; ${inputFiles.length} were found (${inputFile}): pass --input-file`,
        );
      }
      await writeStdout(
        await fastchatReport(mode, inputFiles[0]!, {
          bench,
          baseline: values["baseline-model"],
          modelList,
        }),
      );
      return 0;
    }

    let result: ShowResult;
    if (mode === "single") {
      const questionFile = layout.questions(roots.data, bench);
      const hasQuestions = await pathExists(questionFile);
      const categories = hasQuestions ? await readCategories(questionFile) : undefined;
      const collector = await collectSingle(inputFiles, categories);
      const table = singleScoreTable(collector, { modelList, categories, ...bootstrapOptions });
      const notes = singleNotes(table, modelList);
      if (!hasQuestions) {
        notes.push(`No question file at "${questionFile}": the per-category table is skipped.`);
      }
      result = {
        mode,
        inputFiles,
        questionFile: hasQuestions ? questionFile : null,
        single: table,
        notes,
      };
    } else {
      const collector = await collectPairs(inputFiles);
      const baseline = mode === "pairwise-baseline" ? values["baseline-model"] : undefined;
      const models = collector.columns().models;
      if (baseline !== undefined && !models.includes(baseline)) {
        throw new UsageError(
          `--baseline-model "${baseline}" plays no game in "${inputFile}"; its models are ${
            models.map((model) => `"${model}"`).join(", ") || "none"
          }`,
        );
      }
      const winRates = pairwiseWinRates(collector, { baseline, modelList, ...bootstrapOptions });
      const ratings = mode === "pairwise-all"
        ? bradleyTerry(collector, { modelList, ...bootstrapOptions })
        : undefined;
      result = {
        mode,
        inputFiles,
        questionFile: null,
        winRates,
        ...(ratings ? { ratings } : {}),
        notes: pairNotes(winRates, ratings, modelList),
      };
    }
    write(result, format);
    return 0;
  },
};

/** FastChat's show_result.py output: FastChat's tables and filters, nothing more. */
async function fastchatReport(
  mode: Mode,
  inputFile: string,
  options: { bench: string; baseline: string; modelList: string[] | undefined },
): Promise<string> {
  const lineWidth = terminalWidth();
  const { modelList } = options;
  if (mode === "single") {
    const columns = (await collectSingle([inputFile], undefined)).columns();
    return fastchatSingleReport(columns, { inputFile, bench: options.bench, modelList, lineWidth });
  }
  const baseline = mode === "pairwise-baseline" ? options.baseline : undefined;
  const columns = (await collectPairs([inputFile])).columns();
  return fastchatPairReport(columns, { inputFile, baseline, modelList, lineWidth });
}

async function readCategories(path: string): Promise<Map<QuestionId, string>> {
  const questions = await readQuestions(path);
  return new Map(questions.map((question) => [question.question_id, question.category]));
}

/** Files from this size on are read by one worker per core, each on a byte range. */
const PARALLEL_BYTES = 64 * 1024 * 1024;

async function isLarge(path: string): Promise<boolean> {
  if (navigator.hardwareConcurrency < 2) return false;
  return (await Deno.stat(path).then((info) => info.size, () => 0)) >= PARALLEL_BYTES;
}

/** Streams single-judgment files into one collector, checking every line. */
async function collectSingle(
  paths: readonly string[],
  categories: ReadonlyMap<QuestionId, string> | undefined,
): Promise<SingleScoreCollector> {
  const collector = new SingleScoreCollector();
  const hint = "use --mode pairwise-all or pairwise-baseline for pair files";
  const questionIds = categories === undefined ? undefined : new Set(categories.keys());
  for (const path of paths) {
    const stream = await isLarge(path)
      ? streamSingleJudgmentsParallel(path, { hint, questionIds })
      : streamSingleJudgments(path, { hint, questionIds });
    for await (const batch of stream) {
      for (const record of batch) collector.add(record);
    }
  }
  return collector;
}

/** Streams pairwise-judgment files into one collector, checking every line. */
async function collectPairs(paths: readonly string[]): Promise<PairGameCollector> {
  const collector = new PairGameCollector();
  const hint = "use --mode single for single files";
  for (const path of paths) {
    const stream = await isLarge(path)
      ? streamPairJudgmentsParallel(path, { hint })
      : streamPairJudgments(path, { hint });
    for await (const batch of stream) {
      for (const record of batch) collector.add(record);
    }
  }
  return collector;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function singleNotes(table: SingleScoreTable, modelList: string[] | undefined): string[] {
  const { totals } = table;
  const notes = [
    `Excluded ${totals.records - totals.kept} of ${plural(totals.records, "record")}: ` +
    `${totals.scoreMinusOne} with score -1, ${totals.errors} with an "error" field.`,
  ];
  if (totals.duplicateKeys > 0) {
    notes.push(
      `${
        plural(totals.duplicateKeys, "(model, question, turn, judge) key")
      } occur more than once ` +
        `(${
          plural(totals.duplicateRecords, "extra record")
        }); all are averaged in, as FastChat does.`,
    );
  }
  if (modelList !== undefined) {
    notes.push(
      `${plural(totals.outsideModelList, "record")} of models outside --model-list skipped.`,
    );
  }
  if (table.missingModels.length > 0) {
    notes.push(`Not in the file: ${table.missingModels.join(", ")}.`);
  }
  if (table.bootstrap.rounds > 0) {
    notes.push(
      `ci_lower, ci_upper: 95% percentile bootstrap interval, resampling each model's questions ` +
        `(${table.bootstrap.rounds} resamples, seed ${table.bootstrap.seed}).`,
    );
  }
  return notes;
}

function pairNotes(
  winRates: PairwiseWinRates,
  ratings: BradleyTerryRatings | undefined,
  modelList: string[] | undefined,
): string[] {
  const notes = [
    `Used ${plural(winRates.games, "game")}; excluded ${winRates.errorVerdicts} with an "error" ` +
    `verdict (g1_winner or g2_winner) and ${winRates.errorFields} with an "error" field.`,
  ];
  if (winRates.baseline !== null || modelList !== undefined) {
    const filters = [
      ...(winRates.baseline === null ? [] : [`against ${winRates.baseline}`]),
      ...(modelList === undefined ? [] : ["with a model_1 in --model-list"]),
    ];
    notes.push(`Skipped ${plural(winRates.outsideFilters, "game")} not ${filters.join(" and ")}.`);
  }
  if (winRates.missingModels.length > 0) {
    notes.push(`Not in the file: ${winRates.missingModels.join(", ")}.`);
  }
  if (winRates.bootstrap.rounds > 0) {
    notes.push(
      `ci_lower, ci_upper: 95% percentile bootstrap interval, resampling games ` +
        `(${winRates.bootstrap.rounds} resamples, seed ${winRates.bootstrap.seed}).`,
    );
  }
  if (ratings !== undefined) {
    notes.push(
      `Bradley-Terry ratings: 400 * log10(strength), mean 1000; a tie counts half a win for ` +
        `each side; each model also plays ${plural(ratings.prior, "virtual tied game")} against ` +
        `a reference player, which keeps ratings finite.`,
    );
    if (!ratings.converged) {
      notes.push(`The Bradley-Terry fit did not converge in ${ratings.iterations} iterations.`);
    }
  }
  return notes;
}

const SCORE_DIGITS = 6;

function intervalColumns(enabled: boolean) {
  return enabled
    ? [
      { key: "lower", label: "ci_lower", digits: SCORE_DIGITS },
      { key: "upper", label: "ci_upper", digits: SCORE_DIGITS },
    ]
    : [];
}

function scoreTable(
  title: string,
  rows: ModelScore[],
  turn: number | undefined,
  intervals: boolean,
): ReportTable {
  return {
    title,
    columns: [
      { key: "model", label: "model" },
      ...(turn === undefined ? [] : [{ key: "turn", label: "turn" }]),
      { key: "score", label: "score", digits: SCORE_DIGITS },
      ...intervalColumns(intervals),
      { key: "records", label: "records" },
    ],
    rows: rows.map((row) => ({ ...row, turn })),
  };
}

function singleTables(table: SingleScoreTable): ReportTable[] {
  const intervals = table.bootstrap.rounds > 0;
  const tables = [scoreTable("First turn", table.firstTurn, 1, intervals)];
  if (table.secondTurn.length > 0) {
    tables.push(scoreTable("Second turn", table.secondTurn, 2, intervals));
    tables.push(scoreTable("Average", table.average, undefined, intervals));
  }
  if (table.categories !== null && table.perCategory !== null) {
    const rows = new Map<string, Record<string, number | string>>();
    for (const row of table.average) rows.set(row.model, { model: row.model });
    for (const cell of table.perCategory) {
      rows.get(cell.model)![`category:${cell.category}`] = cell.score;
    }
    tables.push({
      title: "Per category",
      columns: [
        { key: "model", label: "model" },
        ...table.categories.map((category) => ({
          key: `category:${category}`,
          label: category,
          digits: SCORE_DIGITS,
        })),
      ],
      rows: [...rows.values()],
    });
  }
  tables.push({
    title: "Excluded",
    columns: [
      { key: "model", label: "model" },
      { key: "records", label: "records" },
      { key: "kept", label: "kept" },
      { key: "scoreMinusOne", label: "score_-1" },
      { key: "errors", label: "error" },
      { key: "duplicateKeys", label: "duplicate_keys" },
    ],
    rows: table.excluded.map((row) => ({ ...row })),
  });
  return tables;
}

function pairTables(winRates: PairwiseWinRates, ratings?: BradleyTerryRatings): ReportTable[] {
  const intervals = winRates.bootstrap.rounds > 0;
  const tables: ReportTable[] = [{
    title: winRates.baseline === null ? "Win rate" : `Win rate against ${winRates.baseline}`,
    columns: [
      { key: "model", label: "model" },
      { key: "win", label: "win" },
      { key: "loss", label: "loss" },
      { key: "tie", label: "tie" },
      { key: "winRate", label: "win_rate", digits: SCORE_DIGITS },
      { key: "lossRate", label: "loss_rate", digits: SCORE_DIGITS },
      { key: "winRateAdjusted", label: "win_rate_adjusted", digits: SCORE_DIGITS },
      ...intervalColumns(intervals),
    ],
    rows: winRates.rows.map((row) => ({ ...row })),
  }];
  if (ratings !== undefined) {
    tables.push({
      title: "Bradley-Terry ratings",
      columns: [
        { key: "model", label: "model" },
        { key: "rating", label: "rating", digits: 2 },
        ...(ratings.bootstrap.rounds > 0
          ? [
            { key: "lower", label: "ci_lower", digits: 2 },
            { key: "upper", label: "ci_upper", digits: 2 },
          ]
          : []),
        { key: "games", label: "games" },
      ],
      rows: ratings.rows.map((row) => ({ ...row })),
    });
  }
  tables.push({
    title: "Excluded",
    columns: [
      { key: "model", label: "model" },
      { key: "errorVerdicts", label: "error_verdict" },
      { key: "errorFields", label: "error_field" },
    ],
    rows: winRates.excluded.map((row) => ({ ...row })),
  });
  return tables;
}

function write(result: ShowResult, format: Exclude<Format, "fastchat">): void {
  if (format === "json") {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  const tables = result.single !== undefined
    ? singleTables(result.single)
    : pairTables(result.winRates!, result.ratings);
  if (format === "csv") {
    // CSV holds the tables only, separated by blank lines; the rest goes to stderr.
    console.log(tables.map((table) => renderTable(table, "csv")).join("\n").trimEnd());
    console.error(`${inputLabel(result)}: ${result.inputFiles.join(", ")}`);
    for (const note of result.notes) console.error(note);
    return;
  }
  const out: string[] = [
    `${inputLabel(result)}: ${result.inputFiles.join(", ")}`,
    `Mode: ${result.mode}`,
  ];
  for (const table of tables) {
    const title = format === "table" ? `########## ${table.title} ##########` : table.title;
    out.push("", renderTable({ ...table, title }, format).trimEnd());
  }
  out.push("");
  for (const note of result.notes) out.push(format === "markdown" ? `- ${note}` : note);
  console.log(out.join("\n"));
}

function inputLabel(result: ShowResult): string {
  return result.inputFiles.length === 1 ? "Input file" : "Input files";
}
