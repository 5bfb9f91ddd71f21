/** Shapes of the QA browser's JSON API (`/api/*`). The page reads exactly these. */
import type { PairWinner, Question, QuestionId } from "../data/types.ts";

/** An error as the API reports it: the message, plus the file, line and field for bad data. */
export interface BrowseApiError {
  /** `data` for bad or missing input files, `request` for a bad query, `internal` otherwise. */
  kind: "data" | "request" | "not_found" | "internal";
  /** The full message; for data errors it names the file, line and field. */
  message: string;
  file?: string;
  line?: number;
  field?: string;
}

/** `GET /api/benches`. */
export interface BenchList {
  /** The data root, as given to the server. */
  root: string;
  /** Every folder under the root with a `question.jsonl`, sorted by name. */
  benches: string[];
}

/** A question in a bench's list, without its full text. */
export interface QuestionSummary {
  question_id: QuestionId;
  category: string;
  /** Number of turns. */
  turns: number;
  /** The start of the first turn, for the list. */
  preview: string;
}

/** A model that can be shown: it has an answer file, or conversations in the vote data. */
export interface BrowseModel {
  name: string;
  /** Has `<bench>/model_answer/<name>.jsonl`. */
  answerFile: boolean;
  /** Has `<bench>/model_answer_earlier/<name>.jsonl`. */
  earlierFile: boolean;
  /** Appears in the human-judgment votes of this bench. */
  voted: boolean;
}

/** A judge the disagreement view can compare. */
export interface JudgeOption {
  /** `gpt4-pair`, `human`, `author`, or a judgment file name such as `gpt-4_pair.jsonl`. */
  name: string;
  /** What it stands for, for the page. */
  label: string;
}

/** `GET /api/bench?bench=…`. */
export interface BenchInfo {
  bench: string;
  categories: string[];
  questions: QuestionSummary[];
  models: BrowseModel[];
  /** Judgment files found under `<bench>/model_judgment/`, by file name. */
  judgmentFiles: string[];
  /** Reference answer files under `<bench>/reference_answer/`, by judge name. */
  references: string[];
  /** Judges for the disagreement view. */
  judges: JudgeOption[];
  /** Whether human-judgment votes apply to this bench (`mt_bench` only). */
  humanVotes: boolean;
  /** Problems that did not stop the listing (e.g. a bad vote file). */
  warnings: BrowseApiError[];
}

/** Where an answer version comes from. */
export type AnswerSource = "file" | "earlier" | "voted";

/** One version of a model's answer. */
export interface AnswerVersion {
  source: AnswerSource;
  /** The file it was read from. */
  path: string;
  /** One reply per turn. */
  turns: string[];
}

/** A model's answer to one question, in every version found. */
export interface AnswerView {
  model: string;
  versions: AnswerVersion[];
  /**
   * The version the page shows by default: the one the human judges saw (`voted`,
   * else `earlier`) when the view shows human votes for this model, else `file`.
   */
  preferred: AnswerSource | null;
  /** Set when a file of this model could not be read. */
  error?: BrowseApiError;
}

/** A human-judgment vote, as shown. */
export interface VoteView {
  turn: number;
  /** `expert_17`, `author_2`, `gpt4_pair`, or `gpt-4/pair-v2`. */
  judge: string;
  /** The judge group: `human` (experts), `author` or `gpt4-pair`. */
  group: string;
  model_a: string;
  model_b: string;
  winner: string;
  /** The winning model's name, or null for a tie. */
  winnerModel: string | null;
}

/** `GET /api/question?bench=…&question=…&model=…[&model=…]`. */
export interface QuestionView {
  bench: string;
  question: Question;
  /** Reference answers: name (judge) → one answer per turn. */
  references: { name: string; turns: string[] }[];
  answers: AnswerView[];
  /** Votes on this question: for two models, the votes on that pair; for one, every vote with it. */
  votes: VoteView[];
  /** Problems that did not stop the view. */
  warnings: BrowseApiError[];
}

/** A single-answer grade, as shown. */
export interface SingleJudgmentView {
  kind: "single";
  /** 1-based line in the judgment file. */
  line: number;
  judge: [string, string];
  turn: number;
  model: string;
  score: number;
  judgment: string;
  error?: string;
}

/** A pairwise judgment (both games), as shown. */
export interface PairJudgmentView {
  kind: "pair";
  line: number;
  judge: [string, string];
  turn: number;
  model_1: string;
  model_2: string;
  g1_winner: PairWinner;
  g2_winner: PairWinner;
  g1_judgment: string;
  g2_judgment: string;
  error?: string;
}

/** The records of one judgment file for a question and the models shown. */
export interface JudgmentFileView {
  name: string;
  records: (SingleJudgmentView | PairJudgmentView)[];
  error?: BrowseApiError;
}

/** `GET /api/judgments?bench=…&question=…&model=…[&model=…]`. */
export interface JudgmentsView {
  bench: string;
  question_id: QuestionId;
  files: JudgmentFileView[];
}

/** Vote counts of one judge on one key, relative to the ordered pair. */
export interface VerdictCounts {
  /** Votes for the model that sorts first (`model_a`). */
  model_a: number;
  /** Votes for the model that sorts second (`model_b`). */
  model_b: number;
  tie: number;
}

/** One (question, turn, model pair) on which two judges disagree. */
export interface DisagreementRow {
  question_id: QuestionId;
  category: string;
  turn: number;
  /** The model that sorts first. */
  model_a: string;
  /** The model that sorts second. */
  model_b: string;
  /** Votes of the first and second judge. */
  votes: [VerdictCounts, VerdictCounts];
  /** Agreeing vote pairs on this key (FastChat's pairing). */
  agree: number;
  /** Vote pairs compared on this key. */
  total: number;
}

/** `GET /api/disagreements?bench=…&judge=…&judge=…`. */
export interface DisagreementList {
  bench: string;
  judges: [string, string];
  /** Whether tie votes were left out (FastChat's "without tie"). */
  ties: boolean;
  /** Keys both judges voted on (after the filters). */
  keys: number;
  /** Agreeing and total vote pairs over those keys. */
  agree: number;
  total: number;
  /** Keys with at least one disagreeing pair, most disagreeing first. */
  rows: DisagreementRow[];
  /** Rows left out by the limit. */
  truncated: number;
}
