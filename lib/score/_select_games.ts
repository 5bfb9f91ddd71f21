// Which collected games a pairwise table uses: FastChat's error, baseline and
// model-list filters (show_result.py keeps a game when its model_1 is listed).
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
 * Selects games as FastChat's show_result.py: with a model list, games whose
 * `model_1` is listed (its opponent may be any model, which then gets a row
 * too); with a baseline, games the baseline plays. Error games in scope are
 * counted, not used.
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
    const keep = allowed[model1]! &&
      (baseline === undefined || model1 === baselineId || model2 === baselineId);
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
