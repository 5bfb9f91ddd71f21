import type { QuestionId, SingleJudgment } from "../data/types.ts";

/** Counts of one model's records, kept or not. */
export interface ModelTally {
  /** Records seen for the model. */
  records: number;
  /** Records left out because `score` is -1 (and no `error` field is set). */
  scoreMinusOne: number;
  /** Records left out because they carry an `error` field. */
  errors: number;
  /** (question, turn, judge) keys seen more than once, excluded records included. */
  duplicateKeys: number;
  /** Records beyond the first of each repeated key. */
  duplicateRecords: number;
}

/**
 * The collected data in columnar form: one "unit" per (model, question) pair
 * that has records, with the sum and count of its kept scores per turn.
 */
export interface SingleScoreColumns {
  /** Model names in order of first appearance; a model's index is its id. */
  models: readonly string[];
  /** Per model id, its record counts. */
  tallies: readonly ModelTally[];
  /** Question ids in order of first appearance; a question's index is its id. */
  questions: readonly QuestionId[];
  /** Model id of each unit. */
  unitModel: Uint32Array;
  /** Question id of each unit (index into `questions`). */
  unitQuestion: Uint32Array;
  /** Sum of kept turn-1 scores of each unit. */
  turn1Sum: Float64Array;
  /** Number of kept turn-1 scores of each unit. */
  turn1Count: Float64Array;
  /** Sum of kept turn-2 scores of each unit. */
  turn2Sum: Float64Array;
  /** Number of kept turn-2 scores of each unit. */
  turn2Count: Float64Array;
  /** Sum of all kept scores of each unit, whatever the turn. */
  totalSum: Float64Array;
  /** Number of all kept scores of each unit. */
  totalCount: Float64Array;
}

// A (turn, judge) pair is packed into a cell signature turn * JUDGES + judge.
// Each unit has two inline slots for its cells (the usual case: turn 1 and
// turn 2 under one judge each); further cells go to a map keyed by
// unit * TURNS * JUDGES + signature, which stays an exact double.
const TURN_LIMIT = 1 << 11;
const JUDGE_LIMIT = 1 << 10;
const UNIT_LIMIT = 2 ** 32;
const SLOTS = 2;
/** Dense question rows may hold this many cells beyond 4 per unit. */
const DENSE_ALLOWANCE = 1 << 16;
// Indices of the per-unit sum arrays.
const TURN1_SUM = 0;
const TURN1_COUNT = 1;
const TURN2_SUM = 2;
const TURN2_COUNT = 3;
const TOTAL_SUM = 4;
const TOTAL_COUNT = 5;

/**
 * Streams single-grade judgments into a compact accumulator, so that a file of
 * millions of records needs memory only per (model, question) pair, not per
 * record. Nothing is filtered here: `score` -1 and `error` records are counted
 * per model, and {@linkcode singleScoreTable} applies the model list.
 *
 * Records are kept as FastChat keeps them: a record whose `score` is -1, or
 * that has an `error` field, is excluded; repeated (model, question, turn,
 * judge) keys are all averaged in, and counted in the tallies.
 *
 * @example Collect records batch by batch
 * ```ts
 * import assert from "node:assert/strict";
 * import { SingleScoreCollector } from "./single_score_collector.ts";
 * const collector = new SingleScoreCollector();
 * collector.add({ question_id: 81, model: "m", judge: ["gpt-4", "single-v1"], score: 7, turn: 1 });
 * collector.add({ question_id: 81, model: "m", judge: ["gpt-4", "single-v1"], score: -1, turn: 1 });
 * const columns = collector.columns();
 * assert.equal(columns.tallies[0]!.scoreMinusOne, 1);
 * assert.equal(columns.turn1Sum[0], 7);
 * ```
 */
export class SingleScoreCollector {
  #models: string[] = [];
  #modelIds = new Map<string, number>();
  #tallies: ModelTally[] = [];
  #rows: (Int32Array | null)[] = [];
  #denseCells = 0;
  #table = new Int32Array(0);
  #hashed = 0;
  #questions: QuestionId[] = [];
  #questionIds = new Map<QuestionId, number>();
  #turnIds = new Map<number, number>();
  #judgeIds = new Map<string, Map<string, number>>();
  #judgeCount = 0;
  #slotSignature = new Int32Array(0);
  #slotCount = new Uint32Array(0);
  #moreCells = new Map<number, number>();
  #lastModelName: string | undefined = undefined;
  #lastModel = -1;
  #lastJudgeModel: string | undefined = undefined;
  #lastPrompts = new Map<string, number>();
  #lastQuestionId: QuestionId = NaN;
  #lastUnit = -1;
  #size = 0;
  #capacity = 0;
  #unitModel = new Uint32Array(0);
  #unitQuestion = new Uint32Array(0);
  #sums: Float64Array[] = [];

  /** Adds one record. */
  add(record: SingleJudgment): void {
    // Files are usually grouped by model: compare with the last name before hashing.
    let model = this.#lastModel;
    if (record.model !== this.#lastModelName) {
      model = this.#modelIds.get(record.model) ?? this.#addModel(record.model);
      this.#lastModelName = record.model;
    }
    const tally = this.#tallies[model]!;
    tally.records++;
    // Files are usually grouped by model and question: reuse the last unit.
    let unit = this.#lastUnit;
    if (model !== this.#lastModel || record.question_id !== this.#lastQuestionId) {
      unit = this.#unit(model, record.question_id);
      this.#lastModel = model;
      this.#lastQuestionId = record.question_id;
      this.#lastUnit = unit;
    }
    const seen = this.#countCell(
      unit,
      this.#turnId(record.turn) * JUDGE_LIMIT + this.#judgeId(record.judge[0], record.judge[1]),
    );
    if (seen > 1) {
      if (seen === 2) tally.duplicateKeys++;
      tally.duplicateRecords++;
    }
    if (record.error !== undefined) {
      tally.errors++;
      return;
    }
    const score = record.score;
    if (score === -1) {
      tally.scoreMinusOne++;
      return;
    }
    const sums = this.#sums;
    if (record.turn === 1) {
      sums[TURN1_SUM]![unit] += score;
      sums[TURN1_COUNT]![unit]++;
    } else if (record.turn === 2) {
      sums[TURN2_SUM]![unit] += score;
      sums[TURN2_COUNT]![unit]++;
    }
    sums[TOTAL_SUM]![unit] += score;
    sums[TOTAL_COUNT]![unit]++;
  }

  /** Adds every record of an iterable; returns this collector. */
  addAll(records: Iterable<SingleJudgment>): this {
    for (const record of records) this.add(record);
    return this;
  }

  /** The data collected so far, as views on the collector's arrays (not copies). */
  columns(): SingleScoreColumns {
    const size = this.#size;
    const sum = (index: number) => this.#sums[index]?.subarray(0, size) ?? new Float64Array(0);
    return {
      models: this.#models,
      tallies: this.#tallies,
      questions: this.#questions,
      unitModel: this.#unitModel.subarray(0, size),
      unitQuestion: this.#unitQuestion.subarray(0, size),
      turn1Sum: sum(TURN1_SUM),
      turn1Count: sum(TURN1_COUNT),
      turn2Sum: sum(TURN2_SUM),
      turn2Count: sum(TURN2_COUNT),
      totalSum: sum(TOTAL_SUM),
      totalCount: sum(TOTAL_COUNT),
    };
  }

  #addModel(name: string): number {
    const id = this.#models.length;
    this.#models.push(name);
    this.#modelIds.set(name, id);
    this.#tallies.push({
      records: 0,
      scoreMinusOne: 0,
      errors: 0,
      duplicateKeys: 0,
      duplicateRecords: 0,
    });
    this.#rows.push(new Int32Array(0));
    return id;
  }

  /** The unit of a (model, question) pair, created when new. */
  #unit(model: number, questionId: QuestionId): number {
    let question = this.#questionIds.get(questionId);
    if (question === undefined) {
      question = this.#questions.length;
      this.#questions.push(questionId);
      this.#questionIds.set(questionId, question);
    }
    // Usually every model answers the same few questions: a dense row per
    // model, indexed by question, finds the unit without hashing. A row that
    // would grow past its share of memory moves its model to the hash table.
    const row = this.#rows[model]!;
    if (row !== null) {
      if (question < row.length) {
        const unit = row[question]!;
        return unit !== -1 ? unit : (row[question] = this.#addUnit(model, question));
      }
      const length = 2 ** Math.ceil(Math.log2(question + 1));
      if (this.#denseCells - row.length + length <= 4 * this.#size + DENSE_ALLOWANCE) {
        const grown = new Int32Array(length).fill(-1);
        grown.set(row);
        this.#rows[model] = grown;
        this.#denseCells += length - row.length;
        return (grown[question] = this.#addUnit(model, question));
      }
      this.#rows[model] = null;
      this.#denseCells -= row.length;
      row.forEach((unit) => {
        if (unit !== -1) this.#hashInsert(unit);
      });
    }
    return this.#hashFind(model, question);
  }

  /** Finds or adds a unit in the hash table (open addressing, linear probing, half full at most). */
  #hashFind(model: number, question: number): number {
    if (this.#hashed * 2 >= this.#table.length) this.#rehash();
    const table = this.#table;
    const mask = table.length - 1;
    for (let slot = pairHash(model, question) & mask;; slot = (slot + 1) & mask) {
      const unit = table[slot]!;
      if (unit === -1) {
        this.#hashed++;
        return (table[slot] = this.#addUnit(model, question));
      }
      if (this.#unitModel[unit] === model && this.#unitQuestion[unit] === question) return unit;
    }
  }

  #hashInsert(unit: number): void {
    if (this.#hashed * 2 >= this.#table.length) this.#rehash();
    const table = this.#table;
    const mask = table.length - 1;
    let slot = pairHash(this.#unitModel[unit]!, this.#unitQuestion[unit]!) & mask;
    while (table[slot] !== -1) slot = (slot + 1) & mask;
    table[slot] = unit;
    this.#hashed++;
  }

  #rehash(): void {
    const table = new Int32Array(Math.max(1024, this.#table.length * 2)).fill(-1);
    const mask = table.length - 1;
    for (let unit = 0; unit < this.#size; unit++) {
      if (this.#rows[this.#unitModel[unit]!] !== null) continue;
      let slot = pairHash(this.#unitModel[unit]!, this.#unitQuestion[unit]!) & mask;
      while (table[slot] !== -1) slot = (slot + 1) & mask;
      table[slot] = unit;
    }
    this.#table = table;
  }

  #addUnit(model: number, question: number): number {
    if (this.#size === this.#capacity) this.#grow();
    const unit = this.#size++;
    this.#unitModel[unit] = model;
    this.#unitQuestion[unit] = question;
    return unit;
  }

  /** Counts one more record of a cell; returns how many it has now. */
  #countCell(unit: number, signature: number): number {
    const slots = this.#slotSignature;
    const counts = this.#slotCount;
    const first = unit * SLOTS;
    for (let slot = first; slot < first + SLOTS; slot++) {
      if (slots[slot] === signature) return ++counts[slot]!;
      if (slots[slot] === -1) {
        slots[slot] = signature;
        return (counts[slot] = 1);
      }
    }
    const key = unit * TURN_LIMIT * JUDGE_LIMIT + signature;
    const count = (this.#moreCells.get(key) ?? 0) + 1;
    this.#moreCells.set(key, count);
    return count;
  }

  #grow(): void {
    const capacity = Math.max(1024, this.#capacity * 2);
    if (capacity > UNIT_LIMIT) {
      throw new RangeError(
        `Cannot collect scores: more than ${UNIT_LIMIT} (model, question) pairs`,
      );
    }
    const unitModel = new Uint32Array(capacity);
    unitModel.set(this.#unitModel);
    this.#unitModel = unitModel;
    const unitQuestion = new Uint32Array(capacity);
    unitQuestion.set(this.#unitQuestion);
    this.#unitQuestion = unitQuestion;
    const slotSignature = new Int32Array(capacity * SLOTS).fill(-1);
    slotSignature.set(this.#slotSignature);
    this.#slotSignature = slotSignature;
    const slotCount = new Uint32Array(capacity * SLOTS);
    slotCount.set(this.#slotCount);
    this.#slotCount = slotCount;
    this.#sums = Array.from({ length: 6 }, (_, index) => {
      const array = new Float64Array(capacity);
      const old = this.#sums[index];
      if (old !== undefined) array.set(old);
      return array;
    });
    this.#capacity = capacity;
  }

  #turnId(turn: number): number {
    let id = this.#turnIds.get(turn);
    if (id === undefined) {
      id = this.#turnIds.size;
      if (id >= TURN_LIMIT) {
        throw new RangeError(
          `Cannot collect scores: more than ${TURN_LIMIT} distinct turns, got turn ${turn}`,
        );
      }
      this.#turnIds.set(turn, id);
    }
    return id;
  }

  #judgeId(judgeModel: string, promptName: string): number {
    let prompts = this.#lastPrompts;
    if (judgeModel !== this.#lastJudgeModel) {
      prompts = this.#judgeIds.get(judgeModel) ?? new Map();
      this.#judgeIds.set(judgeModel, prompts);
      this.#lastJudgeModel = judgeModel;
      this.#lastPrompts = prompts;
    }
    let id = prompts.get(promptName);
    if (id === undefined) {
      id = this.#judgeCount++;
      if (id >= JUDGE_LIMIT) {
        throw new RangeError(
          `Cannot collect scores: more than ${JUDGE_LIMIT} distinct judges, got ${
            JSON.stringify([judgeModel, promptName])
          }`,
        );
      }
      prompts.set(promptName, id);
    }
    return id;
  }
}

/** Mixes two 32-bit ids into a hash (multiplicative hashing, then a final avalanche). */
function pairHash(model: number, question: number): number {
  let hash = Math.imul(model, 0x9e3779b1) ^ Math.imul(question, 0x85ebca77);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return hash ^ (hash >>> 13);
}
