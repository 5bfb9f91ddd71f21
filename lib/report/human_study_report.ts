import { findHumanVoteFiles } from "../data/find_human_vote_files.ts";
import { streamHumanVotes } from "../data/read_human_votes.ts";
import type { HumanVote } from "../data/types.ts";
import { judgeGroup } from "../agree/judge_group.ts";
import { gamesFromVotes } from "../score/games_from_votes.ts";
import { type PairwiseWinRates, pairwiseWinRates } from "../score/pairwise_win_rates.ts";
import { type AgreementReport, agreementReport } from "./agreement_report.ts";

/** The MT-Bench paper's human-study numbers, as `llm-judge demo` computes them. */
export interface HumanStudyReport {
  /** The data root read. */
  dataRoot: string;
  /** Agreement of GPT-4 pair with human experts, and among experts. */
  agreement: { gpt4VsHuman: AgreementReport; humanVsHuman: AgreementReport };
  /** Win rates of the study models as judged by GPT-4 pair and by the experts. */
  winRates: { gpt4: PairwiseWinRates; human: PairwiseWinRates };
}

/** Options for {@linkcode humanStudyReport}. */
export interface HumanStudyReportOptions {
  /**
   * The output root, searched before the data root for the vote files.
   * @default {undefined} (the data root only)
   */
  outputRoot?: string | undefined;
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
}

/**
 * Reproduces the MT-Bench paper's human study from a data root's
 * `mt_bench_human_judgments`: the agreement of the GPT-4 pair judge with human
 * experts and among experts (see {@linkcode agreementReport}), and the win
 * rates (FastChat's pairwise-all semantics) of the study models as judged by
 * GPT-4 and by the experts (authors left out, as FastChat's "human").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { humanStudyReport } from "./human_study_report.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/mt_bench_human_judgments`);
 * const vote = (judge: string, winner: string) => JSON.stringify({
 *   question_id: 81, model_a: "a", model_b: "b", winner, judge, turn: 1 });
 * await Deno.writeTextFile(`${root}/mt_bench_human_judgments/human_labels.jsonl`,
 *   [vote("expert_0", "model_a"), vote("expert_1", "model_a")].join("\n") + "\n");
 * await Deno.writeTextFile(`${root}/mt_bench_human_judgments/gpt4_pair_labels.jsonl`,
 *   vote("gpt4_pair", "model_b") + "\n");
 * const report = await humanStudyReport(root, { rounds: 0 });
 * assert.equal(report.agreement.humanVsHuman.result.turns[0]!.withTie.ratio, 1);
 * assert.equal(report.agreement.gpt4VsHuman.result.turns[0]!.withTie.ratio, 0);
 * assert.equal(report.winRates.human.rows[0]!.model, "a");
 * ```
 */
export async function humanStudyReport(
  root: string,
  options: HumanStudyReportOptions = {},
): Promise<HumanStudyReport> {
  const rounds = options.rounds ?? 1000;
  const seed = options.seed ?? 0;
  const common = { root, outputRoot: options.outputRoot, bench: "mt_bench", rounds, seed };
  const gpt4VsHuman = await agreementReport({ ...common, judges: ["gpt4-pair", "human"] });
  const humanVsHuman = await agreementReport({ ...common, judges: ["human", "human"] });
  const roots = options.outputRoot === undefined || options.outputRoot === root
    ? [root]
    : [options.outputRoot, root];
  const votes = await readStudyVotes(roots);
  const rateOptions = { rounds, seed };
  return {
    dataRoot: root,
    agreement: { gpt4VsHuman, humanVsHuman },
    winRates: {
      gpt4: pairwiseWinRates(gamesFromVotes(votes.gpt4), rateOptions),
      human: pairwiseWinRates(gamesFromVotes(votes.human), rateOptions),
    },
  };
}

/**
 * GPT-4 pair votes and expert votes (authors left out, as FastChat's "human"),
 * each split from the first root that has it (the output root, then the data root).
 */
async function readStudyVotes(
  roots: readonly string[],
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
        const judge = judgeGroup(vote.judge);
        if (judge === "gpt4-pair") gpt4.push(vote);
        else if (judge === "human") human.push(vote);
      }
    }
  }
  return { gpt4, human };
}
