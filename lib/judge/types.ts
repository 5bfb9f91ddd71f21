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
  /** First turns of questions outside {@linkcode REFERENCE_CATEGORIES}. */
  default: Judge;
  /** First turns of questions in {@linkcode REFERENCE_CATEGORIES} (reference-based). */
  math: Judge;
  /** Second turns of questions outside {@linkcode REFERENCE_CATEGORIES}. */
  defaultMultiTurn: Judge;
  /** Second turns of questions in {@linkcode REFERENCE_CATEGORIES} (reference-based). */
  mathMultiTurn: Judge;
}

/** FastChat's `MatchSingle`: one answer graded alone. */
export interface SingleMatch {
  /** Tells single matches from pairs. */
  kind: "single";
  /** The question. */
  question: Question;
  /** The model whose answer is graded. */
  model: string;
  /** That model's answer. */
  answer: ModelAnswer;
  /** The judge that grades it. */
  judge: Judge;
  /** Reference answer, for reference-based judges. */
  reference?: ModelAnswer | undefined;
  /** Whether the second turn is judged. */
  multiTurn: boolean;
}

/** FastChat's `MatchPair`: two answers compared, played in both orders. */
export interface PairMatch {
  /** Tells single matches from pairs. */
  kind: "pair";
  /** The question. */
  question: Question;
  /** The model in position A of game 1. */
  model1: string;
  /** The model in position B of game 1. */
  model2: string;
  /** `model1`'s answer. */
  answer1: ModelAnswer;
  /** `model2`'s answer. */
  answer2: ModelAnswer;
  /** The judge that compares them. */
  judge: Judge;
  /** Reference answer, for reference-based judges. */
  reference?: ModelAnswer | undefined;
  /** Whether the second turn is judged. */
  multiTurn: boolean;
}

/** A match of either kind. */
export type Match = SingleMatch | PairMatch;
