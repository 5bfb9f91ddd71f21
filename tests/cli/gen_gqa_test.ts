// gen and serve over a model in ONNX Runtime GenAI's model-builder form (GroupQueryAttention, int4).
import assert from "node:assert/strict";
import { join } from "node:path";
import { readAnswers } from "../../mod.ts";
import { readFirstLine, runCli, spawnCli } from "../_helpers.ts";
import { builderModel } from "../generate/_fixtures.ts";
import { tempDir } from "../_temp.ts";

const QUESTIONS = [
  { question_id: 81, category: "writing", turns: ["Write a poem.", "Shorter."] },
  { question_id: 82, category: "math", turns: ["What is 2+2?", "And 3+3?"] },
  { question_id: 83, category: "stem", turns: ["Explain gravity to a child, with an example."] },
  { question_id: 84, category: "reasoning", turns: ["Why is the sky blue?", "Why not green?"] },
];

Deno.test("llm-judge gen answers with a GenAI model-builder int4 model (variant folder)", async () => {
  const model = await builderModel();
  const root = await tempDir({ prefix: "llm-judge-gen-gqa-" });
  await Deno.mkdir(join(root, "mt_bench"), { recursive: true });
  await Deno.writeTextFile(
    join(root, "mt_bench", "question.jsonl"),
    QUESTIONS.map((question) => JSON.stringify(question)).join("\n") + "\n",
  );
  const result = await runCli([
    "gen",
    "--model-path",
    model.dir,
    "--model-id",
    "tiny-int4",
    "--data-dir",
    root,
    "--max-new-token",
    "12",
    "--ep",
    "cpu",
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /4 answer\(s\) written, 0 with errors/);
  const answers = await readAnswers(join(root, "mt_bench", "model_answer", "tiny-int4.jsonl"));
  assert.deepEqual(answers.map((answer) => answer.question_id), [81, 82, 83, 84]);
  assert.deepEqual(answers.map((answer) => answer.choices[0]!.turns.length), [2, 2, 1, 2]);
  for (const answer of answers) {
    assert.equal((answer as { error?: string }).error, undefined);
    assert.ok(answer.choices[0]!.turns.every((turn) => turn !== "$ERROR$"));
  }
  // Replies stop on an end token or at the budget; most are not empty.
  assert.ok(answers.flatMap((answer) => answer.choices[0]!.turns).some((turn) => turn.length > 0));
  const generation = answers[0]!.generation as Record<string, unknown>;
  assert.equal(generation.batching, "continuous");
  assert.equal(generation.layout, "genai");
});

Deno.test("llm-judge serve answers concurrent requests with a GenAI model-builder int4 model", async () => {
  const model = await builderModel();
  const child = spawnCli([
    "serve",
    "--model-path",
    model.dir,
    "--model-id",
    "tiny-int4",
    "--port",
    "0",
    "--ep",
    "cpu",
    // The four requests sent at once must meet in one batch even on a busy machine.
    "--batch-wait-ms",
    "200",
  ], { stdout: "piped", stderr: "piped" });
  const { text: output, stop } = await readFirstLine(child.stdout);
  try {
    const url = output.match(/at (http:\/\/127\.0\.0\.1:\d+\/v1)/)?.[1];
    assert.ok(url, `no URL in ${JSON.stringify(output)}`);
    const ask = async (content: string) => {
      const response = await fetch(`${url}/chat/completions`, {
        method: "POST",
        body: JSON.stringify({
          model: "tiny-int4",
          messages: [{ role: "user", content }],
          max_tokens: 8,
          temperature: 0,
        }),
      });
      assert.equal(response.status, 200);
      return (await response.json()).choices[0].message.content as string;
    };
    const contents = ["Hi", "What is 2+2?", "Write a long poem about the sea and the sky.", "Why?"];
    const together = await Promise.all(contents.map(ask));
    // Each reply as when asked alone.
    for (const [index, content] of contents.entries()) {
      assert.equal(await ask(content), together[index]);
    }
  } finally {
    child.kill("SIGINT");
    await stop();
    const status = await child.status;
    const stderr = await new Response(child.stderr).text();
    assert.equal(status.code, 0, stderr);
    // The four concurrent requests were decoded together.
    assert.match(
      stderr,
      /stopped after 8 request\(s\) in \d+ forward pass\(es\) of up to 4 row\(s\)/,
    );
  }
});
