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
    this.#push(
      vote.question_id,
      vote.model_a,
      vote.model_b,
      vote.judge,
      WINNER_INDEX.get(vote.winner)!,
      vote.turn,
    );
  }

  /**
   * Adds a parsed JSON value when it is a vote `parseHumanVote` accepts as it
   * stands (integer `question_id`, two different non-empty model names, a known
   * `winner`, a non-empty judge name or a `[model, prompt]` pair, turn 1 or 2),
   * without building the vote; returns false, adding nothing, for anything
   * else, which the caller then hands to `parseHumanVote` for the vote or the
   * error.
   */
  addValue(value: unknown): boolean {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    const id = record.question_id;
    const modelA = record.model_a;
    const modelB = record.model_b;
    const winner = record.winner;
    const judge = record.judge;
    const turn = record.turn;
    if (typeof id !== "number" || !Number.isInteger(id)) return false;
    if (typeof modelA !== "string" || typeof modelB !== "string") return false;
    if (modelA.length === 0 || modelB.length === 0 || modelA === modelB) return false;
    const winnerIndex = typeof winner === "string" ? WINNER_INDEX.get(winner) : undefined;
    if (winnerIndex === undefined || (turn !== 1 && turn !== 2)) return false;
    if (typeof judge === "string") {
      if (judge.length === 0) return false;
    } else if (
      !Array.isArray(judge) || judge.length !== 2 || typeof judge[0] !== "string" ||
      typeof judge[1] !== "string"
    ) {
      return false;
    }
    this.#push(id, modelA, modelB, judge as string | JudgeId, winnerIndex, turn);
    return true;
  }

  #push(
    id: number,
    modelA: string,
    modelB: string,
    judge: string | JudgeId,
    winner: number,
    turn: number,
  ): void {
    const at = this.#size++;
    if (at === this.#turn.length) this.#grow();
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
    this.#modelA[at] = this.#model(modelA);
    this.#modelB[at] = this.#model(modelB);
    this.#judge[at] = this.#judgeId(judge);
    this.#winner[at] = winner;
    this.#turn[at] = turn;
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
