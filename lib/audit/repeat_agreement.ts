import type { Judgment } from "../data/types.ts";
import { isPairJudgment } from "../data/types.ts";
import { pairJudgmentVote } from "../agree/pair_judgment_vote.ts";

/** How stable a judge is across repeated runs over the same matches. */
export interface RepeatAgreement {
  /** Runs compared. */
  runs: number;
  /** Items (question, model or pair, turn) with a usable verdict in at least two runs. */
  items: number;
  /** Items on which every run gave the same verdict (pair: final vote; single: score). */
  unanimous: number;
  /** `unanimous / items`; NaN without items. */
  unanimousRate: number;
  /** Share of agreeing run pairs over all items (the per-item agreement between runs). */
  pairwiseAgreement: number;
  /** Single: mean over items of the standard deviation of the score across runs. */
  meanItemScoreStd: number;
  /** Single: per model, its mean score in each run and their standard deviation. */
  models: { model: string; means: number[]; std: number }[];
}

/**
 * Agreement of repeated runs of one judge over the same matches (several
 * judgment files, or records repeated within one file, e.g. from sampling
 * at a temperature above 0): per item, whether the runs agree, and for
 * single grades how much a model's mean score moves from run to run. Failed
 * judgments are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { repeatAgreement } from "./repeat_agreement.ts";
 * const judge: [string, string] = ["j", "single-v1"];
 * const run = (score: number) => [{ question_id: 81, model: "a", judge, score, turn: 1 }];
 * const result = repeatAgreement([run(7), run(7), run(9)]);
 * assert.equal(result.unanimousRate, 0);
 * assert.equal(result.pairwiseAgreement, 1 / 3);
 * ```
 */
export function repeatAgreement(runs: readonly (readonly Judgment[])[]): RepeatAgreement {
  const verdicts = new Map<string, (string | undefined)[]>();
  const scores = new Map<string, (number | undefined)[]>();
  const modelOf = new Map<string, string>();
  runs.forEach((records, run) => {
    for (const record of records) {
      let key: string, verdict: string | undefined;
      if (isPairJudgment(record)) {
        key = JSON.stringify([record.question_id, record.model_1, record.model_2, record.turn]);
        verdict = pairJudgmentVote(record)?.winner;
        if (verdict?.includes("tie")) verdict = "tie";
      } else {
        key = JSON.stringify([record.question_id, record.model, record.turn]);
        const ok = record.score !== -1 && typeof record.error !== "string";
        verdict = ok ? String(record.score) : undefined;
        if (ok) {
          let list = scores.get(key);
          if (list === undefined) scores.set(key, list = new Array(runs.length));
          list[run] = record.score;
          modelOf.set(key, record.model);
        }
      }
      let list = verdicts.get(key);
      if (list === undefined) verdicts.set(key, list = new Array(runs.length));
      list[run] = verdict;
    }
  });
  let items = 0, unanimous = 0, agreeingPairs = 0, pairs = 0;
  for (const list of verdicts.values()) {
    const present = list.filter((verdict): verdict is string => verdict !== undefined);
    if (present.length < 2) continue;
    items++;
    if (present.every((verdict) => verdict === present[0])) unanimous++;
    for (let i = 0; i < present.length; i++) {
      for (let j = i + 1; j < present.length; j++) {
        pairs++;
        if (present[i] === present[j]) agreeingPairs++;
      }
    }
  }
  const std = (values: readonly number[]) => {
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
  };
  let stdSum = 0, stdCount = 0;
  const byModel = new Map<string, { sums: number[]; counts: number[] }>();
  for (const [key, list] of scores) {
    const present = list.filter((score): score is number => score !== undefined);
    if (present.length >= 2) {
      stdSum += std(present);
      stdCount++;
    }
    const model = modelOf.get(key)!;
    let entry = byModel.get(model);
    if (entry === undefined) {
      byModel.set(
        model,
        entry = { sums: new Array(runs.length).fill(0), counts: new Array(runs.length).fill(0) },
      );
    }
    list.forEach((score, run) => {
      if (score === undefined) return;
      entry!.sums[run]! += score;
      entry!.counts[run]!++;
    });
  }
  const models = [...byModel].sort(([a], [b]) => (a < b ? -1 : 1)).map(([model, entry]) => {
    const means = entry.sums.map((sum, run) => sum / entry.counts[run]!).filter((mean) =>
      !Number.isNaN(mean)
    );
    return { model, means, std: means.length < 2 ? NaN : std(means) };
  });
  return {
    runs: runs.length,
    items,
    unanimous,
    unanimousRate: items === 0 ? NaN : unanimous / items,
    pairwiseAgreement: pairs === 0 ? NaN : agreeingPairs / pairs,
    meanItemScoreStd: stdCount === 0 ? NaN : stdSum / stdCount,
    models,
  };
}
