import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError, readQuestions } from "../../lib/data/mod.ts";
import { onSharedData, SHARED_DATA, tempFile } from "../_helpers.ts";

function errorAt(line: number, field: string | undefined, pattern: RegExp) {
  return (error: DataError) => {
    assert.ok(error instanceof DataError, `expected a DataError, got ${error}`);
    assert.equal(error.line, line);
    assert.equal(error.field, field);
    assert.match(error.message, pattern);
    return true;
  };
}

Deno.test("readQuestions()", async (t) => {
  await t.step({
    name: "reads the 80 MT-Bench questions",
    ...onSharedData,
    fn: async () => {
      const questions = await readQuestions(join(SHARED_DATA, "mt_bench", "question.jsonl"));
      assert.equal(questions.length, 80);
      assert.equal(questions[0]!.question_id, 81);
      assert.equal(questions[0]!.category, "writing");
      assert.ok(questions.every((question) => question.turns.length === 2));
      assert.equal(new Set(questions.map((question) => question.category)).size, 8);
    },
  });

  await t.step({
    name: "reads German MT-Bench, whose last line has no newline, with lang and reference",
    ...onSharedData,
    fn: async () => {
      const questions = await readQuestions(join(SHARED_DATA, "mt_bench_de", "question.jsonl"));
      assert.equal(questions.length, 80);
      assert.ok(questions.every((question) => question.lang === "German"));
      assert.equal(questions.filter((question) => question.reference !== undefined).length, 39);
    },
  });

  await t.step("rejects a duplicate question_id naming both lines", async () => {
    const line = '{"question_id":1,"category":"x","turns":["a"]}';
    const path = await tempFile(`${line}\n${line}\n`);
    await assert.rejects(
      readQuestions(path),
      errorAt(2, "question_id", /duplicate question_id 1 \(first on line 1\)/),
    );
  });

  await t.step("rejects a missing field", async () => {
    const path = await tempFile('{"question_id":1,"turns":["a"]}\n');
    await assert.rejects(
      readQuestions(path),
      errorAt(1, "category", /missing required field "category"/),
    );
  });

  await t.step("rejects a wrong type, quoting the value", async () => {
    const path = await tempFile('{"question_id":1.5,"category":"x","turns":["a"]}\n');
    await assert.rejects(
      readQuestions(path),
      errorAt(1, "question_id", /to be an integer, got number 1.5/),
    );
  });

  await t.step("rejects a non-string turn with its index", async () => {
    const path = await tempFile('{"question_id":1,"category":"x","turns":["a",2]}\n');
    await assert.rejects(readQuestions(path), errorAt(1, "turns[1]", /got number 2/));
  });

  await t.step("rejects a line that is not an object", async () => {
    const path = await tempFile("[1,2]\n");
    await assert.rejects(
      readQuestions(path),
      errorAt(1, undefined, /expected a JSON object, got an array of 2/),
    );
  });
});
