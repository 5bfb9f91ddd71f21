import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError, readJudgePrompts } from "../../lib/data/mod.ts";
import { onSharedData, SHARED_DATA, tempFile } from "../_helpers.ts";

Deno.test("readJudgePrompts()", async (t) => {
  await t.step({
    name: "reads FastChat's 8 judge prompts by name",
    ...onSharedData,
    fn: async () => {
      const prompts = await readJudgePrompts(join(SHARED_DATA, "judge_prompts.jsonl"));
      assert.deepEqual([...prompts.keys()].sort(), [
        "pair-math-v1",
        "pair-math-v1-multi-turn",
        "pair-v2",
        "pair-v2-multi-turn",
        "single-math-v1",
        "single-math-v1-multi-turn",
        "single-v1",
        "single-v1-multi-turn",
      ]);
      assert.equal(prompts.get("single-v1")?.type, "single");
      assert.equal(prompts.get("pair-v2")?.output_format, "[[A]]");
    },
  });

  await t.step({
    name: "reads the multilingual prompts, with the extra harmless prompt",
    ...onSharedData,
    fn: async () => {
      const prompts = await readJudgePrompts(join(SHARED_DATA, "judge_prompts_multilingual.jsonl"));
      assert.equal(prompts.size, 9);
      for (const prompt of prompts.values()) {
        assert.ok(
          `${prompt.system_prompt}${prompt.prompt_template}`.includes("{lang}"),
          prompt.name,
        );
      }
    },
  });

  await t.step("rejects an unknown type", async () => {
    const path = await tempFile(
      JSON.stringify({
        name: "x",
        type: "grade",
        system_prompt: "",
        prompt_template: "",
        description: "",
        category: "",
        output_format: "",
      }) + "\n",
    );
    await assert.rejects(
      readJudgePrompts(path),
      (e: DataError) => e.field === "type" && /"grade"/.test(e.message),
    );
  });
});
