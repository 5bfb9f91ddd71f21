/** Types of the judging layer: FastChat's judges and matches. */
import type { JudgePrompt, ModelAnswer, Question } from "../data/types.ts";

/** FastChat's evaluation modes (`--mode`). */
export type JudgeMode = "single" | "pairwise-baseline" | "pairwise-all";

/** All modes, in FastChat's help order. */
export const JUDGE_MODES: readonly JudgeMode[] = ["single", "pairwise-baseline", "pairwise-all"];

/** FastChat's `Judge`: a judge model with one prompt. */
export interface Judge {
  /** Judge name as given (`--judge-model`); the first element of a record's `judge`. */
  name: string;
  /** The judge prompt. */
  prompt: JudgePrompt;
  /** Uses a reference answer (`*-math-*` prompts). */
  refBased: boolean;
  /** Judges the second turn (`*-multi-turn` prompts). */
  multiTurn: boolean;
}

/** The four judges of a mode, as FastChat's `make_judge_single` / `make_judge_pairwise`. */
export interface JudgeSet {
  default: Judge;
  math: Judge;
  defaultMultiTurn: Judge;
  mathMultiTurn: Judge;
}

/** FastChat's `MatchSingle`: one answer graded alone. */
export interface SingleMatch {
  kind: "single";
  question: Question;
  model: string;
  answer: ModelAnswer;
  judge: Judge;
  /** Reference answer, for reference-based judges. */
  reference?: ModelAnswer | undefined;
  multiTurn: boolean;
}

/** FastChat's `MatchPair`: two answers compared, played in both orders. */
export interface PairMatch {
  kind: "pair";
  question: Question;
  model1: string;
  model2: string;
  answer1: ModelAnswer;
  answer2: ModelAnswer;
  judge: Judge;
  /** Reference answer, for reference-based judges. */
  reference?: ModelAnswer | undefined;
  multiTurn: boolean;
}

/** A match of either kind. */
export type Match = SingleMatch | PairMatch;
