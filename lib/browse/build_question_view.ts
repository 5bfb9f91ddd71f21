import type { HumanVote, Question } from "../data/types.ts";
import { judgeGroup } from "../agree/judge_group.ts";
import type {
  AnswerSource,
  AnswerVersion,
  AnswerView,
  BrowseApiError,
  QuestionView,
  VoteView,
} from "./types.ts";

/** A model's answer versions, as read by the caller. */
export interface ModelAnswerVersions {
  /** The model's name. */
  model: string;
  /** The versions found, in the order shown. */
  versions: AnswerVersion[];
  /** Set when one of the model's files could not be read. */
  error?: BrowseApiError;
}

/** What {@linkcode buildQuestionView} assembles. */
export interface QuestionViewInput {
  /** The bench's folder name. */
  bench: string;
  /** The question, as in `question.jsonl`. */
  question: Question;
  /** Reference answers, by judge name. */
  references: { name: string; turns: string[] }[];
  /** The models shown (one or two), in order, with their answer versions. */
  answers: ModelAnswerVersions[];
  /** Human-judgment votes on this question (any models); filtered here. */
  votes: readonly HumanVote[];
  /** Problems found while reading, passed through. */
  warnings?: BrowseApiError[];
}

/**
 * Assembles the JSON of the question view: the question, the references, each
 * model's answer versions with the one to show by default, and the votes that
 * concern the models shown (for two models: the votes on that pair, in either
 * order; for one: every vote that includes it).
 *
 * The default version is what the human judges saw when the view shows votes
 * for that model: the conversation from the vote data (`voted`), else the
 * earlier answer file (`earlier`), else the answer file. Without votes it is
 * the answer file, else whatever exists.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildQuestionView } from "./build_question_view.ts";
 * const view = buildQuestionView({
 *   bench: "mt_bench",
 *   question: { question_id: 81, category: "writing", turns: ["Q1", "Q2"] },
 *   references: [],
 *   answers: [
 *     { model: "a", versions: [{ source: "file", path: "a.jsonl", turns: ["A1", "A2"] }] },
 *     { model: "b", versions: [{ source: "file", path: "b.jsonl", turns: ["B1", "B2"] }] },
 *   ],
 *   votes: [{ question_id: 81, model_a: "b", model_b: "a", winner: "model_a", judge: "expert_3", turn: 1 }],
 * });
 * assert.equal(view.votes[0]!.winnerModel, "b");
 * assert.equal(view.votes[0]!.group, "human");
 * assert.equal(view.answers[0]!.preferred, "file");
 * ```
 */
export function buildQuestionView(input: QuestionViewInput): QuestionView {
  const models = input.answers.map((answer) => answer.model);
  const shown = input.votes.filter((vote) => concerns(vote, models));
  const votes = shown.map(voteView).sort((x, y) =>
    x.turn - y.turn || groupRank(x.group) - groupRank(y.group) || x.judge.localeCompare(y.judge)
  );
  const votedModels = new Set(votes.flatMap((vote) => [vote.model_a, vote.model_b]));
  const answers: AnswerView[] = input.answers.map((answer) => {
    const view: AnswerView = {
      model: answer.model,
      versions: answer.versions,
      preferred: preferredSource(answer.versions, votedModels.has(answer.model)),
    };
    if (answer.error !== undefined) view.error = answer.error;
    return view;
  });
  return {
    bench: input.bench,
    question: input.question,
    references: input.references,
    answers,
    votes,
    warnings: input.warnings ?? [],
  };
}

function concerns(vote: HumanVote, models: readonly string[]): boolean {
  if (models.length === 1) return vote.model_a === models[0] || vote.model_b === models[0];
  if (models.length !== 2) return false;
  return (vote.model_a === models[0] && vote.model_b === models[1]) ||
    (vote.model_a === models[1] && vote.model_b === models[0]);
}

function voteView(vote: HumanVote): VoteView {
  const judge = Array.isArray(vote.judge) ? vote.judge.join("/") : vote.judge;
  const winnerModel = vote.winner === "model_a"
    ? vote.model_a
    : vote.winner === "model_b"
    ? vote.model_b
    : null;
  return {
    turn: vote.turn,
    judge,
    group: judgeGroup(vote.judge) ?? "other",
    model_a: vote.model_a,
    model_b: vote.model_b,
    winner: vote.winner,
    winnerModel,
  };
}

const GROUP_ORDER = ["gpt4-pair", "human", "author"];

function groupRank(group: string): number {
  const index = GROUP_ORDER.indexOf(group);
  return index === -1 ? GROUP_ORDER.length : index;
}

const WITH_VOTES: readonly AnswerSource[] = ["voted", "earlier", "file"];
const WITHOUT_VOTES: readonly AnswerSource[] = ["file", "earlier", "voted"];

function preferredSource(versions: readonly AnswerVersion[], voted: boolean): AnswerSource | null {
  const order = voted ? WITH_VOTES : WITHOUT_VOTES;
  for (const source of order) {
    if (versions.some((version) => version.source === source)) return source;
  }
  return null;
}
