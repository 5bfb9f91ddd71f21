/** Record types of FastChat's `llm_judge` files, with FastChat's field names. */

/** A question id: an integer in MT-Bench, a string in some other benches. */
export type QuestionId = number | string;

/** One line of `<bench>/question.jsonl`. */
export interface Question {
  question_id: QuestionId;
  category: string;
  /** One prompt per turn. */
  turns: string[];
  /**
   * Reference hints some benches carry inline: a list in MT-Bench, a Python-repr
   * string of a list in ServiceNow's German MT-Bench. Kept as stored.
   */
  reference?: string[] | string;
  /** Language the bench declares, e.g. `"German"`. */
  lang?: string;
}

/** One generated completion of a multi-turn answer. */
export interface AnswerChoice {
  index: number;
  /** One reply per question turn. */
  turns: string[];
}

/** One line of `<bench>/model_answer/<model>.jsonl` or `reference_answer/<judge>.jsonl`. */
export interface ModelAnswer {
  question_id: QuestionId;
  answer_id?: string;
  model_id: string;
  choices: AnswerChoice[];
  tstamp?: number;
  /** Anything else the writer stored (generation metadata). */
  [extra: string]: unknown;
}

/** One line of `judge_prompts.jsonl`. */
export interface JudgePrompt {
  name: string;
  type: "single" | "pairwise";
  system_prompt: string;
  prompt_template: string;
  description: string;
  category: string;
  output_format: string;
}

/** `judge` field of a judgment: `[judge_model, prompt_name]`. */
export type JudgeId = [string, string];

/** One line of `<judge>_single.jsonl`. A score of -1 marks a failed judgment. */
export interface SingleJudgment {
  question_id: QuestionId;
  model: string;
  judge: JudgeId;
  user_prompt?: string;
  judgment?: string;
  score: number;
  turn: number;
  tstamp?: number;
  /** Set by llm-judge when a judgment failed; FastChat only writes score -1. */
  error?: string;
  [extra: string]: unknown;
}

/** A pairwise verdict of one game. */
export type PairWinner = "model_1" | "model_2" | "tie" | "error";

/** One line of `<judge>_pair.jsonl`: a game played in both orders (g1: A = model_1, g2: A = model_2). */
export interface PairJudgment {
  question_id: QuestionId;
  model_1: string;
  model_2: string;
  g1_winner: PairWinner;
  g2_winner: PairWinner;
  judge: JudgeId;
  g1_user_prompt?: string;
  g1_judgment?: string;
  g2_user_prompt?: string;
  g2_judgment?: string;
  turn: number;
  tstamp?: number;
  error?: string;
  [extra: string]: unknown;
}

/** A judgment record of either kind. */
export type Judgment = SingleJudgment | PairJudgment;

/** A chat message as stored in the human-judgment dataset. */
export interface ChatMessage {
  role: string;
  content: string;
}

/**
 * One vote of `lmsys/mt_bench_human_judgments` (either split). `winner` is
 * `model_a`, `model_b`, `tie` or (GPT-4 pair split) `tie (inconsistent)`.
 */
export interface HumanVote {
  question_id: number;
  model_a: string;
  model_b: string;
  winner: string;
  /** `expert_N`/`author_N` for humans; `gpt4_pair` or `["gpt-4","pair-v2"]` for GPT-4. */
  judge: string | JudgeId;
  turn: number;
  conversation_a?: ChatMessage[];
  conversation_b?: ChatMessage[];
}

/** Returns true when a judgment record is a pairwise one. */
export function isPairJudgment(record: Judgment): record is PairJudgment {
  return "g1_winner" in record;
}
