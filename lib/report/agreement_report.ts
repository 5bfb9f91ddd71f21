import { join } from "node:path";
import { DataError } from "../data/data_error.ts";
import { layout } from "../data/data_root.ts";
import { findHumanVoteFiles } from "../data/find_human_vote_files.ts";
import { streamHumanVoteColumns } from "../data/stream_human_vote_columns.ts";
import type { HumanVoteColumns } from "../data/types.ts";
import { readJsonl } from "../data/read_jsonl.ts";
import { parseJudgment } from "../data/read_judgments.ts";
import { readQuestions } from "../data/read_questions.ts";
import { agreementByCategory, type CategoryAgreement } from "../agree/agreement_by_category.ts";
import { type AgreementResult, computeAgreement } from "../agree/compute_agreement.ts";
import { type SourcedJudgment, tallyVotes } from "../agree/tally_votes.ts";
import { UnknownJudgeError } from "./unknown_judge_error.ts";

/** Judge names that select votes of the human-judgment files. */
export const VOTE_JUDGES: readonly string[] = ["gpt4-pair", "human", "author"];

/** A file read for an {@linkcode AgreementReport}. */
export interface AgreementInput {
  /** Path of the file. */
  path: string;
  /** `votes` (human-judgment file) or `judgments` (FastChat judgment file of a judge). */
  kind: "votes" | "judgments";
  /** The judge a judgment file stands for. */
  judge?: string;
}

/** Agreement between two judges and what it was computed from (`agree --format json`). */
export interface AgreementReport {
  /** The bench folder under the data root. */
  bench: string;
  /** The two judges, as given. */
  judges: [string, string];
  /** The files read, in reading order. */
  inputs: AgreementInput[];
  /** Records left out: failed pairwise games, failed single grades. */
  dropped: { errorGames: number; failedScores: number };
  /** Pairwise votes made from single grades. */
  singleGradeVotes: number;
  /** Agreement per turn. */
  result: AgreementResult;
  /** Agreement per question category, when asked for. */
  categories?: CategoryAgreement[];
}

/** Options for {@linkcode agreementReport}. */
export interface AgreementReportOptions {
  /**
   * The two judges: `gpt4-pair`, `human`, `author`, or a FastChat judgment file
   * (a path, or a file name under `<root>/<bench>/model_judgment/`, with or
   * without `.jsonl`). The same judge twice compares its votes with each other.
   * @default {["gpt4-pair", "human"]}
   */
  judges?: readonly [string, string];
  /**
   * Human-judgment vote files (`.parquet`, `.json` or `.jsonl`).
   * @default {undefined} (the files the judges need, found under `<root>/mt_bench_human_judgments/`)
   */
  voteFiles?: readonly string[];
  /**
   * The data root.
   * @default {"data"}
   */
  root?: string;
  /**
   * The output root, searched before the data root for judgment files and
   * vote files (a file name in both is read from the output root).
   * @default {undefined} (the data root only)
   */
  outputRoot?: string | undefined;
  /**
   * The bench folder under the data root.
   * @default {"mt_bench"}
   */
  bench?: string;
  /**
   * Bootstrap rounds for the intervals; 0 computes none.
   * @default {1000}
   */
  rounds?: number;
  /**
   * Seed of the bootstrap.
   * @default {0}
   */
  seed?: number;
  /**
   * Also break agreement down by question category (reads `<root>/<bench>/question.jsonl`).
   * @default {false}
   */
  byCategory?: boolean;
}

/**
 * Reads the votes of two judges from a data root and computes their agreement,
 * as `llm-judge agree` does: human-judgment votes and FastChat judgment files
 * (pairwise records, and single grades turned into pairwise votes), per turn,
 * with ties (S1) and without (S2), Cohen's kappa and a question-clustered
 * bootstrap interval. A judge that is neither a vote group nor a file is an
 * {@linkcode UnknownJudgeError}; a bad file is a {@linkcode DataError}.
 *
 * @example A judgment file compared with itself
 * ```ts
 * import assert from "node:assert/strict";
 * import { agreementReport } from "./agreement_report.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/mt_bench/model_judgment`, { recursive: true });
 * const record = (g2: string) => JSON.stringify({ question_id: 81, model_1: "a", model_2: "b",
 *   g1_winner: "model_1", g2_winner: g2, judge: ["gpt-4", "pair-v2"], turn: 1 });
 * await Deno.writeTextFile(`${root}/mt_bench/model_judgment/j_pair.jsonl`,
 *   [record("model_1"), record("model_1"), record("model_2")].join("\n") + "\n");
 * const report = await agreementReport({ judges: ["j_pair", "j_pair"], root, rounds: 0 });
 * assert.equal(report.inputs[0]!.kind, "judgments");
 * assert.equal(report.result.turns[0]!.withTie.total, 3); // 3 votes give 3 pairs
 * assert.equal(report.result.turns[0]!.withTie.agree, 1);
 * ```
 */
export async function agreementReport(
  options: AgreementReportOptions = {},
): Promise<AgreementReport> {
  const judges: [string, string] = options.judges === undefined
    ? ["gpt4-pair", "human"]
    : [options.judges[0], options.judges[1]];
  const root = options.root ?? "data";
  const roots = options.outputRoot === undefined || options.outputRoot === root
    ? [root]
    : [options.outputRoot, root];
  const bench = options.bench ?? "mt_bench";
  const labels = [...new Set(judges)];
  const files = new Map<string, string>();
  for (const judge of labels) {
    if (!VOTE_JUDGES.includes(judge)) files.set(judge, await judgmentFile(judge, roots, bench));
  }
  const voteFiles = options.voteFiles ?? await defaultVoteFiles(labels, roots);
  const inputs: AgreementInput[] = [
    ...voteFiles.map((path): AgreementInput => ({ path, kind: "votes" })),
    ...[...files].map(([judge, path]): AgreementInput => ({ path, kind: "judgments", judge })),
  ];
  const judgments = new Map(
    [...files].map(([judge, path]) => [judge, readJudgmentFile(path)] as const),
  );
  const counted = await tallyVotes(judges, {
    humanVoteColumns: readVoteFiles(voteFiles),
    judgments,
  });
  const agreementOptions = { rounds: options.rounds ?? 1000, seed: options.seed ?? 0 };
  const result = computeAgreement(counted.tally, agreementOptions);
  if (result.turns.every((turn) => turn.withTie.total === 0)) {
    // 0/0 and NaN would read as a result: no game in common is an input problem.
    throw new DataError(
      `judges "${judges[0]}" and "${judges[1]}" share no game (question, model pair, turn): ` +
        `${result.votes[0]} and ${result.votes[1]} votes, none on a common game; inputs: ${
          inputs.map((input) => `"${input.path}"`).join(", ")
        }`,
      { file: inputs[0]?.path ?? root },
    );
  }
  const report: AgreementReport = {
    bench,
    judges,
    inputs,
    dropped: { errorGames: counted.errorGames, failedScores: counted.failedScores },
    singleGradeVotes: counted.singleGradeVotes,
    result,
  };
  if (options.byCategory ?? false) {
    const questions = await readQuestions(layout.questions(root, bench));
    report.categories = agreementByCategory(counted.tally, questions, agreementOptions);
  }
  return report;
}

function readVoteFiles(paths: readonly string[]): AsyncGenerator<HumanVoteColumns> {
  return streamHumanVoteColumns(paths);
}

async function* readJudgmentFile(file: string): AsyncGenerator<SourcedJudgment[]> {
  for await (const batch of readJsonl(file)) {
    yield batch.map(({ line, value }) => {
      const source = { file, line };
      return { record: parseJudgment(value, source), source };
    });
  }
}

/**
 * Finds a judge's judgment file: the path as given, else under the bench's
 * model_judgment/ of each root in turn (the output root first).
 */
async function judgmentFile(judge: string, roots: string[], bench: string): Promise<string> {
  const candidates = [judge];
  for (const root of roots) {
    const directory = layout.judgmentDir(root, bench);
    candidates.push(join(directory, judge), join(directory, `${judge}.jsonl`));
  }
  for (const candidate of candidates) {
    try {
      if ((await Deno.stat(candidate)).isFile) return candidate;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  throw new UnknownJudgeError(
    judge,
    `unknown judge ${JSON.stringify(judge)}: expected ${
      VOTE_JUDGES.join(", ")
    } or a FastChat judgment file, and no file is at ${
      candidates.map((path) => JSON.stringify(path)).join(" or ")
    }`,
  );
}

/** The human-judgment files the named judges need, found under each root in turn. */
async function defaultVoteFiles(labels: string[], roots: string[]): Promise<string[]> {
  const needsHuman = labels.includes("human") || labels.includes("author");
  const needsGpt4 = labels.includes("gpt4-pair");
  if (!needsHuman && !needsGpt4) return [];
  const all = await Promise.all(roots.map((root) => findHumanVoteFiles(root)));
  const found = {
    directory: all.at(-1)!.directory,
    human: all.find((item) => item.human !== undefined)?.human,
    gpt4Pair: all.find((item) => item.gpt4Pair !== undefined)?.gpt4Pair,
  };
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
