import type { PairJudgment } from "../data/types.ts";

/** How one game (one pairwise record, both orders) ended. */
export const GameOutcome = {
  /** `g1_winner` is "tie", or the two orders disagree. */
  tie: 0,
  /** Both orders chose model_1. */
  model1: 1,
  /** Both orders chose model_2. */
  model2: 2,
  /** `g1_winner` or `g2_winner` is "error": excluded, as FastChat does. */
  errorVerdict: 3,
  /** The record has an `error` field: excluded. */
  errorField: 4,
} as const;

/** A value of {@linkcode GameOutcome}. */
export type GameOutcome = typeof GameOutcome[keyof typeof GameOutcome];

/** The collected games in columnar form, one entry per pairwise record. */
export interface PairGameColumns {
  /** Model names in order of first appearance; a model's index is its id. */
  models: readonly string[];
  /** Model id of `model_1` of each game. */
  model1: Uint32Array;
  /** Model id of `model_2` of each game. */
  model2: Uint32Array;
  /** {@linkcode GameOutcome} of each game. */
  outcome: Uint8Array;
}

/**
 * Streams pairwise judgments into compact columns (two model ids and an
 * outcome code per game, 9 bytes), for {@linkcode pairwiseWinRates} and
 * {@linkcode bradleyTerry}. A game's outcome follows FastChat's
 * `show_result.py`: a tie when `g1_winner` is "tie" or the two orders
 * disagree, else the model both orders chose. Error games are kept, marked,
 * so that they can be counted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GameOutcome, PairGameCollector } from "./pair_game_collector.ts";
 * const collector = new PairGameCollector();
 * collector.add({
 *   question_id: 81, model_1: "a", model_2: "b", g1_winner: "model_1", g2_winner: "model_2",
 *   judge: ["gpt-4", "pair-v2"], turn: 1,
 * });
 * assert.equal(collector.columns().outcome[0], GameOutcome.tie);
 * ```
 */
export class PairGameCollector {
  #models: string[] = [];
  #modelIds = new Map<string, number>();
  #size = 0;
  #model1 = new Uint32Array(0);
  #model2 = new Uint32Array(0);
  #outcome = new Uint8Array(0);

  /** Adds one record. */
  add(record: PairJudgment): void {
    if (this.#size === this.#outcome.length) this.#grow();
    const index = this.#size++;
    this.#model1[index] = this.#modelId(record.model_1);
    this.#model2[index] = this.#modelId(record.model_2);
    this.#outcome[index] = gameOutcome(record);
  }

  /** Adds every record of an iterable; returns this collector. */
  addAll(records: Iterable<PairJudgment>): this {
    for (const record of records) this.add(record);
    return this;
  }

  /** The games collected so far, as views on the collector's arrays (not copies). */
  columns(): PairGameColumns {
    return {
      models: this.#models,
      model1: this.#model1.subarray(0, this.#size),
      model2: this.#model2.subarray(0, this.#size),
      outcome: this.#outcome.subarray(0, this.#size),
    };
  }

  #modelId(name: string): number {
    let id = this.#modelIds.get(name);
    if (id === undefined) {
      id = this.#models.length;
      this.#models.push(name);
      this.#modelIds.set(name, id);
    }
    return id;
  }

  #grow(): void {
    const capacity = Math.max(1024, this.#outcome.length * 2);
    const model1 = new Uint32Array(capacity);
    model1.set(this.#model1);
    this.#model1 = model1;
    const model2 = new Uint32Array(capacity);
    model2.set(this.#model2);
    this.#model2 = model2;
    const outcome = new Uint8Array(capacity);
    outcome.set(this.#outcome);
    this.#outcome = outcome;
  }
}

function gameOutcome(record: PairJudgment): GameOutcome {
  const g1 = record.g1_winner;
  const g2 = record.g2_winner;
  if (g1 === "error" || g2 === "error") return GameOutcome.errorVerdict;
  if (record.error !== undefined) return GameOutcome.errorField;
  if (g1 === "tie" || g1 !== g2) return GameOutcome.tie;
  return g1 === "model_1" ? GameOutcome.model1 : GameOutcome.model2;
}
