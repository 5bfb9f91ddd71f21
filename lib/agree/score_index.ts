import { DataError } from "../data/data_error.ts";
import type { QuestionId, SingleJudgment } from "../data/types.ts";
import type { VoteSource } from "./vote_tally.ts";

/** The grades of one (turn, question): model → score. */
export interface ScoreGroup {
  /** Turn number (1 or 2). */
  turn: number;
  /** Question the grades are for. */
  question_id: QuestionId;
  /** Grade of each model on this turn and question. */
  scores: ReadonlyMap<string, number>;
}

/**
 * One judge's single-answer grades indexed by (turn, question, model), for turning a
 * FastChat `*_single.jsonl` file into pairwise votes. Failed judgments (score
 * -1, FastChat's mark, or an `error` field) are not indexed but counted in
 * {@linkcode ScoreIndex.failed}. A second grade for the same (turn, question,
 * model) is an error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ScoreIndex } from "./score_index.ts";
 * const scores = new ScoreIndex("gpt-4_single.jsonl");
 * const judge: [string, string] = ["gpt-4", "single-v1"];
 * scores.add({ question_id: 81, model: "a", judge, score: 7, turn: 1 });
 * scores.add({ question_id: 81, model: "b", judge, score: -1, turn: 1 });
 * assert.equal(scores.get(1, 81, "a"), 7);
 * assert.equal(scores.get(1, 81, "b"), undefined);
 * assert.equal(scores.size, 1);
 * assert.equal(scores.failed, 1);
 * ```
 */
export class ScoreIndex {
  /** The judge the grades are from, as named in the tally. */
  readonly judge: string;
  /** Grades indexed. */
  size = 0;
  /** Failed judgments skipped. */
  failed = 0;
  readonly #turns = new Map<number, Map<QuestionId, Map<string, number>>>();

  /**
   * Creates an empty index for one judge's grades.
   * @param judge The judge's name as in the tally (see {@linkcode ScoreIndex.judge}).
   */
  constructor(judge: string) {
    this.judge = judge;
  }

  /** Indexes one grade; returns false for a failed judgment. */
  add(record: SingleJudgment, source?: VoteSource): boolean {
    if (record.score === -1 || record.error !== undefined) {
      this.failed++;
      return false;
    }
    let questions = this.#turns.get(record.turn);
    if (questions === undefined) {
      questions = new Map();
      this.#turns.set(record.turn, questions);
    }
    let models = questions.get(record.question_id);
    if (models === undefined) {
      models = new Map();
      questions.set(record.question_id, models);
    }
    if (models.has(record.model)) {
      const reason = `a second grade for model ${JSON.stringify(record.model)}, question_id ${
        JSON.stringify(record.question_id)
      }, turn ${record.turn}`;
      if (source !== undefined) {
        throw new DataError(reason, {
          file: source.file,
          line: source.line,
          unit: source.unit,
          field: "model",
        });
      }
      throw new RangeError(`Cannot index scores: ${reason}`);
    }
    models.set(record.model, record.score);
    this.size++;
    return true;
  }

  /** The grade of a model on a question and turn, if indexed. */
  get(turn: number, questionId: QuestionId, model: string): number | undefined {
    return this.#turns.get(turn)?.get(questionId)?.get(model);
  }

  /** Every (turn, question) with its grades. */
  *groups(): Generator<ScoreGroup> {
    for (const [turn, questions] of this.#turns) {
      for (const [questionId, scores] of questions) {
        yield { turn, question_id: questionId, scores };
      }
    }
  }
}
