import assert from "node:assert/strict";
import { createMockClient } from "../../lib/chat/mod.ts";
import { judgeIntoFile, prepareMatch } from "../../lib/judge/mod.ts";
import type { JudgePrompt } from "../../lib/data/types.ts";
import { tempDir } from "../_temp.ts";

const prompt: JudgePrompt = {
  name: "single-v1",
  type: "single",
  system_prompt: "Judge.",
  prompt_template: "{question} {answer}",
  description: "",
  category: "",
  output_format: "[[rating]]",
};

function match(questionId: number) {
  return prepareMatch({
    kind: "single",
    question: { question_id: questionId, category: "writing", turns: ["q"] },
    model: "m",
    answer: { question_id: questionId, model_id: "m", choices: [{ index: 0, turns: ["a"] }] },
    judge: { name: "mock", prompt, refBased: false, multiTurn: false },
    multiTurn: false,
  }, "b");
}

Deno.test("judgeIntoFile()", async (t) => {
  const dir = await tempDir();
  const outputPath = `${dir}/model_judgment/mock_single.jsonl`;
  const client = createMockClient({ script: () => ({ reply: "[[6]]" }) });

  await t.step("judges the matches and returns their records", async () => {
    const result = await judgeIntoFile([match(81), match(82)], { client, bench: "b", outputPath });
    assert.equal(result.run?.done, 2);
    assert.equal(result.alreadyDone, 0);
    assert.deepEqual(result.records.map((record) => record.question_id), [81, 82]);
    assert.equal(client.requests.length, 2);
  });

  await t.step("resumes: only the new match is judged, every record is returned", async () => {
    let planned = -1;
    const result = await judgeIntoFile([match(81), match(82), match(83)], {
      client,
      bench: "b",
      outputPath,
      onPlan: (plan) => {
        planned = plan.todo.length;
      },
    });
    assert.equal(planned, 1);
    assert.equal(result.alreadyDone, 2);
    assert.equal(client.requests.length, 3);
    assert.deepEqual(result.records.map((record) => record.question_id), [81, 82, 83]);
  });

  await t.step("nothing left: no run, no request", async () => {
    const result = await judgeIntoFile([match(83)], { client, bench: "b", outputPath });
    assert.equal(result.run, undefined);
    assert.equal(client.requests.length, 3);
    assert.equal(result.records.length, 1);
  });
});
