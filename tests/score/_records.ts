/** Record builders and sample readers shared by the score tests. */
import { join } from "node:path";
import {
  isPairJudgment,
  type PairJudgment,
  type PairWinner,
  readJudgments,
  type SingleJudgment,
} from "../../lib/data/mod.ts";
import { SHARED_DATA } from "../_helpers.ts";

/** A single judgment with FastChat's fields. */
export function single(
  model: string,
  questionId: number | string,
  turn: number,
  score: number,
  extra: Partial<SingleJudgment> = {},
): SingleJudgment {
  const prompt = turn === 1 ? "single-v1" : "single-v1-multi-turn";
  return { question_id: questionId, model, judge: ["gpt-4", prompt], score, turn, ...extra };
}

/** A pairwise judgment with FastChat's fields. */
export function pair(
  model1: string,
  model2: string,
  g1: PairWinner,
  g2: PairWinner,
  extra: Partial<PairJudgment> = {},
): PairJudgment {
  return {
    question_id: 81,
    model_1: model1,
    model_2: model2,
    g1_winner: g1,
    g2_winner: g2,
    judge: ["gpt-4", "pair-v2"],
    turn: 1,
    ...extra,
  };
}

/** Path of a sample judgment file under the shared data root. */
export function samplePath(set: string, file: string): string {
  return join(SHARED_DATA, "samples", set, "model_judgment", file);
}

/** The single records of a sample judgment file. */
export async function sampleSingles(set: string, file: string): Promise<SingleJudgment[]> {
  const records = await readJudgments(samplePath(set, file));
  return records.filter((record): record is SingleJudgment => !isPairJudgment(record));
}

/** The pairwise records of a sample judgment file. */
export async function samplePairs(set: string, file: string): Promise<PairJudgment[]> {
  const records = await readJudgments(samplePath(set, file));
  return records.filter(isPairJudgment);
}

/** Asserts two numbers agree to 1e-9. */
export function near(actual: number | undefined, expected: number, message?: string): void {
  if (actual === undefined || !(Math.abs(actual - expected) <= 1e-9)) {
    throw new Error(`${message ?? "value"}: expected ${expected}, got ${actual}`);
  }
}

/** Every number in a value, recursively (to check that results hold no NaN). */
export function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(numbersIn);
  return [];
}
