import type { PairJudgment } from "../data/types.ts";
import {
  bootstrapBounds,
  type BootstrapSettings,
  bootstrapSettings,
  byValueThenModel,
} from "./_bootstrap.ts";
import { gameCells } from "./_game_cells.ts";
import { type ExcludedGames, selectGames } from "./_select_games.ts";
import { GameOutcome, PairGameCollector, type PairGameColumns } from "./pair_game_collector.ts";

/** Options for {@linkcode bradleyTerry}. */
export interface BradleyTerryOptions {
  /**
   * Models to rate; a game counts when both its models are in the list.
   * @default {undefined} (every model)
   */
  modelList?: readonly string[] | undefined;
  /**
   * Virtual tied games each model plays against a fixed reference player (of
   * strength 1 before anchoring). It keeps ratings finite when a model wins or
   * loses every game, and pulls ratings slightly together. 0 gives the plain
   * maximum-likelihood fit, which is a RangeError when it does not exist.
   * @default {1}
   */
  prior?: number;
  /**
   * Bootstrap resamples (of games) for the rating intervals; 0 disables them.
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
  /**
   * Largest number of Newton iterations per fit.
   * @default {100}
   */
  maxIterations?: number;
  /**
   * The fit stops when no log-strength moves more than this.
   * @default {1e-10}
   */
  tolerance?: number;
}

/** One model's rating. */
export interface Rating {
  /** The model's name. */
  model: string;
  /** Elo-like rating: 400 · log10(strength), shifted so that the mean rating is 1000. */
  rating: number;
  /** Games the model played. */
  games: number;
  /** Lower bound of the bootstrap interval (absent when off). */
  lower?: number;
  /** Upper bound of the bootstrap interval (absent when off). */
  upper?: number;
}

/** Bradley–Terry ratings of the models of a pairwise judgment file. */
export interface BradleyTerryRatings {
  /** Highest rating first, ties by model name. */
  rows: Rating[];
  /** Games used. */
  games: number;
  /** Per model in scope, the games excluded for an error. */
  excluded: ExcludedGames[];
  /** Iterations of the fit on all games. */
  iterations: number;
  /** Whether that fit met the tolerance within `maxIterations`. */
  converged: boolean;
  /** The prior used (virtual tied games per model). */
  prior: number;
  /** The bootstrap that made the intervals (`rounds` 0: none). */
  bootstrap: BootstrapSettings;
}

/** Rating points per factor 10 of strength, as in Elo. */
const SCALE = 400;
/** Mean rating after anchoring. */
const ANCHOR = 1000;

/**
 * Fits Bradley–Terry strengths to the games of a pairwise judgment file and
 * reports them on the Elo-like scale 400 · log10(strength), anchored so that
 * the mean rating is 1000. A game is one record played in both orders, with
 * FastChat's outcome: the winner when both orders agree, else a tie; a tie
 * counts half a win for each side. Error games are left out. The fit is
 * Newton's method on the log-likelihood (concave, so it converges in a few
 * steps); intervals come from refitting on resampled games.
 *
 * Takes records, or a {@linkcode PairGameCollector} that streamed them.
 *
 * @example Two models, one better
 * ```ts
 * import assert from "node:assert/strict";
 * import { bradleyTerry } from "./bradley_terry.ts";
 * const judge: [string, string] = ["gpt-4", "pair-v2"];
 * const game = (g1: "model_1" | "model_2" | "tie") => ({
 *   question_id: 81, model_1: "a", model_2: "b", g1_winner: g1, g2_winner: g1, judge, turn: 1,
 * });
 * const { rows } = bradleyTerry([game("model_1"), game("model_1"), game("tie")], {
 *   prior: 0, rounds: 0,
 * });
 * // a: 2.5 wins of 3 games, b: 0.5, so strength ratio 5.
 * assert.ok(Math.abs(rows[0]!.rating - rows[1]!.rating - 400 * Math.log10(5)) < 1e-6);
 * ```
 */
export function bradleyTerry(
  input: Iterable<PairJudgment> | PairGameCollector,
  options: BradleyTerryOptions = {},
): BradleyTerryRatings {
  const settings = bootstrapSettings(options, "bradleyTerry()");
  const prior = options.prior ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  if (!(prior >= 0 && Number.isFinite(prior))) {
    throw new RangeError(`Cannot fit Bradley–Terry ratings: prior must be 0 or more, got ${prior}`);
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(
      `Cannot fit Bradley–Terry ratings: maxIterations must be a positive integer, got ${maxIterations}`,
    );
  }
  const collector = input instanceof PairGameCollector
    ? input
    : new PairGameCollector().addAll(input);
  const data = collector.columns();
  const selection = selectGames(data, undefined, options.modelList);

  // Rated models get dense indices 0..size-1.
  const dense = new Int32Array(data.models.length).fill(-1);
  const names: string[] = [];
  for (const game of selection.games) {
    for (const model of [data.model1[game]!, data.model2[game]!]) {
      if (dense[model] === -1) {
        dense[model] = names.length;
        names.push(data.models[model]!);
      }
    }
  }
  const size = names.length;
  const fit = new Fitter(size, prior, maxIterations, tolerance);
  const weights = new Uint32Array(selection.games.length).fill(1);
  const games = fit.tally(data, selection.games, dense, weights);
  if (prior === 0 && !fit.identifiable()) {
    throw new RangeError(
      "Cannot fit Bradley–Terry ratings: the maximum-likelihood fit does not exist because some models never win or never lose against the rest; use a prior above 0",
    );
  }
  const result = fit.run(new Float64Array(size));
  const ratings = anchored(result.logStrength, games);
  const rows: Rating[] = names.map((model, index) => ({
    model,
    rating: ratings[index]!,
    games: games[index]!,
  }));

  if (settings.rounds > 0 && size > 0) {
    const start = result.logStrength;
    // Resampled games are counted per (model_1, model_2, outcome) group.
    const cells = gameCells(data, selection.games);
    const cellIndices = Array.from({ length: cells.outcome.length }, (_, cell) => cell);
    const bounds = bootstrapBounds(
      selection.games.length,
      size,
      (draws, out) => {
        const played = fit.tally(cells, cellIndices, dense, draws);
        if (prior === 0 && !fit.identifiable()) return;
        out.set(anchored(fit.run(start).logStrength, played));
      },
      settings,
      cells.cellOf,
    );
    rows.forEach((row, index) => {
      const { lower, upper } = bounds[index]!;
      if (!Number.isNaN(lower) && !Number.isNaN(upper)) Object.assign(row, { lower, upper });
    });
  }
  rows.sort(byValueThenModel((row: Rating) => row.rating));
  return {
    rows,
    games: selection.games.length,
    excluded: selection.excluded,
    iterations: result.iterations,
    converged: result.converged,
    prior,
    bootstrap: settings,
  };
}

/** Ratings of the models that played, mean 1000; NaN for those that did not. */
function anchored(logStrength: Float64Array, games: Float64Array): Float64Array {
  const ratings = new Float64Array(logStrength.length).fill(NaN);
  let sum = 0;
  let count = 0;
  for (let index = 0; index < logStrength.length; index++) {
    if (games[index]! === 0) continue;
    ratings[index] = SCALE * logStrength[index]! / Math.LN10;
    sum += ratings[index]!;
    count++;
  }
  const shift = count === 0 ? 0 : ANCHOR - sum / count;
  for (let index = 0; index < ratings.length; index++) ratings[index]! += shift;
  return ratings;
}

/** Result of one fit: natural-log strengths. */
interface Fit {
  logStrength: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Newton's method on the (penalized) log-likelihood, reusing its buffers across bootstrap rounds. */
class Fitter {
  /** credit[i * size + j]: wins of i over j, ties counting half. */
  readonly credit: Float64Array;
  /** played[i * size + j]: games between i and j. */
  readonly played: Float64Array;
  readonly #hessian: Float64Array;

  constructor(
    readonly size: number,
    readonly prior: number,
    readonly maxIterations: number,
    readonly tolerance: number,
  ) {
    this.credit = new Float64Array(size * size);
    this.played = new Float64Array(size * size);
    this.#hessian = new Float64Array(size * size);
  }

  /** Tallies the weighted games; returns each model's number of games. */
  tally(
    data: PairGameColumns,
    games: readonly number[],
    dense: Int32Array,
    weights: Uint32Array,
  ): Float64Array {
    const size = this.size;
    this.credit.fill(0);
    this.played.fill(0);
    const count = new Float64Array(size);
    for (let index = 0; index < games.length; index++) {
      const weight = weights[index]!;
      if (weight === 0) continue;
      const game = games[index]!;
      const a = dense[data.model1[game]!]!;
      const b = dense[data.model2[game]!]!;
      count[a]! += weight;
      if (b !== a) count[b]! += weight;
      if (a === b) continue; // a model against itself says nothing about strength
      const outcome = data.outcome[game]!;
      const points = outcome === GameOutcome.tie ? 0.5 : outcome === GameOutcome.model1 ? 1 : 0;
      this.credit[a * size + b]! += weight * points;
      this.credit[b * size + a]! += weight * (1 - points);
      this.played[a * size + b]! += weight;
      this.played[b * size + a]! += weight;
    }
    return count;
  }

  /**
   * Whether the plain maximum-likelihood fit exists: every model that played
   * another can reach every other through "scored against" links, both ways.
   */
  identifiable(): boolean {
    const active = this.#active();
    const first = active.indexOf(1);
    const total = active.reduce((sum, value) => sum + value, 0);
    if (total <= 1) return true;
    const size = this.size;
    const reaches = (forward: boolean): boolean => {
      const seen = new Uint8Array(size);
      const stack = [first];
      seen[first] = 1;
      let reached = 1;
      while (stack.length > 0) {
        const i = stack.pop()!;
        for (let j = 0; j < size; j++) {
          const link = forward ? this.credit[i * size + j]! : this.credit[j * size + i]!;
          if (link > 0 && seen[j] === 0) {
            seen[j] = 1;
            reached++;
            stack.push(j);
          }
        }
      }
      return reached === total;
    };
    return reaches(true) && reaches(false);
  }

  /**
   * Maximizes the log-likelihood (plus the prior's virtual ties against a
   * reference of log-strength 0) by Newton steps, halved while they do not
   * improve it. Models that played no other keep log-strength 0.
   */
  run(start: Float64Array): Fit {
    const { size, prior, played } = this;
    const active = this.#active();
    const activeCount = active.reduce((sum, value) => sum + value, 0);
    const theta = Float64Array.from(start, (value, i) => (active[i] ? value : 0));
    const gradient = new Float64Array(size);
    const step = new Float64Array(size);
    const trial = new Float64Array(size);
    const hessian = this.#hessian;
    let iterations = 0;
    let converged = activeCount === 0;
    let current = this.#objective(theta);
    while (!converged && iterations < this.maxIterations) {
      iterations++;
      // Gradient and negative Hessian of the objective.
      hessian.fill(0);
      for (let i = 0; i < size; i++) {
        if (!active[i]) {
          gradient[i] = 0;
          hessian[i * size + i] = 1;
          continue;
        }
        const ownWeight = 1 / (1 + Math.exp(-theta[i]!));
        let g = prior / 2 - prior * ownWeight;
        let diagonal = prior * ownWeight * (1 - ownWeight);
        for (let j = 0; j < size; j++) {
          const games = played[i * size + j]!;
          if (games === 0) continue;
          const p = 1 / (1 + Math.exp(theta[j]! - theta[i]!));
          g += this.credit[i * size + j]! - games * p;
          const curvature = games * p * (1 - p);
          diagonal += curvature;
          hessian[i * size + j] = -curvature;
        }
        gradient[i] = g;
        hessian[i * size + i] = diagonal;
      }
      if (prior === 0) {
        // The scale is free: add the all-ones direction so the system is solvable;
        // the gradient sums to zero, so the step keeps the mean log-strength.
        for (let i = 0; i < size; i++) {
          if (!active[i]) continue;
          for (let j = 0; j < size; j++) if (active[j]) hessian[i * size + j]! += 1;
        }
      }
      solveSymmetric(hessian, gradient, step, size);
      let scale = 1;
      let next = current;
      for (let halving = 0; halving < 60; halving++) {
        for (let i = 0; i < size; i++) trial[i] = theta[i]! + scale * step[i]!;
        next = this.#objective(trial);
        if (next >= current) break;
        scale /= 2;
      }
      let change = 0;
      for (let i = 0; i < size; i++) change = Math.max(change, Math.abs(trial[i]! - theta[i]!));
      theta.set(trial);
      current = Math.max(current, next);
      converged = change <= this.tolerance;
    }
    return { logStrength: theta, iterations, converged };
  }

  /** Log-likelihood of the tallied games, plus the prior's virtual ties. */
  #objective(theta: Float64Array): number {
    const { size, prior, credit, played } = this;
    let total = 0;
    for (let i = 0; i < size; i++) {
      if (prior > 0) total += prior / 2 * theta[i]! - prior * logSumExp(theta[i]!, 0);
      for (let j = i + 1; j < size; j++) {
        const games = played[i * size + j]!;
        if (games === 0) continue;
        total += credit[i * size + j]! * theta[i]! + credit[j * size + i]! * theta[j]! -
          games * logSumExp(theta[i]!, theta[j]!);
      }
    }
    return total;
  }

  /** 1 for each model that played another model, else 0. */
  #active(): Uint8Array {
    const size = this.size;
    const active = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        if (this.played[i * size + j]! > 0) {
          active[i] = 1;
          break;
        }
      }
    }
    return active;
  }
}

/** log(e^a + e^b) without overflow. */
function logSumExp(a: number, b: number): number {
  const high = Math.max(a, b);
  return high + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/**
 * Solves matrix · x = vector for a symmetric positive definite matrix by a
 * Cholesky factorization (the matrix is overwritten).
 */
function solveSymmetric(
  matrix: Float64Array,
  vector: Float64Array,
  out: Float64Array,
  size: number,
): void {
  for (let j = 0; j < size; j++) {
    let diagonal = matrix[j * size + j]!;
    for (let k = 0; k < j; k++) diagonal -= matrix[j * size + k]! ** 2;
    if (!(diagonal > 0)) {
      throw new RangeError(
        "Cannot fit Bradley–Terry ratings: the Newton system is not positive definite",
      );
    }
    const root = Math.sqrt(diagonal);
    matrix[j * size + j] = root;
    for (let i = j + 1; i < size; i++) {
      let value = matrix[i * size + j]!;
      for (let k = 0; k < j; k++) value -= matrix[i * size + k]! * matrix[j * size + k]!;
      matrix[i * size + j] = value / root;
    }
  }
  for (let i = 0; i < size; i++) {
    let value = vector[i]!;
    for (let k = 0; k < i; k++) value -= matrix[i * size + k]! * out[k]!;
    out[i] = value / matrix[i * size + i]!;
  }
  for (let i = size - 1; i >= 0; i--) {
    let value = out[i]!;
    for (let k = i + 1; k < size; k++) value -= matrix[k * size + i]! * out[k]!;
    out[i] = value / matrix[i * size + i]!;
  }
}
