import type { PairJudgment } from "../data/types.ts";
import {
  bootstrapBounds,
  type BootstrapSettings,
  bootstrapSettings,
  byValueThenModel,
} from "./_bootstrap.ts";
import { gameCells } from "./_game_cells.ts";
import { type ExcludedGames, selectGames } from "./_select_games.ts";
import { GameOutcome, PairGameCollector } from "./pair_game_collector.ts";

export type { ExcludedGames } from "./_select_games.ts";

/** Options for {@linkcode pairwiseWinRates}. */
export interface PairwiseWinRatesOptions {
  /**
   * The baseline model (`--mode pairwise-baseline`): only games against it
   * count, and it gets no row. Unset, every game counts (`pairwise-all`).
   * @default {undefined}
   */
  baseline?: string | undefined;
  /**
   * Models to report (FastChat's `--model-list`). With a baseline, a game
   * counts when its other model is in the list; without, when both are.
   * @default {undefined} (every model)
   */
  modelList?: readonly string[] | undefined;
  /**
   * Bootstrap resamples (of games) for the interval of the adjusted win rate; 0 disables it.
   * @default {1000}
   */
  rounds?: number;
  /**
   * Seed of the bootstrap.
   * @default {0}
   */
  seed?: number;
  /**
   * Confidence level of the intervals.
   * @default {0.95}
   */
  confidence?: number;
}

/** One model's row of the win-rate table. */
export interface WinRate {
  /** The model's name. */
  model: string;
  /** Games won. */
  win: number;
  /** Games lost. */
  loss: number;
  /** Games tied. */
  tie: number;
  /** win + loss + tie. */
  games: number;
  /** win / games. */
  winRate: number;
  /** loss / games. */
  lossRate: number;
  /** (win + tie / 2) / games: FastChat's sort key. */
  winRateAdjusted: number;
  /** Lower bound of the bootstrap interval of `winRateAdjusted` (absent when off). */
  lower?: number;
  /** Upper bound of the bootstrap interval of `winRateAdjusted` (absent when off). */
  upper?: number;
}

/** The table of `show --mode pairwise-baseline` or `pairwise-all`. */
export interface PairwiseWinRates {
  /** One row per model (the baseline left out), highest adjusted win rate first, ties by name. */
  rows: WinRate[];
  /** The baseline, or null in pairwise-all. */
  baseline: string | null;
  /** Games used. */
  games: number;
  /** Per model in scope, the games excluded for an error. */
  excluded: ExcludedGames[];
  /** Games in scope dropped because `g1_winner` or `g2_winner` is "error". */
  errorVerdicts: number;
  /** Games in scope dropped because the record has an `error` field. */
  errorFields: number;
  /** Games left out by the baseline or model-list filter. */
  outsideFilters: number;
  /** Names in the model list that have no game in the file. */
  missingModels: string[];
  /** The bootstrap that made the intervals (`rounds` 0: none). */
  bootstrap: BootstrapSettings;
}

/**
 * Computes FastChat's `show_result.py` pairwise table: per model, wins,
 * losses and ties over its games, the win rate, loss rate and adjusted win
 * rate (a tie counts half), sorted by adjusted win rate. A game is a tie when
 * `g1_winner` is "tie" or the two orders disagree; games with an "error"
 * verdict are dropped and counted. Beyond FastChat: the model list keeps a
 * game only when its models are in the list (FastChat checks only
 * `model_1`), and a bootstrap interval over resampled games.
 *
 * Takes records, or a {@linkcode PairGameCollector} that streamed them.
 *
 * @example Two games against a baseline
 * ```ts
 * import assert from "node:assert/strict";
 * import { pairwiseWinRates } from "./pairwise_win_rates.ts";
 * const judge: [string, string] = ["gpt-4", "pair-v2"];
 * const table = pairwiseWinRates([
 *   { question_id: 81, model_1: "a", model_2: "base", g1_winner: "model_1", g2_winner: "model_1", judge, turn: 1 },
 *   { question_id: 82, model_1: "a", model_2: "base", g1_winner: "model_1", g2_winner: "tie", judge, turn: 1 },
 * ], { baseline: "base", rounds: 0 });
 * assert.equal(table.rows.length, 1);
 * assert.equal(table.rows[0]!.winRateAdjusted, 0.75);
 * ```
 */
export function pairwiseWinRates(
  input: Iterable<PairJudgment> | PairGameCollector,
  options: PairwiseWinRatesOptions = {},
): PairwiseWinRates {
  const settings = bootstrapSettings(options, "pairwiseWinRates()");
  const collector = input instanceof PairGameCollector
    ? input
    : new PairGameCollector().addAll(input);
  const data = collector.columns();
  const selection = selectGames(data, options.baseline, options.modelList);
  const baselineId = options.baseline === undefined ? -1 : data.models.indexOf(options.baseline);

  const count = data.models.length;
  const win = new Array<number>(count).fill(0);
  const loss = new Array<number>(count).fill(0);
  const tie = new Array<number>(count).fill(0);
  const played = new Array<boolean>(count).fill(false);
  for (const game of selection.games) {
    const model1 = data.model1[game]!;
    const model2 = data.model2[game]!;
    played[model1] = true;
    played[model2] = true;
    const outcome = data.outcome[game]!;
    if (outcome === GameOutcome.tie) {
      tie[model1]!++;
      tie[model2]!++;
    } else {
      const winner = outcome === GameOutcome.model1 ? model1 : model2;
      const loser = outcome === GameOutcome.model1 ? model2 : model1;
      win[winner]!++;
      loss[loser]!++;
    }
  }
  const rows: WinRate[] = [];
  for (let model = 0; model < count; model++) {
    if (!played[model] || model === baselineId) continue;
    const games = win[model]! + loss[model]! + tie[model]!;
    rows.push({
      model: data.models[model]!,
      win: win[model]!,
      loss: loss[model]!,
      tie: tie[model]!,
      games,
      winRate: win[model]! / games,
      lossRate: loss[model]! / games,
      winRateAdjusted: (win[model]! + 0.5 * tie[model]!) / games,
    });
  }
  rows.sort(byValueThenModel((row: WinRate) => row.winRateAdjusted));

  if (settings.rounds > 0 && rows.length > 0) {
    const rowOf = new Int32Array(count).fill(-1);
    rows.forEach((row, index) => (rowOf[data.models.indexOf(row.model)] = index));
    const credit = new Float64Array(rows.length);
    const total = new Float64Array(rows.length);
    const add = (model: number, weight: number, points: number) => {
      const row = rowOf[model]!;
      if (row < 0) return;
      credit[row] += weight * points;
      total[row] += weight;
    };
    // Resampled games are counted per (model_1, model_2, outcome) group.
    const cells = gameCells(data, selection.games);
    const bounds = bootstrapBounds(
      selection.games.length,
      rows.length,
      (weights, out) => {
        credit.fill(0);
        total.fill(0);
        for (let cell = 0; cell < weights.length; cell++) {
          const weight = weights[cell]!;
          if (weight === 0) continue;
          const outcome = cells.outcome[cell]!;
          const points1 = outcome === GameOutcome.tie
            ? 0.5
            : outcome === GameOutcome.model1
            ? 1
            : 0;
          add(cells.model1[cell]!, weight, points1);
          add(cells.model2[cell]!, weight, 1 - points1);
        }
        for (let row = 0; row < rows.length; row++) out[row] = credit[row]! / total[row]!;
      },
      settings,
      cells.cellOf,
    );
    rows.forEach((row, index) => {
      const { lower, upper } = bounds[index]!;
      if (!Number.isNaN(lower) && !Number.isNaN(upper)) Object.assign(row, { lower, upper });
    });
  }

  return {
    rows,
    baseline: options.baseline ?? null,
    games: selection.games.length,
    excluded: selection.excluded,
    errorVerdicts: selection.errorVerdicts,
    errorFields: selection.errorFields,
    outsideFilters: selection.outsideFilters,
    missingModels: selection.missingModels,
    bootstrap: settings,
  };
}
