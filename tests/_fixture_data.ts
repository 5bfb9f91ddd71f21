/**
 * A small data root in FastChat's layout, written by the tests themselves, so
 * that tests of the mechanics (resume, batches, faults, redaction) run in a
 * clone without the upstream data. Every text here is our own: only the
 * prompt names, field names, placeholders and the answer-section markers
 * follow FastChat's files, as the judge and the scripted test judges read them.
 * @module
 */
import { join } from "node:path";
import { MT_BENCH_CATEGORIES } from "../lib/data/mt_bench_categories.ts";

/** Options for {@linkcode writeFixtureDataRoot}. */
export interface FixtureDataOptions {
  /**
   * Number of MT-Bench questions. They cycle through the eight categories
   * (writing, roleplay, reasoning, math, coding, extraction, stem, humanities),
   * so the first four already hold the three reference categories.
   * @default {8}
   */
  questions?: number;
  /**
   * Models with an answer file under `mt_bench/model_answer/`.
   * @default {["gpt-3.5-turbo", "gpt-4", "claude-v1"]}
   */
  models?: readonly string[];
  /**
   * Also write label-only vote files of our own under `mt_bench_human_judgments/`,
   * all on gpt-4 (model_a) vs claude-v1, turn 1: `gpt4_pair_labels.jsonl` votes
   * `model_a` on the first four questions; in `human_labels.jsonl`, `expert_0`
   * votes `model_a` on the first three and `model_b` on the fourth, and
   * `expert_1` votes `model_a` on the first and the fourth. Agreement (ties
   * included): gpt4-pair vs human 5/6, human vs human 1/2.
   *
   * `"with-conversations"` writes instead the human-study layout that
   * `calibrate` builds its bench from: votes that carry the conversations
   * (`conversation_a`/`conversation_b`: the question's turns and the fixture's
   * answers), on every pair of the models, every question and both turns.
   * In `human_labels.jsonl`, `expert_0` votes on each of them and `expert_1`
   * on the first pair's; in `gpt4_pair_labels.jsonl`, `gpt4_pair` votes on
   * each. The winners follow {@linkcode fixtureVoteWinner}. The last model's
   * conversation on the last question is left out (null), as the dataset
   * lacks vicuna-13b-v1.2's on question 144: the items on it cannot be built.
   * @default {false}
   */
  votes?: boolean | "with-conversations";
}

/** What {@linkcode writeFixtureDataRoot} wrote. */
export interface FixtureDataRoot {
  /** The data root. */
  root: string;
  /** The question ids, in file order. */
  questionIds: number[];
  /** The models with an answer file. */
  models: string[];
  /** The first turn of each question, by question id. */
  firstTurns: Map<number, string>;
}

/** The eight MT-Bench categories, in the order of FastChat's question file. */
export const FIXTURE_CATEGORIES: readonly string[] = MT_BENCH_CATEGORIES;
/** Our own two-turn tasks, one per category; `#` is replaced by a number of the question. */
const TASKS: Record<string, [string, string]> = {
  writing: [
    "Write a short note #, inviting the neighbours to a garden party on Saturday.",
    "Rewrite your note as a limerick.",
  ],
  roleplay: [
    "Pretend to be a lighthouse keeper in story #, and greet a lost sailor.",
    "Now tell the sailor how to reach the harbour.",
  ],
  reasoning: [
    "Puzzle #: Ann is taller than Bob, and Bob is taller than Cid. Who is the shortest?",
    "If Dee is shorter than Cid, who is the shortest now?",
  ],
  math: [
    "Exercise #: what is 17 times 3?",
    "Add 9 to the result and divide by 6.",
  ],
  coding: [
    "Task #: write a function that returns the largest of three numbers.",
    "Change it to accept a list of any length.",
  ],
  extraction: [
    "Text #: 'Mia paid 12 euros for bread and 30 for cheese.' List each item with its price.",
    "Give the total as JSON.",
  ],
  stem: [
    "Question #: why does ice float on water?",
    "Explain it to a ten-year-old.",
  ],
  humanities: [
    "Topic #: what makes a city pleasant to walk in?",
    "Name two changes a small town could make this year.",
  ],
};

const SINGLE_SYSTEM = "You grade the reply of an assistant. End with a grade written as [[5]].";
const PAIR_SYSTEM =
  "You compare the replies of two assistants. End with [[A]], [[B]] or [[C]] for a tie.";

function answerSection(side: "A" | "B", placeholder: string): string {
  return `[The Start of Assistant ${side}'s Answer]\n{${placeholder}}\n[The End of Assistant ${side}'s Answer]`;
}

/** A conversation section; FastChat's single-grade templates name the one assistant "A" too. */
function conversation(side: "A" | "B", suffix: string): string {
  const who = `Assistant ${side}`;
  const answer = (turn: number) => `{answer${suffix}_${turn}}`;
  return [
    `<|The Start of ${who}'s Conversation with User|>`,
    "",
    "### User:\n{question_1}",
    "",
    `### ${who}:\n${answer(1)}`,
    "",
    "### User:\n{question_2}",
    "",
    `### ${who}:\n${answer(2)}`,
    "",
    `<|The End of ${who}'s Conversation with User|>`,
  ].join("\n");
}

const REFERENCE_TURNS =
  "<|The Start of Reference Answer|>\n\n### User:\n{question_1}\n\n### Reference answer:\n{ref_answer_1}\n\n### User:\n{question_2}\n\n### Reference answer:\n{ref_answer_2}\n\n<|The End of Reference Answer|>";

/** The eight judge prompts the judge uses, with our own wording. */
function judgePrompts(): Record<string, unknown>[] {
  const single = (name: string, category: string, template: string, description: string) => ({
    name,
    type: "single",
    system_prompt: SINGLE_SYSTEM,
    prompt_template: template,
    description,
    category,
    output_format: "[[rating]]",
  });
  const pair = (name: string, category: string, template: string, description: string) => ({
    name,
    type: "pairwise",
    system_prompt: PAIR_SYSTEM,
    prompt_template: template,
    description,
    category,
    output_format: "[[A]]",
  });
  const question = "[Question]\n{question}";
  const reference =
    "[The Start of Reference Answer]\n{ref_answer_1}\n[The End of Reference Answer]";
  return [
    single(
      "single-v1",
      "general",
      `Grade this reply from 1 to 10.\n\n${question}\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]`,
      "Test prompt: grade one reply.",
    ),
    single(
      "single-math-v1",
      "math",
      `Grade this reply from 1 to 10 against the reference.\n\n${question}\n\n${reference}\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]`,
      "Test prompt: grade one reply against a reference.",
    ),
    single(
      "single-v1-multi-turn",
      "general",
      `Grade the second reply from 1 to 10.\n\n${conversation("A", "")}`,
      "Test prompt: grade the second turn of a conversation.",
    ),
    single(
      "single-math-v1-multi-turn",
      "math",
      `Grade the second reply from 1 to 10 against the reference.\n\n${REFERENCE_TURNS}\n\n${
        conversation("A", "")
      }`,
      "Test prompt: grade the second turn against a reference.",
    ),
    pair(
      "pair-v2",
      "general",
      `Which assistant replied better?\n\n${question}\n\n${answerSection("A", "answer_a")}\n\n${
        answerSection("B", "answer_b")
      }`,
      "Test prompt: compare two replies.",
    ),
    pair(
      "pair-math-v1",
      "math",
      `Which assistant replied better, given the reference?\n\n${question}\n\n${reference}\n\n${
        answerSection("A", "answer_a")
      }\n\n${answerSection("B", "answer_b")}`,
      "Test prompt: compare two replies against a reference.",
    ),
    pair(
      "pair-v2-multi-turn",
      "general",
      `Which assistant replied better to the second question?\n\n${conversation("A", "_a")}\n\n${
        conversation("B", "_b")
      }`,
      "Test prompt: compare the second turns of two conversations.",
    ),
    pair(
      "pair-math-v1-multi-turn",
      "math",
      `Which assistant replied better to the second question, given the reference?\n\n${REFERENCE_TURNS}\n\n${
        conversation("A", "_a")
      }\n\n${conversation("B", "_b")}`,
      "Test prompt: compare the second turns against a reference.",
    ),
  ];
}

function jsonl(records: readonly unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join("\n") + "\n";
}

/**
 * The winner of a vote of `votes: "with-conversations"`: `judge` on the
 * `index`-th question, the `pair`-th model pair (in the order (0, 1), (0, 2),
 * ..., (1, 2), ... of the models), `turn`: `["model_a", "model_b", "tie"][n % 3]`
 * with `n = index + pair + turn` for `expert_0`, `2 * index + pair + turn` for
 * `expert_1` and `index + 2 * pair + turn` for `gpt4_pair`. So the judges agree
 * on some votes, not all, and none agrees always with a length judge (the
 * fixture's later models always answer longer).
 */
export function fixtureVoteWinner(
  judge: string,
  index: number,
  pair: number,
  turn: number,
): "model_a" | "model_b" | "tie" {
  const n = judge === "expert_1"
    ? 2 * index + pair + turn
    : judge === "gpt4_pair"
    ? index + 2 * pair + turn
    : index + pair + turn;
  return (["model_a", "model_b", "tie"] as const)[n % 3]!;
}

/**
 * Writes a small data root in FastChat's layout under `dir`:
 * `judge_prompts.jsonl` (the eight prompts the judge uses),
 * `mt_bench/question.jsonl` (two-turn questions), `mt_bench/reference_answer/gpt-4.jsonl`
 * (for the math, reasoning and coding questions) and one
 * `mt_bench/model_answer/<model>.jsonl` per model. Answers of later models are
 * longer, and question ids follow MT-Bench's numbering (81 + 10 per category).
 */
export async function writeFixtureDataRoot(
  dir: string,
  options: FixtureDataOptions = {},
): Promise<FixtureDataRoot> {
  const count = options.questions ?? 8;
  const models = [...(options.models ?? ["gpt-3.5-turbo", "gpt-4", "claude-v1"])];
  const bench = join(dir, "mt_bench");
  await Deno.mkdir(join(bench, "model_answer"), { recursive: true });
  await Deno.mkdir(join(bench, "reference_answer"), { recursive: true });
  await Deno.writeTextFile(join(dir, "judge_prompts.jsonl"), jsonl(judgePrompts()));

  const questions = Array.from({ length: count }, (_, index) => {
    const category = FIXTURE_CATEGORIES[index % FIXTURE_CATEGORIES.length]!;
    const round = Math.floor(index / FIXTURE_CATEGORIES.length);
    const id = 81 + 10 * (index % FIXTURE_CATEGORIES.length) + round;
    const turns = TASKS[category]!.map((text) => text.replace("#", String(id)));
    return { question_id: id, category, turns };
  });
  await Deno.writeTextFile(join(bench, "question.jsonl"), jsonl(questions));

  const tstamp = 1700000000;
  const references = questions
    .filter((question) => ["math", "reasoning", "coding"].includes(question.category))
    .map((question) => ({
      question_id: question.question_id,
      answer_id: `ref-${question.question_id}`,
      model_id: "gpt-4",
      choices: [{
        index: 0,
        turns: question.turns.map((_, turn) =>
          `Reference for question ${question.question_id}, turn ${turn + 1}.`
        ),
      }],
      tstamp,
    }));
  await Deno.writeTextFile(join(bench, "reference_answer", "gpt-4.jsonl"), jsonl(references));

  const answerTurns = (rank: number, question: { question_id: number; turns: string[] }) =>
    question.turns.map((_, turn) =>
      `${models[rank]} replies to question ${question.question_id}, turn ${turn + 1}.` +
      " It adds a detail.".repeat(rank + 1 + (question.question_id + turn) % 3)
    );
  for (const [rank, model] of models.entries()) {
    const answers = questions.map((question) => ({
      question_id: question.question_id,
      answer_id: `${model}-${question.question_id}`,
      model_id: model,
      choices: [{ index: 0, turns: answerTurns(rank, question) }],
      tstamp: tstamp + rank,
    }));
    await Deno.writeTextFile(join(bench, "model_answer", `${model}.jsonl`), jsonl(answers));
  }
  if (options.votes === "with-conversations") {
    const votes = join(dir, "mt_bench_human_judgments");
    await Deno.mkdir(votes, { recursive: true });
    const conversationOf = (rank: number, index: number) => {
      if (rank === models.length - 1 && index === questions.length - 1) return null;
      const answers = answerTurns(rank, questions[index]!);
      return questions[index]!.turns.flatMap((text, turn) => [
        { role: "user", content: text },
        { role: "assistant", content: answers[turn]! },
      ]);
    };
    const pairs = models.flatMap((_, a) =>
      models.slice(a + 1).map((_, offset) => [a, a + 1 + offset])
    );
    const human: Record<string, unknown>[] = [];
    const gpt4: Record<string, unknown>[] = [];
    for (const turn of [1, 2]) {
      for (const index of questions.keys()) {
        for (const [pairIndex, [a, b]] of pairs.entries()) {
          const vote = (judge: string) => ({
            question_id: questions[index]!.question_id,
            model_a: models[a!],
            model_b: models[b!],
            winner: fixtureVoteWinner(judge, index, pairIndex, turn),
            judge,
            turn,
            conversation_a: conversationOf(a!, index),
            conversation_b: conversationOf(b!, index),
          });
          human.push(vote("expert_0"));
          if (pairIndex === 0) human.push(vote("expert_1"));
          gpt4.push(vote("gpt4_pair"));
        }
      }
    }
    await Deno.writeTextFile(join(votes, "human_labels.jsonl"), jsonl(human));
    await Deno.writeTextFile(join(votes, "gpt4_pair_labels.jsonl"), jsonl(gpt4));
  } else if (options.votes) {
    const votes = join(dir, "mt_bench_human_judgments");
    await Deno.mkdir(votes, { recursive: true });
    const vote = (judge: string, indices: number[], winner: (index: number) => string) =>
      indices.map((index) => ({
        question_id: questions[index]!.question_id,
        model_a: "gpt-4",
        model_b: "claude-v1",
        winner: winner(index),
        judge,
        turn: 1,
      }));
    await Deno.writeTextFile(
      join(votes, "gpt4_pair_labels.jsonl"),
      jsonl(vote("gpt4_pair", [0, 1, 2, 3], () => "model_a")),
    );
    await Deno.writeTextFile(
      join(votes, "human_labels.jsonl"),
      jsonl([
        ...vote("expert_0", [0, 1, 2, 3], (index) => index < 3 ? "model_a" : "model_b"),
        ...vote("expert_1", [0, 3], () => "model_a"),
      ]),
    );
  }
  return {
    root: dir,
    questionIds: questions.map((question) => question.question_id),
    models,
    firstTurns: new Map(questions.map((question) => [question.question_id, question.turns[0]!])),
  };
}

/**
 * The command line of `judge` against a loopback judge through the groq preset:
 * `judge --data-dir DATA --output-dir OUTPUT --judge-model groq --judge-base-url URL`,
 * then `extra`.
 */
export function groqJudgeArgs(
  data: string,
  output: string,
  baseUrl: string,
  extra: readonly string[] = [],
): string[] {
  return [
    "judge",
    "--data-dir",
    data,
    "--output-dir",
    output,
    "--judge-model",
    "groq",
    "--judge-base-url",
    baseUrl,
    ...extra,
  ];
}
