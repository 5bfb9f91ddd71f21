import type { PairGameColumns } from "./pair_game_collector.ts";

/**
 * Games grouped by (model_1, model_2, outcome): a bootstrap that resamples
 * games only needs how many draws fell in each group, so a round costs one
 * pass over the groups (a few hundred) instead of one over the games. The
 * result has the columns of the groups, and `cellOf`, the group of each
 * selected game (by its position in `games`).
 */
export function gameCells(
  data: PairGameColumns,
  games: readonly number[],
): PairGameColumns & { cellOf: Int32Array } {
  const ids = new Map<number, number>();
  const cellOf = new Int32Array(games.length);
  const model1: number[] = [];
  const model2: number[] = [];
  const outcome: number[] = [];
  const modelCount = data.models.length;
  for (let index = 0; index < games.length; index++) {
    const game = games[index]!;
    const key = (data.model1[game]! * modelCount + data.model2[game]!) * 8 + data.outcome[game]!;
    let id = ids.get(key);
    if (id === undefined) {
      id = model1.length;
      ids.set(key, id);
      model1.push(data.model1[game]!);
      model2.push(data.model2[game]!);
      outcome.push(data.outcome[game]!);
    }
    cellOf[index] = id;
  }
  return {
    models: data.models,
    model1: Uint32Array.from(model1),
    model2: Uint32Array.from(model2),
    outcome: Uint8Array.from(outcome),
    cellOf,
  };
}
