import { GameOutcome, type PairGameColumns } from "../score/pair_game_collector.ts";
import { compareCodePoints } from "./_compare_code_points.ts";
import { renderPandasFrame } from "./render_pandas_frame.ts";

/** Options for {@linkcode fastchatPairReport}. */
export interface FastchatPairReportOptions {
  /**
   * The input file as FastChat prints it on its `Input file:` line.
   * @default {"data/mt_bench/model_judgment/gpt-4_pair.jsonl"}
   */
  inputFile?: string;
  /**
   * FastChat's `--baseline-model` in `pairwise-baseline` mode: only games
   * with it count, and its own row is left out. Undefined is `pairwise-all`.
   * @default {undefined}
   */
  baseline?: string | undefined;
  /**
   * FastChat's `--model-list`: as FastChat does, a game counts when its
   * model_1 is in the list.
   * @default {undefined} (every game)
   */
  modelList?: readonly string[] | undefined;
  /**
   * Terminal width pandas fits the table to.
   * @default {80}
   */
  lineWidth?: number;
}

/**
 * What FastChat's `show_result.py --mode pairwise-all` (or
 * `pairwise-baseline`) prints, byte for byte, from the collected games:
 * `Mode:` and `Input file:` lines, then win, loss and tie counts and rates per
 * model as pandas prints them, highest `win_rate_adjusted` first. A game with
 * an `error` verdict is dropped; a tie or two different verdicts count as a
 * tie for both models. Games with an `error` field are left out, as the
 * collector does (FastChat reads only the verdicts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PairGameCollector } from "../score/pair_game_collector.ts";
 * import { fastchatPairReport } from "./fastchat_pair_report.ts";
 * const collector = new PairGameCollector();
 * const game = { question_id: 81, judge: ["gpt-4", "pair-v2"] as [string, string], g1_user_prompt: "", g1_judgment: "", g2_user_prompt: "", g2_judgment: "", turn: 1, tstamp: 0 };
 * collector.add({ ...game, model_1: "a", model_2: "b", g1_winner: "model_1", g2_winner: "model_1" });
 * const text = fastchatPairReport(collector.columns(), { inputFile: "pair.jsonl" });
 * assert.equal(text.split("\n")[4], "a        1     0    0       1.0        0.0                1.0");
 * ```
 */
export function fastchatPairReport(
  columns: PairGameColumns,
  options: FastchatPairReportOptions = {},
): string {
  const inputFile = options.inputFile ?? "data/mt_bench/model_judgment/gpt-4_pair.jsonl";
  const baseline = options.baseline === undefined ? -1 : columns.models.indexOf(options.baseline);
  const listed = options.modelList === undefined ? undefined : new Set(options.modelList);
  const modelCount = columns.models.length;
  const win = new Float64Array(modelCount);
  const loss = new Float64Array(modelCount);
  const tie = new Float64Array(modelCount);
  const seen = new Uint8Array(modelCount);
  for (let game = 0; game < columns.outcome.length; game++) {
    const outcome = columns.outcome[game]!;
    if (outcome === GameOutcome.errorVerdict || outcome === GameOutcome.errorField) continue;
    const model1 = columns.model1[game]!;
    const model2 = columns.model2[game]!;
    if (listed !== undefined && !listed.has(columns.models[model1]!)) continue;
    if (options.baseline !== undefined && model1 !== baseline && model2 !== baseline) continue;
    seen[model1] = 1;
    seen[model2] = 1;
    if (outcome === GameOutcome.tie) {
      tie[model1]!++;
      tie[model2]!++;
    } else {
      const [winner, loser] = outcome === GameOutcome.model1 ? [model1, model2] : [model2, model1];
      win[winner]!++;
      loss[loser]!++;
    }
  }
  const rows = [...columns.models.keys()]
    .filter((model) => seen[model] === 1 && model !== baseline)
    .sort((a, b) => compareCodePoints(columns.models[a]!, columns.models[b]!))
    .map((model) => {
      const games = win[model]! + loss[model]! + tie[model]!;
      return {
        model: columns.models[model]!,
        win: win[model]!,
        loss: loss[model]!,
        tie: tie[model]!,
        winRate: win[model]! / games,
        lossRate: loss[model]! / games,
        adjusted: (win[model]! + 0.5 * tie[model]!) / games,
      };
    });
  // A stable sort, highest first: equal rates keep the groupby order.
  rows.sort((a, b) => b.adjusted - a.adjusted);
  const column = (name: string, kind: "int" | "float", pick: (row: typeof rows[0]) => number) => ({
    name,
    kind,
    values: rows.map(pick),
  });
  const table = renderPandasFrame({
    indexNames: ["model"],
    index: rows.map((row) => [row.model]),
    columns: [
      column("win", "int", (row) => row.win),
      column("loss", "int", (row) => row.loss),
      column("tie", "int", (row) => row.tie),
      column("win_rate", "float", (row) => row.winRate),
      column("loss_rate", "float", (row) => row.lossRate),
      column("win_rate_adjusted", "float", (row) => row.adjusted),
    ],
  }, { lineWidth: options.lineWidth ?? 80 });
  const mode = options.baseline === undefined ? "pairwise-all" : "pairwise-baseline";
  return `Mode: ${mode}\nInput file: ${inputFile}\n${table}\n`;
}
