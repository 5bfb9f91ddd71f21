import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError, readAnswerDirectory, readAnswers, readQuestions } from "../../lib/data/mod.ts";
import { onSharedData, SHARED_DATA, tempFile } from "../_helpers.ts";

const answer = (id: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    question_id: id,
    answer_id: "a",
    model_id: "m",
    choices: [{ index: 0, turns: ["x", "y"] }],
    tstamp: 1,
    ...extra,
  });

Deno.test("readAnswers()", async (t) => {
  await t.step({
    name: "reads all 31 upstream answer files keyed by file stem, as FastChat",
    ...onSharedData,
    fn: async () => {
      const questions = await readQuestions(join(SHARED_DATA, "mt_bench", "question.jsonl"));
      const answers = await readAnswerDirectory(join(SHARED_DATA, "mt_bench", "model_answer"), {
        questionIds: new Set(questions.map((question) => question.question_id)),
      });
      assert.equal(answers.size, 31);
      for (const [, byQuestion] of answers) assert.equal(byQuestion.size, 80);
      // The file stem wins over the stored model_id, as in FastChat's load_model_answers.
      assert.equal(answers.get("rwkv-4-raven-14b")?.get(81)?.model_id, "RWKV-4-Raven-14B");
    },
  });

  await t.step({
    name: "reads the German reference answers",
    ...onSharedData,
    fn: async () => {
      const references = await readAnswers(
        join(SHARED_DATA, "mt_bench_de", "reference_answer", "gpt-4.jsonl"),
      );
      assert.equal(references.length, 80);
    },
  });

  await t.step("keeps extra metadata fields", async () => {
    const path = await tempFile(answer(81, { metadata: { ep: "cpu" } }) + "\n");
    const [read] = await readAnswers(path);
    assert.deepEqual(read!.metadata, { ep: "cpu" });
  });

  await t.step("rejects an unknown question id", async () => {
    const path = await tempFile(answer(81) + "\n" + answer(999) + "\n");
    await assert.rejects(readAnswers(path, { questionIds: new Set([81]) }), (e: DataError) => {
      assert.equal(e.line, 2);
      assert.equal(e.field, "question_id");
      assert.match(e.message, /unknown question_id 999/);
      return true;
    });
  });

  await t.step("rejects a duplicate question id", async () => {
    const path = await tempFile(answer(81) + "\n" + answer(81) + "\n");
    await assert.rejects(
      readAnswers(path),
      /line 2 .*duplicate question_id 81 \(first on line 1\)/,
    );
  });

  await t.step("rejects a bad nested field with its path", async () => {
    const path = await tempFile(
      JSON.stringify({ question_id: 81, model_id: "m", choices: [{ index: 0, turns: "x" }] }) +
        "\n",
    );
    await assert.rejects(readAnswers(path), (e: DataError) => {
      assert.equal(e.field, "choices[0].turns");
      return true;
    });
  });

  await t.step("rejects empty choices", async () => {
    const path = await tempFile(
      JSON.stringify({ question_id: 81, model_id: "m", choices: [] }) + "\n",
    );
    await assert.rejects(
      readAnswers(path),
      /field "choices"\): expected "choices" to be a non-empty array/,
    );
  });
});
