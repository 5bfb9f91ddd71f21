import type { SingleScoreColumns } from "../score/single_score_collector.ts";
import { compareCodePoints } from "./_compare_code_points.ts";
import { renderPandasFrame } from "./render_pandas_frame.ts";

/** Options for {@linkcode fastchatSingleReport}. */
export interface FastchatSingleReportOptions {
  /**
   * The input file as FastChat prints it on its `Input file:` line.
   * @default {"data/mt_bench/model_judgment/gpt-4_single.jsonl"}
   */
  inputFile?: string;
  /**
   * FastChat's `--bench-name`: the second-turn and average tables are printed
   * only for `mt_bench`.
   * @default {"mt_bench"}
   */
  bench?: string;
  /**
   * FastChat's `--model-list`: records of other models are left out.
   * @default {undefined} (every model)
   */
  modelList?: readonly string[] | undefined;
  /**
   * Terminal width pandas fits the tables to.
   * @default {80}
   */
  lineWidth?: number;
}

/**
 * What FastChat's `show_result.py --mode single` prints, byte for byte, from
 * the collected scores: `Mode:` and `Input file:` lines, then the turn-1,
 * turn-2 and average tables as pandas prints them (means of the records whose
 * score is not -1, highest first; equal means keep the model-name order, as
 * pandas' sort does on tables of up to 16 rows). Records with an `error`
 * field are left out, as the collector does; FastChat would keep one whose
 * score is not -1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SingleScoreCollector } from "../score/single_score_collector.ts";
 * import { fastchatSingleReport } from "./fastchat_single_report.ts";
 * const collector = new SingleScoreCollector();
 * for (const [turn, score] of [[1, 8], [2, 9]]) {
 *   collector.add({ question_id: 81, model: "m", judge: ["gpt-4", "single-v1"], user_prompt: "", judgment: "", score, turn, tstamp: 0 });
 * }
 * const text = fastchatSingleReport(collector.columns(), { inputFile: "in.jsonl" });
 * assert.ok(text.startsWith("Mode: single\nInput file: in.jsonl\n\n########## First turn ##########\n"));
 * assert.ok(text.endsWith("########## Average ##########\n       score\nmodel       \nm        8.5\n"));
 * ```
 */
export function fastchatSingleReport(
  columns: SingleScoreColumns,
  options: FastchatSingleReportOptions = {},
): string {
  const inputFile = options.inputFile ?? "data/mt_bench/model_judgment/gpt-4_single.jsonl";
  const keep = options.modelList === undefined ? undefined : new Set(options.modelList);
  const modelCount = columns.models.length;
  const sums = {
    turn1: new Float64Array(modelCount),
    turn1Count: new Float64Array(modelCount),
    turn2: new Float64Array(modelCount),
    turn2Count: new Float64Array(modelCount),
    total: new Float64Array(modelCount),
    totalCount: new Float64Array(modelCount),
  };
  for (let unit = 0; unit < columns.unitModel.length; unit++) {
    const model = columns.unitModel[unit]!;
    sums.turn1[model]! += columns.turn1Sum[unit]!;
    sums.turn1Count[model]! += columns.turn1Count[unit]!;
    sums.turn2[model]! += columns.turn2Sum[unit]!;
    sums.turn2Count[model]! += columns.turn2Count[unit]!;
    sums.total[model]! += columns.totalSum[unit]!;
    sums.totalCount[model]! += columns.totalCount[unit]!;
  }
  // groupby sorts by model name (Python compares code points).
  const byName = [...columns.models.keys()]
    .filter((model) => keep === undefined || keep.has(columns.models[model]!))
    .sort((a, b) => compareCodePoints(columns.models[a]!, columns.models[b]!));
  const table = (sum: Float64Array, count: Float64Array, turn: number | undefined) => {
    const rows = byName
      .filter((model) => count[model]! > 0)
      .map((model) => ({ model: columns.models[model]!, score: sum[model]! / count[model]! }));
    // A stable sort, highest first: equal means keep the groupby order.
    rows.sort((a, b) => b.score - a.score);
    return renderPandasFrame({
      indexNames: turn === undefined ? ["model"] : ["model", "turn"],
      index: rows.map((row) => turn === undefined ? [row.model] : [row.model, turn]),
      columns: [{ name: "score", kind: "float", values: rows.map((row) => row.score) }],
    }, { lineWidth: options.lineWidth ?? 80 });
  };
  const out = [`Mode: single`, `Input file: ${inputFile}`, ""];
  out.push("########## First turn ##########", table(sums.turn1, sums.turn1Count, 1));
  if ((options.bench ?? "mt_bench") === "mt_bench") {
    out.push("", "########## Second turn ##########", table(sums.turn2, sums.turn2Count, 2));
    out.push("", "########## Average ##########", table(sums.total, sums.totalCount, undefined));
  }
  return out.join("\n") + "\n";
}
