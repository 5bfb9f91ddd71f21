// deno-lint-ignore-file no-console
/**
 * `llm-judge agree`: agreement between two judges on MT-Bench pairwise votes, a
 * port of FastChat's `compute_agreement.py` with kappa, bootstrap intervals and
 * judgment files as judges.
 * @module
 */
import { join } from "node:path";
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
import { DataError } from "../lib/data/data_error.ts";
import { layout, resolveRoots } from "../lib/data/data_root.ts";
import { findHumanVoteFiles } from "../lib/data/find_human_vote_files.ts";
import { streamHumanVoteRecords } from "../lib/data/read_human_votes.ts";
import { readJsonl } from "../lib/data/read_jsonl.ts";
import { parseJudgment } from "../lib/data/read_judgments.ts";
import { readQuestions } from "../lib/data/read_questions.ts";
import { isPairJudgment } from "../lib/data/types.ts";
import { writeTextFileAtomic } from "../lib/data/write_atomic.ts";
import {
  addSingleScoreVotes,
  agreementByCategory,
  type AgreementResult,
  type AgreementStat,
  type CategoryAgreement,
  computeAgreement,
  pairJudgmentVote,
  ScoreIndex,
  VoteTally,
} from "../lib/agree/mod.ts";
import { fastchatAgreementReport } from "../lib/report/fastchat_agreement_report.ts";
import { renderTable, type ReportColumn, type ReportTable } from "../lib/report/render_table.ts";

/** Judge names that select votes of the human-judgment files. */
export const VOTE_JUDGES: readonly string[] = ["gpt4-pair", "human", "author"];

const FORMATS = ["table", "json", "csv", "markdown", "fastchat"] as const;
type Format = typeof FORMATS[number];

/** A file read for the report. */
export interface AgreeInput {
  path: string;
  /** `votes` (human-judgment file) or `judgments` (FastChat judgment file of a judge). */
  kind: "votes" | "judgments";
  /** The judge a judgment file stands for. */
  judge?: string;
}

/** What `agree --format json` prints. */
export interface AgreeReport {
  bench: string;
  judges: [string, string];
  inputs: AgreeInput[];
  /** Records left out: failed pairwise games, failed single grades. */
  dropped: { errorGames: number; failedScores: number };
  /** Pairwise votes made from single grades. */
  singleGradeVotes: number;
  result: AgreementResult;
  /** With `--by-category`. */
  categories?: CategoryAgreement[];
}

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
                        <data>/<bench>/model_judgment/. The same judge twice
                        compares its votes with each other (human human).
  --votefiles F...      human-judgment vote files (.parquet, .json or .jsonl;
                        default: found in <data>/mt_bench_human_judgments/,
                        parquet first)
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
  summary: "agreement between judges (GPT-4 pair, humans, judgment files)",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const { values } = parseCommandArgs(
      expandListArgs(args, ["--judges", "--votefiles"]),
      OPTIONS,
    );
    if (values.help) {
      console.log(HELP);
      return 0;
    }
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
    const root = resolveRoots({ dataDir: values["data-dir"] }).data;
    const report = await runAgreement({
      judges: [judges[0]!, judges[1]!],
      voteFiles: listOption(values.votefiles),
      root,
      bench,
      rounds: format === "fastchat" ? 0 : rounds,
      seed,
      byCategory: values["by-category"],
    });
    const text = format === "json"
      ? JSON.stringify(report, null, 2) + "\n"
      : format === "fastchat"
      ? fastchatText(report)
      : renderReport(report, format);
    // Inputs are all read and checked; only now is anything written.
    if (values["output-file"] !== undefined) {
      await writeTextFileAtomic(values["output-file"], text);
    }
    await writeStdout(text);
    return 0;
  },
};

function fastchatText(report: AgreeReport): string {
  try {
    return fastchatAgreementReport(report.result);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const files = report.inputs.map((input) => input.path).join('", "');
    throw new DataError(error.message, { file: files });
  }
}

async function writeStdout(text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  let written = 0;
  while (written < bytes.length) written += await Deno.stdout.write(bytes.subarray(written));
}

export interface RunOptions {
  judges: [string, string];
  voteFiles: string[] | undefined;
  root: string;
  bench: string;
  rounds: number;
  seed: number;
  byCategory: boolean;
}

/** Finds a judge's judgment file: the path as given, else under the bench's model_judgment/. */
async function judgmentFile(judge: string, root: string, bench: string): Promise<string> {
  const directory = layout.judgmentDir(root, bench);
  const candidates = [judge, join(directory, judge), join(directory, `${judge}.jsonl`)];
  for (const candidate of candidates) {
    try {
      if ((await Deno.stat(candidate)).isFile) return candidate;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  throw new UsageError(
    `unknown judge ${JSON.stringify(judge)}: expected ${
      VOTE_JUDGES.join(", ")
    } or a FastChat judgment file, and no file is at ${
      candidates.map((path) => JSON.stringify(path)).join(" or ")
    }`,
  );
}

export async function runAgreement(options: RunOptions): Promise<AgreeReport> {
  const { judges, root, bench } = options;
  const labels = [...new Set(judges)];
  const files = new Map<string, string>();
  for (const judge of labels) {
    if (!VOTE_JUDGES.includes(judge)) files.set(judge, await judgmentFile(judge, root, bench));
  }
  const voteFiles = options.voteFiles ?? await defaultVoteFiles(labels, root);
  const tally = new VoteTally(judges);
  const inputs: AgreeInput[] = [];
  for (const path of voteFiles) {
    inputs.push({ path, kind: "votes" });
    for await (const batch of streamHumanVoteRecords(path, { conversations: false })) {
      for (const record of batch) {
        tally.addHumanVote(record.vote, { file: path, line: record.line, unit: record.unit });
      }
    }
  }
  let errorGames = 0;
  const scores: ScoreIndex[] = [];
  for (const [judge, path] of files) {
    inputs.push({ path, kind: "judgments", judge });
    const index = new ScoreIndex(judge);
    for await (const batch of readJsonl(path)) {
      for (const { line, value } of batch) {
        const source = { file: path, line };
        const record = parseJudgment(value, source);
        if (isPairJudgment(record)) {
          const vote = pairJudgmentVote(record);
          if (vote === undefined) errorGames++;
          else tally.add(judge, vote, source);
        } else {
          index.add(record, source);
        }
      }
    }
    scores.push(index);
  }
  let singleGradeVotes = 0;
  let failedScores = 0;
  for (const index of scores) {
    failedScores += index.failed;
    if (index.size > 0) singleGradeVotes += addSingleScoreVotes(tally, index);
  }
  const agreementOptions = { bootstrap: options.rounds, seed: options.seed };
  const report: AgreeReport = {
    bench,
    judges,
    inputs,
    dropped: { errorGames, failedScores },
    singleGradeVotes,
    result: computeAgreement(tally, agreementOptions),
  };
  if (options.byCategory) {
    const questions = await readQuestions(layout.questions(root, bench));
    report.categories = agreementByCategory(tally, questions, agreementOptions);
  }
  return report;
}

/** The human-judgment files the named judges need, found under the data root. */
async function defaultVoteFiles(labels: string[], root: string): Promise<string[]> {
  const needsHuman = labels.includes("human") || labels.includes("author");
  const needsGpt4 = labels.includes("gpt4-pair");
  if (!needsHuman && !needsGpt4) return [];
  const found = await findHumanVoteFiles(root);
  const paths: string[] = [];
  for (
    const [needed, file, split] of [
      [needsHuman, found.human, "human"],
      [needsGpt4, found.gpt4Pair, "gpt4_pair"],
    ] as const
  ) {
    if (!needed) continue;
    if (file === undefined) {
      throw new DataError(
        `no ${split} vote file found (looked for ${split}.parquet, ${
          split === "human"
            ? "human_judgments.json, human_labels.jsonl"
            : "gpt4_pair_judgments.json, gpt4_pair_labels.jsonl"
        }); pass --votefiles`,
        { file: found.directory },
      );
    }
    paths.push(file.path);
  }
  return paths;
}

function fraction(stat: AgreementStat): string {
  return `${stat.agree}/${stat.total}`;
}

function interval(stat: AgreementStat): string {
  return stat.interval === null
    ? ""
    : `[${stat.interval.lower.toFixed(4)}, ${stat.interval.upper.toFixed(4)}]`;
}

function turnRows(result: AgreementResult, csv: boolean, extra: Record<string, string> = {}) {
  return result.turns.map((turn) => {
    const row: Record<string, string | number | null> = { ...extra, turn: turn.turn };
    for (const [prefix, stat] of [["s1", turn.withTie], ["s2", turn.withoutTie]] as const) {
      if (csv) {
        row[`${prefix}_agree`] = stat.agree;
        row[`${prefix}_total`] = stat.total;
        row[`${prefix}_lower`] = stat.interval?.lower ?? null;
        row[`${prefix}_upper`] = stat.interval?.upper ?? null;
      } else {
        row[`${prefix}_count`] = fraction(stat);
        row[`${prefix}_ci`] = interval(stat);
      }
      row[`${prefix}_ratio`] = stat.ratio;
      row[`${prefix}_kappa`] = stat.kappa;
    }
    return row;
  });
}

function turnColumns(csv: boolean, bootstrap: boolean, level: number | undefined): ReportColumn[] {
  const columns: ReportColumn[] = [{ key: "turn", label: "turn" }];
  const ci = level === undefined ? "CI" : `${Math.round(level * 100)}% CI`;
  for (const [prefix, name] of [["s1", "S1"], ["s2", "S2"]] as const) {
    if (csv) {
      columns.push(
        { key: `${prefix}_agree`, label: `${prefix}_agree` },
        { key: `${prefix}_total`, label: `${prefix}_total` },
        { key: `${prefix}_ratio`, label: `${prefix}_ratio`, digits: 6 },
        { key: `${prefix}_kappa`, label: `${prefix}_kappa`, digits: 6 },
      );
      if (bootstrap) {
        columns.push(
          { key: `${prefix}_lower`, label: `${prefix}_ci_lower`, digits: 6 },
          { key: `${prefix}_upper`, label: `${prefix}_ci_upper`, digits: 6 },
        );
      }
    } else {
      columns.push(
        { key: `${prefix}_count`, label: `${name} agree/total` },
        { key: `${prefix}_ratio`, label: `${name} ratio`, digits: 4 },
        { key: `${prefix}_kappa`, label: `${name} kappa`, digits: 4 },
      );
      if (bootstrap) columns.push({ key: `${prefix}_ci`, label: `${name} ${ci}` });
    }
  }
  return columns;
}

export function renderReport(report: AgreeReport, format: "table" | "csv" | "markdown"): string {
  const { result } = report;
  const csv = format === "csv";
  const bootstrap = result.bootstrap !== null;
  const columns = turnColumns(csv, bootstrap, result.bootstrap?.confidence);
  const votes = result.judges[0] === result.judges[1]
    ? `${result.judges[0]} ${result.votes[0]}`
    : `${result.judges[0]} ${result.votes[0]}, ${result.judges[1]} ${result.votes[1]}`;
  const notes = [
    ...(format === "table" ? [""] : []),
    'S1: all vote pairs, ties included. S2: pairs where neither vote is a tie (FastChat\'s "without tie").',
    "kappa: Cohen's kappa on the same pairs (categories: first model wins, second wins, tie; Scott's pi when a judge is compared with itself).",
    `Votes counted: ${votes}; votes of other judges ignored: ${result.ignored}.`,
  ];
  if (result.bootstrap !== null) {
    notes.push(
      `CI: ${
        Math.round(result.bootstrap.confidence * 100)
      }% percentile bootstrap, ${result.bootstrap.rounds} rounds resampling questions, seed ${result.bootstrap.seed}.`,
    );
  }
  if (report.singleGradeVotes > 0) {
    notes.push(
      `Pairwise votes made from single grades (ties within 0.1): ${report.singleGradeVotes}.`,
    );
  }
  if (report.dropped.errorGames > 0 || report.dropped.failedScores > 0) {
    notes.push(
      `Dropped: ${report.dropped.errorGames} pairwise games with an error, ${report.dropped.failedScores} failed single grades (score -1).`,
    );
  }
  notes.push(`Inputs: ${report.inputs.map((input) => input.path).join(", ")}`);
  const title = `Agreement: ${result.judges[0]} vs ${result.judges[1]} (${report.bench})`;
  if (csv) {
    // One CSV table: the overall rows (category "all") then one block per category.
    const rows = [
      ...turnRows(result, true, { category: "all" }),
      ...(report.categories ?? []).flatMap((entry) =>
        turnRows(entry.result, true, { category: entry.category })
      ),
    ];
    const categoryColumn = { key: "category", label: "category" };
    return renderTable({ columns: [categoryColumn, ...columns], rows }, "csv");
  }
  const tables: ReportTable[] = [{ title, columns, rows: turnRows(result, false), notes }];
  if (report.categories !== undefined) {
    tables.push({
      title: "Agreement by category",
      columns: [{ key: "category", label: "category" }, ...columns],
      rows: report.categories.flatMap((entry) =>
        turnRows(entry.result, false, { category: entry.category })
      ),
    });
  }
  return tables.map((table) => renderTable(table, format)).join("\n");
}
