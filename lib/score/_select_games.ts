// Which collected games a pairwise table uses: FastChat's error and baseline
// filters, and the model list (fixed so that it never keeps a game against a
// model outside the list).
import { GameOutcome, type PairGameColumns } from "./pair_game_collector.ts";

/** Per model, the games excluded for an error. */
export interface ExcludedGames {
  /** The model's name. */
  model: string;
  /** Games left out because `g1_winner` or `g2_winner` is "error" (FastChat drops them too). */
  errorVerdicts: number;
  /** Games left out because the record has an `error` field. */
  errorFields: number;
}

/** The games in scope. */
export interface GameSelection {
  /** Indices of the games used. */
  games: number[];
  /** Per model (by name) in scope, its error games; models without any are listed too. */
  excluded: ExcludedGames[];
  /** Games in scope left out because `g1_winner` or `g2_winner` is "error". */
  errorVerdicts: number;
  /** Games in scope left out because the record has an `error` field. */
  errorFields: number;
  /** Games left out by the baseline or model-list filter. */
  outsideFilters: number;
  /** Names in the model list that play no game. */
  missingModels: string[];
}

/**
 * Selects games: with a baseline, only games against it, and (with a model
 * list) whose other model is in the list; without one, games whose two models
 * are both in the list. Error games in scope are counted, not used.
 */
export function selectGames(
  data: PairGameColumns,
  baseline: string | undefined,
  modelList: readonly string[] | undefined,
): GameSelection {
  const wanted = modelList === undefined ? undefined : new Set(modelList);
  const allowed = data.models.map((model) => wanted === undefined || wanted.has(model));
  const baselineId = baseline === undefined ? -1 : data.models.indexOf(baseline);
  const games: number[] = [];
  const errorVerdicts = new Array<number>(data.models.length).fill(0);
  const errorFields = new Array<number>(data.models.length).fill(0);
  const seen = new Array<boolean>(data.models.length).fill(false);
  let outsideFilters = 0;
  let verdictTotal = 0;
  let fieldTotal = 0;
  for (let game = 0; game < data.outcome.length; game++) {
    const model1 = data.model1[game]!;
    const model2 = data.model2[game]!;
    let keep: boolean;
    if (baseline === undefined) {
      keep = allowed[model1]! && allowed[model2]!;
    } else if (model1 === baselineId) {
      keep = allowed[model2]! || model2 === baselineId;
    } else if (model2 === baselineId) {
      keep = allowed[model1]!;
    } else {
      keep = false;
    }
    if (!keep) {
      outsideFilters++;
      continue;
    }
    seen[model1] = true;
    seen[model2] = true;
    const outcome = data.outcome[game]!;
    if (outcome === GameOutcome.errorVerdict) {
      verdictTotal++;
      errorVerdicts[model1]!++;
      if (model2 !== model1) errorVerdicts[model2]!++;
    } else if (outcome === GameOutcome.errorField) {
      fieldTotal++;
      errorFields[model1]!++;
      if (model2 !== model1) errorFields[model2]!++;
    } else {
      games.push(game);
    }
  }
  const excluded: ExcludedGames[] = [];
  data.models.forEach((model, id) => {
    if (!seen[id] || id === baselineId) return;
    excluded.push({ model, errorVerdicts: errorVerdicts[id]!, errorFields: errorFields[id]! });
  });
  excluded.sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  const known = new Set(data.models);
  return {
    games,
    excluded,
    errorVerdicts: verdictTotal,
    errorFields: fieldTotal,
    outsideFilters,
    missingModels: (modelList ?? []).filter((model) => !known.has(model)),
  };
}
