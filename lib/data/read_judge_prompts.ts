import { readJsonl } from "./read_jsonl.ts";
import type { JudgePrompt } from "./types.ts";
import { expectObject, expectString, fail, requireField } from "./_validate.ts";

const FIELDS = [
  "name",
  "system_prompt",
  "prompt_template",
  "description",
  "category",
  "output_format",
] as const;

/**
 * Reads `judge_prompts.jsonl` into a map from prompt name to prompt. A repeated
 * name is an error that names both lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readJudgePrompts } from "./read_judge_prompts.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, JSON.stringify({
 *   name: "single-v1", type: "single", system_prompt: "s", prompt_template: "{question}",
 *   description: "d", category: "general", output_format: "[[rating]]",
 * }) + "\n");
 * const prompts = await readJudgePrompts(path);
 * assert.equal(prompts.get("single-v1")?.type, "single");
 * ```
 */
export async function readJudgePrompts(path: string): Promise<Map<string, JudgePrompt>> {
  const prompts = new Map<string, JudgePrompt>();
  const lines = new Map<string, number>();
  for await (const batch of readJsonl(path)) {
    for (const { line, value } of batch) {
      const source = { file: path, line };
      const record = expectObject(value, source);
      const prompt = {} as Record<string, string>;
      for (const field of FIELDS) {
        prompt[field] = expectString(requireField(record, field, source), field, source);
      }
      const type = expectString(requireField(record, "type", source), "type", source);
      if (type !== "single" && type !== "pairwise") {
        fail(
          source,
          "type",
          `expected "type" to be "single" or "pairwise", got ${JSON.stringify(type)}`,
        );
      }
      const name = prompt.name!;
      const previous = lines.get(name);
      if (previous !== undefined) {
        fail(source, "name", `duplicate prompt name "${name}" (first on line ${previous})`);
      }
      lines.set(name, line);
      prompts.set(name, { ...prompt, type } as JudgePrompt);
    }
  }
  return prompts;
}
