/** Shapes of the QA browser's JSON API (`/api/*`). The page reads exactly these. */
import type { PairWinner, Question, QuestionId } from "../data/types.ts";

/** An error as the API reports it: the message, plus the file, line and field for bad data. */
export interface BrowseApiError {
  /** `data` for bad or missing input files, `request` for a bad query, `internal` otherwise. */
  kind: "data" | "request" | "not_found" | "internal";
  /** The full message; for data errors it names the file, line and field. */
  message: string;
  /** The file with the bad data. */
  file?: string;
  /** 1-based line (or parquet row) in `file`. */
  line?: number;
  /** The field at fault. */
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
  /** The question's id. */
  question_id: QuestionId;
  /** The question's category. */
  category: string;
  /** Number of turns. */
  turns: number;
  /** The start of the first turn, for the list. */
  preview: string;
}

/** A model that can be shown: it has an answer file, or conversations in the vote data. */
export interface BrowseModel {
  /** The model's name. */
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
  /** The bench's folder name, e.g. `mt_bench`. */
  bench: string;
  /** Categories in question-file order. */
  categories: string[];
  /** Every question of the bench, in file order. */
  questions: QuestionSummary[];
  /** Models that can be shown, sorted by name. */
  models: BrowseModel[];
  /** Judgment files found under `<bench>/model_judgment/`, by file name. */
  judgmentFiles: string[];
  /** Reference answer files under `<bench>/reference_answer/`, by judge name. */
  references: string[];
  /** Judges for the disagreement view. */
  judges: JudgeOption[];
  /** Whether human-judgment votes apply to this bench (`mt_bench` only). */
  humanVotes: boolean;
  /**
   * The models the page opens on (model A, then model B, if any): the pair with
   * the most judgments and votes on the first question, else the first two models.
   */
  defaultModels: string[];
  /** Problems that did not stop the listing (e.g. a bad vote file). */
  warnings: BrowseApiError[];
}

/** Where an answer version comes from. */
export type AnswerSource = "file" | "earlier" | "voted";

/** One version of a model's answer. */
export interface AnswerVersion {
  /** Where this version comes from. */
  source: AnswerSource;
  /** The file it was read from. */
  path: string;
  /** One reply per turn. */
  turns: string[];
}

/** A model's answer to one question, in every version found. */
export interface AnswerView {
  /** The model's name. */
  model: string;
  /** Every version found: `file`, `earlier`, `voted`, in that order. */
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
  /** Turn voted on (1 or 2). */
  turn: number;
  /** `expert_17`, `author_2`, `gpt4_pair`, or `gpt-4/pair-v2`. */
  judge: string;
  /** The judge group: `human` (experts), `author` or `gpt4-pair`. */
  group: string;
  /** First model shown to the judge. */
  model_a: string;
  /** Second model shown to the judge. */
  model_b: string;
  /** `model_a`, `model_b`, or a text containing `tie`. */
  winner: string;
  /** The winning model's name, or null for a tie. */
  winnerModel: string | null;
}

/** `GET /api/question?bench=…&question=…&model=…[&model=…]`. */
export interface QuestionView {
  /** The bench's folder name. */
  bench: string;
  /** The question, as in `question.jsonl`. */
  question: Question;
  /** Reference answers: name (judge) → one answer per turn. */
  references: { name: string; turns: string[] }[];
  /** The models shown, in request order. */
  answers: AnswerView[];
  /** Votes on this question: for two models, the votes on that pair; for one, every vote with it. */
  votes: VoteView[];
  /** Problems that did not stop the view. */
  warnings: BrowseApiError[];
}

/** A single-answer grade, as shown. */
export interface SingleJudgmentView {
  /** Tells single grades from pairwise judgments. */
  kind: "single";
  /** 1-based line in the judgment file. */
  line: number;
  /** Judge model and prompt name, e.g. `["gpt-4", "single-v1"]`. */
  judge: [string, string];
  /** Turn judged (1 or 2). */
  turn: number;
  /** The model graded. */
  model: string;
  /** The grade (-1 is FastChat's mark for a reply with no grade). */
  score: number;
  /** The judge's reply. */
  judgment: string;
  /** Set when the judgment failed. */
  error?: string;
}

/** A pairwise judgment (both games), as shown. */
export interface PairJudgmentView {
  /** Tells single grades from pairwise judgments. */
  kind: "pair";
  /** 1-based line in the judgment file. */
  line: number;
  /** Judge model and prompt name, e.g. `["gpt-4", "pair-v2"]`. */
  judge: [string, string];
  /** Turn judged (1 or 2). */
  turn: number;
  /** The model in position A of game 1. */
  model_1: string;
  /** The model in position B of game 1. */
  model_2: string;
  /** Winner of game 1 (model_1 first). */
  g1_winner: PairWinner;
  /** Winner of game 2 (positions swapped), still named `model_1` or `model_2`. */
  g2_winner: PairWinner;
  /** The judge's reply in game 1. */
  g1_judgment: string;
  /** The judge's reply in game 2. */
  g2_judgment: string;
  /** Set when the judgment failed. */
  error?: string;
}

/** The records of one judgment file for a question and the models shown. */
export interface JudgmentFileView {
  /** The judgment file's name, e.g. `gpt-4_single.jsonl`. */
  name: string;
  /** Records on the question and the models shown, in file order. */
  records: (SingleJudgmentView | PairJudgmentView)[];
  /** Set when the file could not be read. */
  error?: BrowseApiError;
}

/** `GET /api/judgments?bench=…&question=…&model=…[&model=…]`. */
export interface JudgmentsView {
  /** The bench's folder name. */
  bench: string;
  /** The question's id. */
  question_id: QuestionId;
  /** One entry per judgment file of the bench, by file name. */
  files: JudgmentFileView[];
}

/** Vote counts of one judge on one key, relative to the ordered pair. */
export interface VerdictCounts {
  /** Votes for the model that sorts first (`model_a`). */
  model_a: number;
  /** Votes for the model that sorts second (`model_b`). */
  model_b: number;
  /** Tie votes. */
  tie: number;
}

/** One (question, turn, model pair) on which two judges disagree. */
export interface DisagreementRow {
  /** The question's id. */
  question_id: QuestionId;
  /** The question's category. */
  category: string;
  /** Turn voted on (1 or 2). */
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
  /** The bench's folder name. */
  bench: string;
  /** The two judges compared, as requested. */
  judges: [string, string];
  /** Whether tie votes were left out (FastChat's "without tie"). */
  ties: boolean;
  /** Keys both judges voted on (after the filters). */
  keys: number;
  /** Agreeing and total vote pairs over those keys. */
  agree: number;
  /** Vote pairs compared over those keys. */
  total: number;
  /** Keys with at least one disagreeing pair, most disagreeing first. */
  rows: DisagreementRow[];
  /** Rows left out by the limit. */
  truncated: number;
}
