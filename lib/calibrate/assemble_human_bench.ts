import type { ReconstructedConversation } from "../data/read_conversations.ts";
import type { HumanVote, ModelAnswer, Question } from "../data/types.ts";
import { judgeGroup } from "../agree/judge_group.ts";
import { itemKey } from "./item_key.ts";
import {
  HUMAN_BENCH,
  type HumanBench,
  type HumanBenchItem,
  type ItemVote,
  type UnavailableItem,
} from "./types.ts";

/** The inputs of {@linkcode assembleHumanBench}. */
export interface HumanBenchInputs {
  /** MT-Bench's questions (`mt_bench/question.jsonl`). */
  questions: readonly Question[];
  /** The human-judgment votes; only `expert_*` votes make items. */
  votes: readonly HumanVote[];
  /**
   * The conversations the experts saw, one per (question, model):
   * `conversations_reconstructed.jsonl`, or built from the votes'
   * `conversation_a`/`conversation_b` when the parquet was read.
   */
  conversations: Iterable<ReconstructedConversation>;
}

/** Options for {@linkcode assembleHumanBench}. */
export interface AssembleHumanBenchOptions {
  /**
   * Bench folder name.
   * @default {"mt_bench_human"}
   */
  name?: string;
  /**
   * Voters whose votes make items, by their judge group (see `judgeGroup`).
   * @default {"human"} (the `expert_*` votes)
   */
  voters?: string;
}

/**
 * Assembles the human-study bench: every (question, model pair, turn) an
 * expert voted on, with both answers as the experts saw them (the assistant
 * turns of the conversations), in FastChat's bench layout. The answer files
 * hold every conversation of the voted models on the bench's questions. An item whose
 * answer is missing, or whose conversation does not show the question's
 * turns, is not dropped silently: it is listed in `unavailable` with the
 * reason. Pure: the caller reads the files (see `loadHumanBench`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { assembleHumanBench } from "./assemble_human_bench.ts";
 * const talk = (answer: string) => [
 *   { role: "user", content: "Q1" }, { role: "assistant", content: answer },
 *   { role: "user", content: "Q2" }, { role: "assistant", content: answer + "!" },
 * ];
 * const bench = assembleHumanBench({
 *   questions: [{ question_id: 81, category: "writing", turns: ["Q1", "Q2"] }],
 *   votes: [
 *     { question_id: 81, model_a: "b", model_b: "a", winner: "model_a", judge: "expert_1", turn: 1 },
 *     { question_id: 81, model_a: "c", model_b: "a", winner: "tie", judge: "expert_1", turn: 2 },
 *   ],
 *   conversations: [
 *     { question_id: 81, model: "a", conversation: talk("A") },
 *     { question_id: 81, model: "b", conversation: talk("B") },
 *   ],
 * });
 * assert.equal(bench.items.length, 1);
 * assert.deepEqual(bench.items[0]!.votes, [{ judge: "expert_1", winner: "model_b" }]);
 * assert.equal(bench.answers.get("b")![0]!.choices[0]!.turns[1], "B!");
 * assert.match(bench.unavailable[0]!.reason, /no conversation of model "c"/);
 * ```
 */
export function assembleHumanBench(
  inputs: HumanBenchInputs,
  options: AssembleHumanBenchOptions = {},
): HumanBench {
  const voters = options.voters ?? "human";
  const questionById = new Map(
    inputs.questions.map((question) => [question.question_id, question]),
  );
  const conversations = new Map<string, ReconstructedConversation>();
  for (const record of inputs.conversations) {
    conversations.set(`${record.question_id}/${record.model}`, record);
  }
  const items = new Map<string, HumanBenchItem>();
  for (const vote of inputs.votes) {
    if (judgeGroup(vote.judge) !== voters) continue;
    const key = itemKey(vote);
    let item = items.get(key);
    const swapped = !(vote.model_a < vote.model_b);
    if (item === undefined) {
      item = {
        question_id: vote.question_id,
        model_a: swapped ? vote.model_b : vote.model_a,
        model_b: swapped ? vote.model_a : vote.model_b,
        turn: vote.turn,
        votes: [],
      };
      items.set(key, item);
    }
    let winner: ItemVote["winner"] = vote.winner.includes("tie")
      ? "tie"
      : vote.winner === "model_a"
      ? "model_a"
      : "model_b";
    if (swapped && winner !== "tie") winner = winner === "model_a" ? "model_b" : "model_a";
    item.votes.push({ judge: String(vote.judge), winner });
  }
  const sorted = [...items.values()].sort((x, y) =>
    x.turn - y.turn || x.question_id - y.question_id ||
    (x.model_a < y.model_a ? -1 : x.model_a > y.model_a ? 1 : x.model_b < y.model_b ? -1 : 1)
  );
  const available: HumanBenchItem[] = [];
  const unavailable: UnavailableItem[] = [];
  const used = new Map<string, ReconstructedConversation>();
  const problemOf = (questionId: number, model: string): string | undefined => {
    const question = questionById.get(questionId);
    if (question === undefined) return `question ${questionId} is not in the question file`;
    const record = conversations.get(`${questionId}/${model}`);
    if (record === undefined) {
      return `no conversation of model "${model}" on question ${questionId} in the data (the dataset's conversation columns are not available for it)`;
    }
    const turns = record.conversation;
    for (let turn = 0; turn < question.turns.length; turn++) {
      const user = turns[turn * 2];
      const assistant = turns[turn * 2 + 1];
      if (user?.role !== "user" || assistant?.role !== "assistant") {
        return `the conversation of model "${model}" on question ${questionId} has no user/assistant exchange for turn ${
          turn + 1
        }`;
      }
      if (user.content !== question.turns[turn]) {
        return `the conversation of model "${model}" on question ${questionId} shows a different turn-${
          turn + 1
        } question than the question file`;
      }
    }
    return undefined;
  };
  for (const item of sorted) {
    const problems = [item.model_a, item.model_b]
      .map((model) => problemOf(item.question_id, model))
      .filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) {
      unavailable.push({ item, reason: problems.join("; ") });
      continue;
    }
    available.push(item);
    for (const model of [item.model_a, item.model_b]) {
      const key = `${item.question_id}/${model}`;
      used.set(key, conversations.get(key)!);
    }
  }
  const questionIds = new Set(available.map((item) => item.question_id));
  const questions = inputs.questions.filter((question) =>
    questionIds.has(question.question_id as number)
  );
  const order = new Map(questions.map((question, index) => [question.question_id, index]));
  const answers = new Map<string, ModelAnswer[]>();
  const sources: Record<string, number> = {};
  // Every conversation of a voted model on a bench question becomes an answer,
  // so `judge --mode pairwise-all` finds them all (not only the voted pairs').
  const models = new Set([...used.values()].map((record) => record.model));
  const records = [...conversations.values()]
    .filter((record) =>
      models.has(record.model) && order.has(record.question_id) &&
      problemOf(record.question_id, record.model) === undefined
    )
    .sort((x, y) => order.get(x.question_id)! - order.get(y.question_id)!);
  for (const record of records) {
    let list = answers.get(record.model);
    if (list === undefined) {
      list = [];
      answers.set(record.model, list);
    }
    const source = record.source ?? "conversation";
    sources[source] = (sources[source] ?? 0) + 1;
    list.push({
      question_id: record.question_id,
      model_id: record.model,
      choices: [{
        index: 0,
        turns: record.conversation.filter((message) => message.role === "assistant").map((
          message,
        ) => message.content),
      }],
      source,
    });
  }
  return {
    name: options.name ?? HUMAN_BENCH,
    questions,
    answers: new Map([...answers].sort(([x], [y]) => (x < y ? -1 : 1))),
    items: available,
    unavailable,
    sources,
  };
}
