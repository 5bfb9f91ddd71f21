import assert from "node:assert/strict";
import {
  answerQuestions,
  categoryTemperature,
  createMockBackend,
  type ModelAnswer,
  type Question,
} from "../../mod.ts";

const QUESTIONS: Question[] = [
  { question_id: 81, category: "writing", turns: ["Write a travel blog post.", "Rewrite it."] },
  { question_id: 111, category: "math", turns: ["What is 3 + 4?", "And times 2?"] },
  { question_id: 131, category: "extraction", turns: ["Extract the names."] },
  { question_id: 151, category: "stem", turns: ["Explain inflation briefly.", "Simpler."] },
  { question_id: 160, category: "humanities", turns: ["Who wrote Faust?"] },
];

async function run(options: Partial<Parameters<typeof answerQuestions>[1]> = {}) {
  const backend = createMockBackend();
  const answers: ModelAnswer[] = [];
  const result = await answerQuestions(QUESTIONS, {
    backend,
    modelId: "mock",
    onAnswer: (answer) => {
      answers.push(answer);
    },
    ...options,
  });
  return { backend, answers, result };
}

Deno.test("answerQuestions()", async (t) => {
  await t.step("writes FastChat's answer fields and a generation block", async () => {
    const { answers } = await run({ now: () => 1_700_000_000_000 });
    assert.equal(answers.length, QUESTIONS.length);
    const answer = answers.find((record) => record.question_id === 81)!;
    assert.deepEqual(Object.keys(answer).slice(0, 5), [
      "question_id",
      "answer_id",
      "model_id",
      "choices",
      "tstamp",
    ]);
    assert.match(answer.answer_id!, /^[2-9A-HJ-NP-Za-km-z]{22}$/);
    assert.equal(answer.model_id, "mock");
    assert.equal(answer.tstamp, 1_700_000_000);
    assert.equal(answer.choices[0]!.turns.length, 2);
    const generation = answer.generation as Record<string, unknown>;
    assert.equal(generation.backend, "mock");
    assert.equal(generation.temperature, 0.7);
    assert.equal(generation.max_new_tokens, 1024);
    assert.equal((generation.turns as unknown[][])[0]!.length, 2);
  });

  await t.step("uses FastChat's temperature per category", async () => {
    const { backend } = await run();
    for (const request of backend.requests) {
      const question = QUESTIONS.find((q) => q.turns.includes(request.messages.at(-1)!.content))!;
      assert.equal(request.temperature, categoryTemperature(question.category));
    }
    assert.deepEqual(
      ["writing", "roleplay", "math", "coding", "reasoning", "extraction", "stem", "humanities"]
        .map(categoryTemperature),
      [0.7, 0.7, 0, 0, 0, 0, 0.1, 0.1],
    );
  });

  await t.step("conditions turn 2 on the model's own turn-1 answer", async () => {
    const { backend, answers } = await run();
    const answer = answers.find((record) => record.question_id === 111)!;
    const secondTurn = backend.requests.find((request) =>
      request.messages.at(-1)!.content === "And times 2?"
    )!;
    assert.deepEqual(secondTurn.messages, [
      { role: "user", content: "What is 3 + 4?" },
      { role: "assistant", content: answer.choices[0]!.turns[0]! },
      { role: "user", content: "And times 2?" },
    ]);
  });

  await t.step("puts a system prompt first when given", async () => {
    const { backend } = await run({ systemPrompt: "Be brief." });
    for (const request of backend.requests) {
      assert.deepEqual(request.messages[0], { role: "system", content: "Be brief." });
    }
  });

  await t.step("batches conversations up to batchSize, shortest prompts together", async () => {
    const { backend } = await run({ batchSize: 2 });
    // Turn 1 of 3 batches (2, 2, 1), then turn 2 of the batches whose questions have one.
    assert.ok(backend.batches.every((size) => size <= 2));
    const firstTurns = backend.requests.filter((request) => request.messages.length === 1);
    assert.deepEqual(
      firstTurns.map((request) => request.messages[0]!.content.length),
      firstTurns.map((request) => request.messages[0]!.content.length).sort((a, b) => a - b),
    );
  });

  await t.step("seeds choice i differently and records every choice", async () => {
    const { answers, backend } = await run({ numChoices: 2, temperature: () => 0.7 });
    const answer = answers.find((record) => record.question_id === 160)!;
    assert.deepEqual(answer.choices.map((choice) => choice.index), [0, 1]);
    assert.notEqual(answer.choices[0]!.turns[0], answer.choices[1]!.turns[0]);
    const seeds = new Set(backend.requests.map((request) => request.seed));
    assert.ok(seeds.size >= 2);
  });

  await t.step("marks a failed turn $ERROR$ with an error field and counts it", async () => {
    const backend = createMockBackend({
      script: (request) =>
        request.messages.at(-1)!.content === "Rewrite it." ? { error: "server down" } : "ok",
    });
    const answers: ModelAnswer[] = [];
    const result = await answerQuestions(QUESTIONS, {
      backend,
      modelId: "mock",
      onAnswer: (answer) => {
        answers.push(answer);
      },
    });
    const failed = answers.find((record) => record.question_id === 81)!;
    assert.deepEqual(failed.choices[0]!.turns, ["ok", "$ERROR$"]);
    assert.match(String(failed.error), /choice 0: turn 2: server down/);
    assert.equal(result.errors, 1);
  });

  await t.step("runs batches in parallel and reports progress", async () => {
    const backend = createMockBackend({ script: () => ({ delayMs: 30, reply: "x" }) });
    const seen: number[] = [];
    const started = performance.now();
    await answerQuestions(QUESTIONS.map((q) => ({ ...q, turns: [q.turns[0]!] })), {
      backend,
      modelId: "mock",
      batchSize: 1,
      parallel: 5,
      onAnswer: () => {},
      onProgress: (progress) => seen.push(progress.done),
    });
    assert.ok(performance.now() - started < 5 * 30, "batches should overlap");
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  });

  await t.step("stops on abort without writing unfinished questions", async () => {
    const controller = new AbortController();
    const answers: ModelAnswer[] = [];
    await answerQuestions(QUESTIONS, {
      backend: createMockBackend({
        script: () => {
          controller.abort();
          return "x";
        },
      }),
      modelId: "mock",
      signal: controller.signal,
      onAnswer: (answer) => {
        answers.push(answer);
      },
    });
    assert.equal(answers.length, 0);
  });

  await t.step("rejects a non-positive batch size", async () => {
    await assert.rejects(run({ batchSize: 0 }), /batchSize must be a positive integer, got 0/);
  });
});
