/** Record types of FastChat's `llm_judge` files, with FastChat's field names. */

/** A question id: an integer in MT-Bench, a string in some other benches. */
export type QuestionId = number | string;

/** One line of `<bench>/question.jsonl`. */
export interface Question {
  /** The question's id, unique in its file. */
  question_id: QuestionId;
  /** MT-Bench category, e.g. `writing` or `math`. */
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
  /** Index of the choice (FastChat writes one, index 0). */
  index: number;
  /** One reply per question turn. */
  turns: string[];
}

/** One line of `<bench>/model_answer/<model>.jsonl` or `reference_answer/<judge>.jsonl`. */
export interface ModelAnswer {
  /** The question answered. */
  question_id: QuestionId;
  /** An id of this answer (FastChat writes a shortuuid). */
  answer_id?: string;
  /** The model that answered. */
  model_id: string;
  /** The completions; FastChat's readers use the first. */
  choices: AnswerChoice[];
  /** Unix time the answer was written, in seconds. */
  tstamp?: number;
  /** Anything else the writer stored (generation metadata). */
  [extra: string]: unknown;
}

/** One line of `judge_prompts.jsonl`. */
export interface JudgePrompt {
  /** The prompt's name, e.g. `single-v1` or `pair-v2-multi-turn`. */
  name: string;
  /** Whether it grades one answer (`single`) or compares two (`pairwise`). */
  type: "single" | "pairwise";
  /** The judge's system message. */
  system_prompt: string;
  /** The user message, a Python `str.format` template. */
  prompt_template: string;
  /** What the prompt is for. */
  description: string;
  /** Kind of question it suits, e.g. `general` or `math`. */
  category: string;
  /** How the verdict is written, e.g. `[[rating]]` or `[[A]]`. */
  output_format: string;
}

/** `judge` field of a judgment: `[judge_model, prompt_name]`. */
export type JudgeId = [string, string];

/** One line of `<judge>_single.jsonl`. A score of -1 marks a failed judgment. */
export interface SingleJudgment {
  /** The question judged. */
  question_id: QuestionId;
  /** The model whose answer was graded. */
  model: string;
  /** Judge model and prompt name. */
  judge: JudgeId;
  /** The rendered prompt sent to the judge. */
  user_prompt?: string;
  /** The judge's reply. */
  judgment?: string;
  /** The grade parsed from the reply; -1 when none could be parsed. */
  score: number;
  /** Turn judged (1 or 2). */
  turn: number;
  /** Unix time the judgment was written, in seconds. */
  tstamp?: number;
  /** Set by llm-judge when a judgment failed; FastChat only writes score -1. */
  error?: string;
  /** Anything else the writer stored (e.g. llm-judge's run metadata). */
  [extra: string]: unknown;
}

/** A pairwise verdict of one game. */
export type PairWinner = "model_1" | "model_2" | "tie" | "error";

/** One line of `<judge>_pair.jsonl`: a game played in both orders (g1: A = model_1, g2: A = model_2). */
export interface PairJudgment {
  /** The question judged. */
  question_id: QuestionId;
  /** The model in position A of game 1. */
  model_1: string;
  /** The model in position B of game 1. */
  model_2: string;
  /** Verdict of game 1. */
  g1_winner: PairWinner;
  /** Verdict of game 2 (positions swapped), still named `model_1` or `model_2`. */
  g2_winner: PairWinner;
  /** Judge model and prompt name. */
  judge: JudgeId;
  /** The rendered prompt of game 1. */
  g1_user_prompt?: string;
  /** The judge's reply in game 1. */
  g1_judgment?: string;
  /** The rendered prompt of game 2. */
  g2_user_prompt?: string;
  /** The judge's reply in game 2. */
  g2_judgment?: string;
  /** Turn judged (1 or 2). */
  turn: number;
  /** Unix time the judgment was written, in seconds. */
  tstamp?: number;
  /** Set by llm-judge when a judgment failed. */
  error?: string;
  /** Anything else the writer stored (e.g. llm-judge's run metadata). */
  [extra: string]: unknown;
}

/** A judgment record of either kind. */
export type Judgment = SingleJudgment | PairJudgment;

/** A chat message as stored in the human-judgment dataset. */
export interface ChatMessage {
  /** `user` or `assistant` (as stored). */
  role: string;
  /** The message text. */
  content: string;
}

/**
 * One vote of `lmsys/mt_bench_human_judgments` (either split). `winner` is
 * `model_a`, `model_b`, `tie` or (GPT-4 pair split) `tie (inconsistent)`.
 */
export interface HumanVote {
  /** The MT-Bench question voted on. */
  question_id: number;
  /** First model shown to the judge. */
  model_a: string;
  /** Second model shown to the judge. */
  model_b: string;
  /** `model_a`, `model_b`, `tie` or `tie (inconsistent)`. */
  winner: string;
  /** `expert_N`/`author_N` for humans; `gpt4_pair` or `["gpt-4","pair-v2"]` for GPT-4. */
  judge: string | JudgeId;
  /** Turn voted on (1 or 2). */
  turn: number;
  /** The conversation of `model_a` (question and answers), when the split carries it. */
  conversation_a?: ChatMessage[];
  /** The conversation of `model_b`, when the split carries it. */
  conversation_b?: ChatMessage[];
}

/** Returns true when a judgment record is a pairwise one. */
export function isPairJudgment(record: Judgment): record is PairJudgment {
  return "g1_winner" in record;
}

/** Winners of {@linkcode HumanVoteColumns}, indexed by its `winner` column. */
export const HUMAN_VOTE_WINNERS = ["model_a", "model_b", "tie", "tie (inconsistent)"] as const;

/** Where a vote of a {@linkcode HumanVoteColumns} was read. */
export interface HumanVoteSource {
  /** Path of the file. */
  file: string;
  /** 1-based line (JSON: the line the element starts on) or parquet row. */
  line: number;
  /** What `line` counts. */
  unit: "line" | "row";
}

/**
 * Validated human-judgment votes (labels only) in columns, for counting many
 * votes without an object per vote: names, judges and question ids are stored
 * once in tables, and each vote holds indices into them.
 */
export interface HumanVoteColumns {
  /** Number of votes. */
  size: number;
  /** Question ids, indexed by `question`. */
  questionIds: number[];
  /** Each vote's question: an index into `questionIds`. */
  question: Int32Array;
  /** Model names, indexed by `modelA` and `modelB`. */
  models: string[];
  /** Each vote's `model_a`: an index into `models`. */
  modelA: Int32Array;
  /** Each vote's `model_b`: an index into `models`. */
  modelB: Int32Array;
  /** Judges, indexed by `judge`. */
  judges: (string | JudgeId)[];
  /** Each vote's judge: an index into `judges`. */
  judge: Int32Array;
  /** Each vote's winner: an index into {@linkcode HUMAN_VOTE_WINNERS}. */
  winner: Uint8Array;
  /** Each vote's turn (1 or 2). */
  turn: Uint8Array;
  /** Where vote `index` was read (its line is found when read: for error messages). */
  source(index: number): HumanVoteSource;
}
