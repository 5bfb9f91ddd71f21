/** Types of the calibration layer: the human-study bench and its items. */
import type { ModelAnswer, Question } from "../data/types.ts";

/** Name of the human-study bench folder. */
export const HUMAN_BENCH = "mt_bench_human";

/** One expert vote on an item, with the winner in the item's (sorted) model order. */
export interface ItemVote {
  /** The voter as stored, e.g. `expert_17`. */
  judge: string;
  /** `model_a` (the model that sorts first) wins, `model_b` wins, or a tie. */
  winner: "model_a" | "model_b" | "tie";
}

/**
 * One (question, model pair, turn) an expert voted on. The models are sorted
 * (`model_a < model_b`), so a vote for either order lands on one item.
 */
export interface HumanBenchItem {
  /** The MT-Bench question. */
  question_id: number;
  /** The model that sorts first. */
  model_a: string;
  /** The model that sorts second. */
  model_b: string;
  /** The turn judged: 1, or 2 (the whole two-turn dialogue, judged on its second answer). */
  turn: number;
  /** The experts' votes on it. */
  votes: ItemVote[];
}

/** An item that could not be assembled, and why. */
export interface UnavailableItem {
  /** The voted item. */
  item: HumanBenchItem;
  /** Why it has not both answers. */
  reason: string;
}

/** The human-study bench: FastChat's layout in memory, plus the voted items. */
export interface HumanBench {
  /** Bench folder name. */
  name: string;
  /** The questions with at least one voted item, in question-file order. */
  questions: Question[];
  /** Answers per model, in question order: the assistant turns the experts saw. */
  answers: Map<string, ModelAnswer[]>;
  /** Items with both answers, sorted by turn, question, model pair. */
  items: HumanBenchItem[];
  /** Voted items without both answers. */
  unavailable: UnavailableItem[];
  /** Answers by the `source` their conversation was rebuilt from. */
  sources: Record<string, number>;
}
