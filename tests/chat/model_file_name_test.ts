import assert from "node:assert/strict";
import { modelFileName } from "../../lib/chat/providers/model_file_name.ts";

Deno.test("modelFileName()", async (t) => {
  await t.step("drops the provider prefix; a preset alone keeps its name", () => {
    const cases: [string, string][] = [
      ["groq", "groq"],
      ["groq:llama-3.1-8b-instant", "llama-3.1-8b-instant"],
      ["local:tiny", "tiny"],
      ["local:mock", "mock"],
      ["openai:gpt-4o-mini", "gpt-4o-mini"],
      ["azure:my-deployment", "my-deployment"],
      ["gpt-4", "gpt-4"],
      ["azure-gpt-4", "azure-gpt-4"],
      ["qwen2.5:7b", "qwen2.5:7b"],
      ["openrouter:meta-llama/llama-3.1-8b-instruct", "meta-llama_llama-3.1-8b-instruct"],
      ["meta-llama/Llama-3-8B", "meta-llama_Llama-3-8B"],
    ];
    for (const [spec, name] of cases) assert.equal(modelFileName(spec), name, spec);
  });

  await t.step("refuses names that would leave the folder or are not portable", () => {
    for (
      const spec of [
        "local:../../../../tmp/x",
        "local:..",
        "groq:a/../b",
        "local:./x",
        "local:a\\b",
        "local:a\u0000b",
        "local:a\tb",
        `local:${"x".repeat(201)}`,
      ]
    ) {
      assert.throws(
        () => modelFileName(spec, { what: "--judge-model" }),
        (error: unknown) => error instanceof RangeError && error.message.includes("--judge-model"),
        JSON.stringify(spec),
      );
    }
  });
});
