/**
 * A small data root for the QA browser tests, written to a temp directory:
 * - `mt_bench`: 3 questions; models `model-x` (answer file, earlier file and a
 *   conversation in the vote data), `model-y` (answer file), `evil` (HTML and
 *   script in its answer), `voted-only` (conversation only); a reference for
 *   q82; single and pair judgment files; human and GPT-4 pair votes;
 * - `other`: one question and a bad answer file (line 2 is not JSON);
 * - `broken`: a question file whose line 2 is not JSON.
 */
import { join } from "node:path";
import { tempDir } from "../_temp.ts";

/** Text of the answers, for assertions. */
export const TEXT = {
  xFile1: "Model X answers **plainly**: the file version.",
  xFile2: "Model X second turn from the file.",
  xEarlier1: "Model X, earlier version of turn one.",
  xVoted1: "Model X as the *experts* saw it.",
  xVoted2: "Model X second turn as voted.",
  y1: "Model Y says:\n\n1. first point\n2. second point",
  y2: "Model Y `code` on turn two.",
  evil1: 'Hello <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> bye',
  evil2: "<b>not bold</b> & <i>not italic</i>",
  votedOnly1: "Only in the conversations.",
  votedOnly2: "Still only in the conversations.",
  ref1: "Reference turn one.",
  ref2: "Reference turn two.",
  singleX1: "X is clear. Rating: [[8]]",
  singleY1: "Y is thin. Rating: [[3]]",
  pairG1: "A is better. [[A]]",
  pairG2: "B is better. [[B]]",
};

const judge = (prompt: string) => ["gpt-4", prompt];

const QUESTIONS = [
  { question_id: 81, category: "writing", turns: ["Write a haiku.", "Now a limerick."] },
  { question_id: 82, category: "math", turns: ["What is 2 + 2?", "And times 3?"] },
  { question_id: 83, category: "coding", turns: ["Reverse a string.", "In place?"] },
];

const answer = (model: string, questionId: number, turns: string[]) => ({
  question_id: questionId,
  answer_id: `${model}-${questionId}`,
  model_id: model,
  choices: [{ index: 0, turns }],
  tstamp: 1687000000,
});

const talk = (question: typeof QUESTIONS[number], replies: string[]) => [
  { role: "user", content: question.turns[0] },
  { role: "assistant", content: replies[0] },
  { role: "user", content: question.turns[1] },
  { role: "assistant", content: replies[1] },
];

const vote = (
  judgeName: string,
  modelA: string,
  modelB: string,
  winner: string,
  turn = 1,
  questionId = 82,
) => ({
  question_id: questionId,
  model_a: modelA,
  model_b: modelB,
  winner,
  judge: judgeName,
  turn,
});

/** The human votes written (q82, model-x vs model-y unless noted). */
export const HUMAN_VOTES = [
  vote("expert_0", "model-x", "model-y", "model_a"),
  vote("expert_1", "model-y", "model-x", "model_a"),
  vote("author_0", "model-x", "model-y", "tie"),
  vote("expert_2", "model-x", "model-y", "model_a", 2),
  vote("expert_0", "model-x", "voted-only", "model_b", 1, 81),
];

/** The GPT-4 pair votes written. */
export const GPT4_VOTES = [
  vote("gpt4_pair", "model-x", "model-y", "model_a"),
  vote("gpt4_pair", "model-x", "model-y", "model_a", 2),
  vote("gpt4_pair", "model-x", "voted-only", "model_a", 1, 81),
];

function jsonl(records: unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join("\n") + "\n";
}

/** Writes the fixture root and returns its path. */
export async function writeFixtureRoot(): Promise<string> {
  const root = await tempDir({ prefix: "llm-judge-browse-" });
  const bench = join(root, "mt_bench");
  for (
    const dir of ["model_answer", "model_answer_earlier", "reference_answer", "model_judgment"]
  ) {
    await Deno.mkdir(join(bench, dir), { recursive: true });
  }
  await Deno.writeTextFile(join(bench, "question.jsonl"), jsonl(QUESTIONS));
  const [q81, q82, q83] = QUESTIONS as [
    typeof QUESTIONS[number],
    typeof QUESTIONS[number],
    typeof QUESTIONS[number],
  ];
  await Deno.writeTextFile(
    join(bench, "model_answer", "model-x.jsonl"),
    jsonl([
      answer("model-x", 81, ["X haiku", "X limerick"]),
      answer("model-x", 82, [TEXT.xFile1, TEXT.xFile2]),
      answer("model-x", 83, ["X reverse", "X in place"]),
    ]),
  );
  await Deno.writeTextFile(
    join(bench, "model_answer", "model-y.jsonl"),
    jsonl([
      answer("model-y", 81, ["Y haiku", "Y limerick"]),
      answer("model-y", 82, [TEXT.y1, TEXT.y2]),
    ]),
  );
  await Deno.writeTextFile(
    join(bench, "model_answer", "evil.jsonl"),
    jsonl([answer("evil", 82, [TEXT.evil1, TEXT.evil2])]),
  );
  await Deno.writeTextFile(
    join(bench, "model_answer_earlier", "model-x.jsonl"),
    jsonl([answer("model-x", 82, [TEXT.xEarlier1, TEXT.xFile2])]),
  );
  await Deno.writeTextFile(
    join(bench, "reference_answer", "gpt-4.jsonl"),
    jsonl([answer("gpt-4", 82, [TEXT.ref1, TEXT.ref2])]),
  );
  await Deno.writeTextFile(
    join(bench, "model_judgment", "gpt-4_single.jsonl"),
    jsonl([
      {
        question_id: 82,
        model: "model-x",
        judge: judge("single-math-v1"),
        user_prompt: "...",
        judgment: TEXT.singleX1,
        score: 8,
        turn: 1,
        tstamp: 1,
      },
      {
        question_id: 82,
        model: "model-y",
        judge: judge("single-math-v1"),
        user_prompt: "...",
        judgment: TEXT.singleY1,
        score: 3,
        turn: 1,
        tstamp: 1,
      },
      {
        question_id: 82,
        model: "model-x",
        judge: judge("single-math-v1-multi-turn"),
        judgment: "Fine. [[6]]",
        score: 6,
        turn: 2,
      },
      {
        question_id: 82,
        model: "model-y",
        judge: judge("single-math-v1-multi-turn"),
        judgment: "Fine. [[6]]",
        score: 6,
        turn: 2,
      },
      { question_id: 81, model: "model-x", judge: judge("single-v1"), score: 9, turn: 1 },
      { question_id: 81, model: "model-y", judge: judge("single-v1"), score: 2, turn: 1 },
    ]),
  );
  await Deno.writeTextFile(
    join(bench, "model_judgment", "gpt-4_pair.jsonl"),
    jsonl([
      {
        question_id: 82,
        model_1: "model-x",
        model_2: "model-y",
        g1_winner: "model_1",
        g2_winner: "model_1",
        judge: judge("pair-math-v1"),
        g1_user_prompt: "...",
        g1_judgment: TEXT.pairG1,
        g2_user_prompt: "...",
        g2_judgment: TEXT.pairG2,
        turn: 1,
        tstamp: 1,
      },
      {
        question_id: 81,
        model_1: "model-y",
        model_2: "model-x",
        g1_winner: "model_1",
        g2_winner: "tie",
        judge: judge("pair-v2"),
        turn: 1,
      },
    ]),
  );
  const human = join(root, "mt_bench_human_judgments");
  await Deno.mkdir(human);
  await Deno.writeTextFile(join(human, "human_labels.jsonl"), jsonl(HUMAN_VOTES));
  await Deno.writeTextFile(join(human, "gpt4_pair_labels.jsonl"), jsonl(GPT4_VOTES));
  await Deno.writeTextFile(
    join(human, "conversations_reconstructed.jsonl"),
    jsonl([
      {
        question_id: 82,
        model: "model-x",
        conversation: talk(q82, [TEXT.xVoted1, TEXT.xVoted2]),
        source: "test",
      },
      {
        question_id: 81,
        model: "voted-only",
        conversation: talk(q81, [TEXT.votedOnly1, TEXT.votedOnly2]),
      },
      { question_id: 83, model: "voted-only", conversation: talk(q83, ["V3a", "V3b"]) },
    ]),
  );
  const other = join(root, "other");
  await Deno.mkdir(join(other, "model_answer"), { recursive: true });
  await Deno.writeTextFile(join(other, "question.jsonl"), jsonl([QUESTIONS[0]]));
  await Deno.writeTextFile(
    join(other, "model_answer", "good.jsonl"),
    jsonl([answer("good", 81, ["Good one", "Good two"])]),
  );
  await Deno.writeTextFile(
    join(other, "model_answer", "bad.jsonl"),
    JSON.stringify(answer("bad", 82, ["a", "b"])) + "\n{not json\n",
  );
  const broken = join(root, "broken");
  await Deno.mkdir(broken);
  await Deno.writeTextFile(join(broken, "question.jsonl"), jsonl([QUESTIONS[0]]) + "{oops\n");
  await Deno.mkdir(join(root, "not_a_bench"));
  return root;
}
