import { DataError } from "../data/data_error.ts";
import type { HumanVote, HumanVoteColumns, QuestionId } from "../data/types.ts";
import { judgeGroup } from "./judge_group.ts";

/** A pairwise vote of any judge, in the human-judgment shape. */
export interface PairwiseVote {
  /** Question voted on. */
  question_id: QuestionId;
  /** First model shown to the judge. */
  model_a: string;
  /** Second model shown to the judge. */
  model_b: string;
  /** `model_a`, `model_b`, or any text containing `tie` (`tie (inconsistent)` included). */
  winner: string;
  /** Turn number (1 or 2). */
  turn: number;
}

/** File and line of a vote, for error messages. */
export interface VoteSource {
  /** Path of the file the vote is from. */
  file: string;
  /** Line (or parquet row) of the vote, 1-based. */
  line: number;
  /** What `line` counts. @default {"line"} */
  unit?: "line" | "row";
}

/** A vote key: the question, the turn and the model pair in lexicographic order. */
export interface VoteKey {
  /** Turn number (1 or 2). */
  turn: number;
  /** Question voted on. */
  question_id: QuestionId;
  /** The model that sorts first (`<` on strings, as Python compares ASCII). */
  model_a: string;
  /** The model that sorts second. */
  model_b: string;
}

/**
 * Vote categories once the pair is ordered: the first model wins, the second
 * wins, or a tie (every winner containing `tie`).
 */
export const VOTE_CATEGORIES = ["model_a", "model_b", "tie"] as const;

/** The tally's tables, one entry per key; for {@linkcode computeAgreement}. */
export interface VoteTable {
  /** Number of keys. */
  size: number;
  /** Turn of each key. */
  turns: Int32Array;
  /** Index into `questionIds` of each key. */
  questions: Int32Array;
  /** Index into `models` of each key's first model. */
  lows: Int32Array;
  /** Index into `models` of each key's second model. */
  highs: Int32Array;
  /**
   * Six counts per key: judge 1's votes for `model_a`, `model_b`, tie, then judge 2's.
   * When both judges are the same, only the first three are used.
   */
  counts: Uint32Array;
  /** Question ids, indexed by `questions`. */
  questionIds: readonly QuestionId[];
  /** Model names, indexed by `lows` and `highs`. */
  models: readonly string[];
}

const SHIFT = 2 ** 26;
const LOW = 0;
const HIGH = 1;
const TIE = 2;

/**
 * Counts the pairwise votes of two judges per key (turn, question_id, ordered
 * model pair), as FastChat's `compute_agreement.get_mt_bench_votes_data`: the
 * models of a vote are sorted and, when `model_a > model_b`, the winner is
 * flipped (ties stay). Only the category counts are kept, so memory grows with
 * the number of keys, not of votes, and adding a vote is a few map lookups.
 *
 * When the two judges differ and the first is not `human` or `author`, FastChat
 * expects it to have one vote per key; a second vote is remembered and
 * {@linkcode computeAgreement} rejects it where the other judge voted too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VoteTally } from "./vote_tally.ts";
 * const tally = new VoteTally(["gpt4-pair", "human"]);
 * tally.addHumanVote({ question_id: 81, model_a: "b", model_b: "a", winner: "model_a", judge: "gpt4_pair", turn: 1 });
 * tally.addHumanVote({ question_id: 81, model_a: "a", model_b: "b", winner: "model_b", judge: "expert_3", turn: 1 });
 * const table = tally.table();
 * assert.equal(table.size, 1);
 * assert.equal(table.counts.join(), "0,1,0,0,1,0"); // both say the second model ("b") won
 * ```
 */
export class VoteTally {
  /** The two judges compared. */
  readonly judges: readonly [string, string];
  /** Whether both judges are the same (pairs within a judge, e.g. human vs human). */
  readonly sameJudge: boolean;
  /** Votes counted for each judge. */
  readonly counted: [number, number] = [0, 0];
  /** Votes passed in whose judge is neither of the two. */
  ignored = 0;

  readonly #oneVoteFirst: boolean;
  readonly #questionIndex = new Map<QuestionId, number>();
  readonly #questionIds: QuestionId[] = [];
  readonly #modelIndex = new Map<string, number>();
  readonly #models: string[] = [];
  // Pair of model indices (low, high) -> pair index: #pairIndex[low].get(high).
  readonly #pairIndex: (Map<number, number> | undefined)[] = [];
  #pairs = 0;
  // Key -> slot: #keys.get(turn)[question index].get(pair index). Small-integer
  // keys throughout, which V8's maps hash fastest.
  readonly #keys = new Map<number, (Map<number, number> | undefined)[]>();
  // The last key looked up: votes on one key often come together.
  #lastTurn = Number.NaN;
  #lastQuestion = -1;
  #lastLow = -1;
  #lastHigh = -1;
  #lastSlot = -1;
  readonly #nameCache = new Map<string, string | undefined>();
  readonly #duplicates = new Map<number, VoteSource | undefined>();
  #size = 0;
  #turns = new Int32Array(1024);
  #questions = new Int32Array(1024);
  #lows = new Int32Array(1024);
  #highs = new Int32Array(1024);
  #counts = new Uint32Array(1024 * 6);

  /**
   * Creates an empty tally for two judges (the same name twice compares a judge with itself).
   * @param judges The two judges' names, e.g. `["gpt4-pair", "human"]`.
   */
  constructor(judges: readonly [string, string]) {
    this.judges = [judges[0], judges[1]];
    this.sameJudge = judges[0] === judges[1];
    this.#oneVoteFirst = !this.sameJudge && judges[0] !== "human" && judges[0] !== "author";
  }

  /**
   * Counts one vote of `judge`; returns false (and counts it as ignored) when
   * `judge` is neither of the two. A winner that is not `model_a`, `model_b` or
   * a tie is a RangeError.
   */
  add(judge: string, vote: PairwiseVote, source?: VoteSource): boolean {
    const column = this.#column(judge);
    if (column === undefined) {
      this.ignored++;
      return false;
    }
    let category: number;
    const winner = vote.winner;
    if (winner === "model_a") category = LOW;
    else if (winner === "model_b") category = HIGH;
    else if (winner.includes("tie")) category = TIE;
    else {
      throw new RangeError(
        `Cannot count a vote${where(source)}: winner must be "model_a", "model_b" or a tie, got ${
          JSON.stringify(winner)
        }`,
      );
    }
    let low = this.#model(vote.model_a);
    let high = this.#model(vote.model_b);
    if (!(vote.model_a < vote.model_b)) {
      const swap = low;
      low = high;
      high = swap;
      if (category !== TIE) category = 1 - category;
    }
    const slot = this.#count(
      column,
      vote.turn,
      this.#question(vote.question_id),
      low,
      high,
      category,
    );
    if (slot >= 0) this.#duplicates.set(slot, source);
    return true;
  }

  /** Counts a human-judgment vote under its judge group (see {@linkcode judgeGroup}). */
  addHumanVote(vote: HumanVote, source?: VoteSource): boolean {
    const name = typeof vote.judge === "string" ? this.#group(vote.judge) : judgeGroup(vote.judge);
    if (name === undefined) {
      this.ignored++;
      return false;
    }
    return this.add(name, vote, source);
  }

  /**
   * Counts votes given in columns, as {@linkcode addHumanVote} counts each of
   * them in turn (each under its judge group); returns how many were counted.
   * No object is made per vote: a vote's source is asked for only when the
   * tally must remember it (see {@linkcode checkOneVotePerKey}).
   */
  addHumanVoteColumns(columns: HumanVoteColumns): number {
    const judgeColumns = columns.judges.map((judge) => {
      const name = typeof judge === "string" ? this.#group(judge) : judgeGroup(judge);
      return name === undefined ? -1 : this.#column(name) ?? -1;
    });
    const models = new Int32Array(columns.models.length).fill(-1);
    const questions = new Int32Array(columns.questionIds.length).fill(-1);
    const { question, modelA, modelB, judge, winner, turn } = columns;
    let counted = 0;
    for (let index = 0; index < columns.size; index++) {
      const column = judgeColumns[judge[index]!]!;
      if (column < 0) continue;
      const a = modelA[index]!;
      const b = modelB[index]!;
      let low = models[a]!;
      if (low < 0) low = models[a] = this.#model(columns.models[a]!);
      let high = models[b]!;
      if (high < 0) high = models[b] = this.#model(columns.models[b]!);
      // Winners: model_a, model_b, tie, tie (inconsistent).
      let category = winner[index]! >= TIE ? TIE : winner[index]!;
      if (!(columns.models[a]! < columns.models[b]!)) {
        const swap = low;
        low = high;
        high = swap;
        if (category !== TIE) category = 1 - category;
      }
      const q = question[index]!;
      let at = questions[q]!;
      if (at < 0) at = questions[q] = this.#question(columns.questionIds[q]!);
      const slot = this.#count(column as 0 | 1, turn[index]!, at, low, high, category);
      if (slot >= 0) this.#duplicates.set(slot, columns.source(index));
      counted++;
    }
    this.ignored += columns.size - counted;
    return counted;
  }

  /** Whether `judge` has at least one counted vote. */
  hasVotes(judge: string): boolean {
    const column = this.#column(judge);
    return column !== undefined && this.counted[column] > 0;
  }

  /** The keys on which `judge` voted, in the order they were first seen. */
  *keys(judge: string): Generator<VoteKey> {
    const column = this.#column(judge);
    if (column === undefined) return;
    for (let slot = 0; slot < this.#size; slot++) {
      const base = slot * 6 + column * 3;
      if (this.#counts[base]! + this.#counts[base + 1]! + this.#counts[base + 2]! === 0) continue;
      yield {
        turn: this.#turns[slot]!,
        question_id: this.#questionIds[this.#questions[slot]!]!,
        model_a: this.#models[this.#lows[slot]!]!,
        model_b: this.#models[this.#highs[slot]!]!,
      };
    }
  }

  /**
   * Throws where the first judge must have one vote per key (it differs from the
   * second and is not `human`/`author`, FastChat's `assert len(votes[judge1]) == 1`)
   * but has more on a key the second judge also voted on. The error is a
   * DataError at the second vote when its source is known.
   */
  checkOneVotePerKey(): void {
    for (const [slot, source] of this.#duplicates) {
      const base = slot * 6;
      if (this.#counts[base + 3]! + this.#counts[base + 4]! + this.#counts[base + 5]! === 0) {
        continue;
      }
      const count = this.#counts[base]! + this.#counts[base + 1]! + this.#counts[base + 2]!;
      const key = `question_id ${JSON.stringify(this.#questionIds[this.#questions[slot]!])}, turn ${
        this.#turns[slot]
      }, models ${JSON.stringify(this.#models[this.#lows[slot]!])} and ${
        JSON.stringify(this.#models[this.#highs[slot]!])
      }`;
      const reason = `judge "${this.judges[0]}" has ${count} votes on ${key}; ` +
        `agreement with "${this.judges[1]}" needs one vote per key from the first judge ` +
        `(swap the judges to compare every vote)`;
      if (source !== undefined) {
        throw new DataError(reason, {
          file: source.file,
          line: source.line,
          unit: source.unit,
          field: "question_id",
        });
      }
      throw new RangeError(`Cannot compute agreement: ${reason}`);
    }
  }

  /** The count tables (shared, not copied: do not modify). */
  table(): VoteTable {
    return {
      size: this.#size,
      turns: this.#turns.subarray(0, this.#size),
      questions: this.#questions.subarray(0, this.#size),
      lows: this.#lows.subarray(0, this.#size),
      highs: this.#highs.subarray(0, this.#size),
      counts: this.#counts.subarray(0, this.#size * 6),
      questionIds: this.#questionIds,
      models: this.#models,
    };
  }

  #group(judge: string): string | undefined {
    if (this.#nameCache.has(judge)) return this.#nameCache.get(judge);
    const name = judgeGroup(judge);
    this.#nameCache.set(judge, name);
    return name;
  }

  /**
   * Counts one vote of `column` on a key; returns the key's slot when the vote
   * is the first judge's second one there (its source is then remembered), else -1.
   */
  #count(
    column: 0 | 1,
    turn: number,
    question: number,
    low: number,
    high: number,
    category: number,
  ): number {
    const slot = this.#slot(turn, question, low, high);
    const base = slot * 6 + column * 3;
    this.#counts[base + category]!++;
    this.counted[column]++;
    if (column === 0 && this.#oneVoteFirst && !this.#duplicates.has(slot)) {
      const total = this.#counts[base]! + this.#counts[base + 1]! + this.#counts[base + 2]!;
      if (total === 2) return slot;
    }
    return -1;
  }

  #column(judge: string): 0 | 1 | undefined {
    return judge === this.judges[0] ? 0 : judge === this.judges[1] ? 1 : undefined;
  }

  #question(id: QuestionId): number {
    let index = this.#questionIndex.get(id);
    if (index === undefined) {
      index = this.#questionIds.length;
      if (index >= SHIFT) throw new RangeError(`Cannot count votes: more than ${SHIFT} questions`);
      this.#questionIndex.set(id, index);
      this.#questionIds.push(id);
    }
    return index;
  }

  #model(name: string): number {
    let index = this.#modelIndex.get(name);
    if (index === undefined) {
      index = this.#models.length;
      if (index >= SHIFT) throw new RangeError(`Cannot count votes: more than ${SHIFT} models`);
      this.#modelIndex.set(name, index);
      this.#models.push(name);
    }
    return index;
  }

  #slot(turn: number, question: number, low: number, high: number): number {
    if (
      question === this.#lastQuestion && low === this.#lastLow && high === this.#lastHigh &&
      turn === this.#lastTurn
    ) {
      return this.#lastSlot;
    }
    let highs = this.#pairIndex[low];
    if (highs === undefined) this.#pairIndex[low] = highs = new Map();
    let pair = highs.get(high);
    if (pair === undefined) {
      pair = this.#pairs++;
      highs.set(high, pair);
    }
    let byQuestion = this.#keys.get(turn);
    if (byQuestion === undefined) {
      byQuestion = [];
      this.#keys.set(turn, byQuestion);
    }
    let keys = byQuestion[question];
    if (keys === undefined) byQuestion[question] = keys = new Map();
    let slot = keys.get(pair);
    if (slot === undefined) {
      slot = this.#size++;
      if (slot === this.#turns.length) this.#grow();
      this.#turns[slot] = turn;
      this.#questions[slot] = question;
      this.#lows[slot] = low;
      this.#highs[slot] = high;
      keys.set(pair, slot);
    }
    this.#lastTurn = turn;
    this.#lastQuestion = question;
    this.#lastLow = low;
    this.#lastHigh = high;
    this.#lastSlot = slot;
    return slot;
  }

  #grow(): void {
    const capacity = this.#turns.length * 2;
    const grow = <T extends Int32Array | Uint32Array>(
      old: T,
      make: (n: number) => T,
      n: number,
    ) => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.#turns = grow(this.#turns, (n) => new Int32Array(n), capacity);
    this.#questions = grow(this.#questions, (n) => new Int32Array(n), capacity);
    this.#lows = grow(this.#lows, (n) => new Int32Array(n), capacity);
    this.#highs = grow(this.#highs, (n) => new Int32Array(n), capacity);
    this.#counts = grow(this.#counts, (n) => new Uint32Array(n), capacity * 6);
  }
}

function where(source: VoteSource | undefined): string {
  return source === undefined
    ? ""
    : ` at ${source.unit ?? "line"} ${source.line} of "${source.file}"`;
}
