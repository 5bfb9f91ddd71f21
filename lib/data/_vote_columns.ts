import { HUMAN_VOTE_WINNERS, type HumanVote, type JudgeId } from "./types.ts";
import type { HumanVoteColumns } from "./types.ts";

/** A {@linkcode HumanVoteColumns} without its `source`, as a worker posts it. */
export type VoteColumnsData = Omit<HumanVoteColumns, "source">;

const WINNER_INDEX: ReadonlyMap<string, number> = new Map(
  HUMAN_VOTE_WINNERS.map((winner, index) => [winner, index]),
);

/** Collects validated votes into columns. */
export class VoteColumnsBuilder {
  #size = 0;
  #questionIds: number[] = [];
  #questionIndex = new Map<number, number>();
  #models: string[] = [];
  #modelIndex = new Map<string, number>();
  #judges: (string | JudgeId)[] = [];
  #judgeIndex = new Map<string, number>();
  #pairJudgeIndex = new Map<string, Map<string, number>>();
  #question = new Int32Array(1024);
  #modelA = new Int32Array(1024);
  #modelB = new Int32Array(1024);
  #judge = new Int32Array(1024);
  #winner = new Uint8Array(1024);
  #turn = new Uint8Array(1024);
  #lastQuestion = Number.NaN;
  #lastQuestionIndex = -1;

  /** Number of votes added. */
  get size(): number {
    return this.#size;
  }

  /** Adds a validated vote. */
  add(vote: HumanVote): void {
    const at = this.#size++;
    if (at === this.#turn.length) this.#grow();
    const id = vote.question_id;
    if (id !== this.#lastQuestion) {
      let index = this.#questionIndex.get(id);
      if (index === undefined) {
        index = this.#questionIds.length;
        this.#questionIndex.set(id, index);
        this.#questionIds.push(id);
      }
      this.#lastQuestion = id;
      this.#lastQuestionIndex = index;
    }
    this.#question[at] = this.#lastQuestionIndex;
    this.#modelA[at] = this.#model(vote.model_a);
    this.#modelB[at] = this.#model(vote.model_b);
    this.#judge[at] = this.#judgeId(vote.judge);
    this.#winner[at] = WINNER_INDEX.get(vote.winner)!;
    this.#turn[at] = vote.turn;
  }

  /** The columns so far (copies, so the builder's buffers can be dropped or transferred). */
  build(): VoteColumnsData {
    const size = this.#size;
    return {
      size,
      questionIds: this.#questionIds,
      question: this.#question.slice(0, size),
      models: this.#models,
      modelA: this.#modelA.slice(0, size),
      modelB: this.#modelB.slice(0, size),
      judges: this.#judges,
      judge: this.#judge.slice(0, size),
      winner: this.#winner.slice(0, size),
      turn: this.#turn.slice(0, size),
    };
  }

  #model(name: string): number {
    let index = this.#modelIndex.get(name);
    if (index === undefined) {
      index = this.#models.length;
      this.#modelIndex.set(name, index);
      this.#models.push(name);
    }
    return index;
  }

  #judgeId(judge: string | JudgeId): number {
    let indices = this.#judgeIndex;
    let key: string;
    if (typeof judge === "string") key = judge;
    else {
      let byPrompt = this.#pairJudgeIndex.get(judge[0]);
      if (byPrompt === undefined) this.#pairJudgeIndex.set(judge[0], byPrompt = new Map());
      indices = byPrompt;
      key = judge[1];
    }
    let index = indices.get(key);
    if (index === undefined) {
      index = this.#judges.length;
      indices.set(key, index);
      this.#judges.push(judge);
    }
    return index;
  }

  #grow(): void {
    const capacity = this.#turn.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.#question = grow(this.#question, new Int32Array(capacity));
    this.#modelA = grow(this.#modelA, new Int32Array(capacity));
    this.#modelB = grow(this.#modelB, new Int32Array(capacity));
    this.#judge = grow(this.#judge, new Int32Array(capacity));
    this.#winner = grow(this.#winner, new Uint8Array(capacity));
    this.#turn = grow(this.#turn, new Uint8Array(capacity));
  }
}
