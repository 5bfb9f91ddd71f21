/**
 * The seed workflow end to end, in its Deno form, as the README opens the
 * Generation section: a Phi-3 ONNX repo from the (mock) Hugging Face Hub,
 * answers to German MT-Bench, a (mock) Groq judge with per-model judgment
 * files, and the score table. Each command runs as `deno task <name>`, so the
 * tasks' permissions are part of the test.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadOnnxBackend, readAnswers, readQuestions } from "../../mod.ts";
import { onSharedData, runDeno, SHARED_DATA } from "../_helpers.ts";
import { startMockHub } from "../_mock_hub.ts";
import { startMockServer } from "../_mock_openai_server.ts";
import { builderModel } from "../generate/_fixtures.ts";
import { tempDir } from "../_temp.ts";

const REPO = "microsoft/Phi-3-mini-4k-instruct-onnx";
const MODEL_ID = "Phi-3-mini-4k-instruct";
const VARIANT = "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4";
const GROQ_KEY = "gsk_e2eSecret-0123456789";

function task(name: string, args: string[], env: Record<string, string>) {
  return runDeno(["task", "--quiet", name, ...args], env);
}

Deno.test(
  "seed workflow: Hub model -> gen mt_bench_de -> groq judge -> show",
  onSharedData,
  async (t) => {
    const model = await builderModel();
    const files: Record<string, Uint8Array<ArrayBuffer>> = {};
    for await (const entry of Deno.readDir(model.dir)) {
      files[`${VARIANT}/${entry.name}`] = await Deno.readFile(join(model.dir, entry.name));
    }
    const hub = await startMockHub({ repos: { [REPO]: { files, sha: "a".repeat(40) } } });
    const groq = await startMockServer({
      script: ({ messages }) => ({
        reply: `Die Antwort ist hilfreich. Rating: [[${messages.length % 3 + 6}]]`,
      }),
    });
    const output = await tempDir({ prefix: "llm-judge-seed-" });
    const env = {
      LLM_JUDGE_DATA: SHARED_DATA,
      LLM_JUDGE_OUTPUT: output,
      HF_ENDPOINT: hub.endpoint,
      HF_HUB_CACHE: join(output, "hf-cache"),
      GROQ_BASE_URL: groq.baseUrl,
      GROQ_API_KEY: GROQ_KEY,
    };
    const answerFile = join(output, "mt_bench_de", "model_answer", `${MODEL_ID}.jsonl`);
    const judgmentFile = join(
      output,
      "mt_bench_de",
      "model_judgment",
      `${MODEL_ID}_groq_single.jsonl`,
    );
    try {
      await t.step("gen answers the 80 German questions with the Hub model", async () => {
        const result = await task("gen", [
          "--model-path",
          REPO,
          "--model-id",
          MODEL_ID,
          "--dtype",
          "bfloat16",
          "--bench-name",
          "mt_bench_de",
          "--max-new-token",
          "8",
        ], env);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, new RegExp(`variant ${VARIANT}`));
        const questions = await readQuestions(join(SHARED_DATA, "mt_bench_de", "question.jsonl"));
        const answers = await readAnswers(answerFile);
        assert.equal(answers.length, 80);
        assert.deepEqual(
          answers.map((answer) => answer.question_id),
          questions.map((question) => question.question_id),
        );
        // Each turn's prompt is the German conversation rendered by the model's chat template.
        const backend = await loadOnnxBackend(model.dir, { ep: "cpu", maxBatchSize: 1 });
        try {
          for (const [index, answer] of answers.entries()) {
            assert.equal(answer.model_id, MODEL_ID);
            const turns = answer.choices[0]!.turns;
            assert.equal(turns.length, 2);
            const record = answer as unknown as { generation: Record<string, unknown> };
            const generation = record.generation;
            assert.equal(generation.hub_repo, REPO);
            assert.equal(generation.hub_variant, VARIANT);
            assert.equal(record.generation.error, undefined);
            // `turns` holds, per choice, the statistics of each turn.
            const stats = (generation.turns as { prompt_tokens: number }[][])[0]!;
            const question = questions[index]!;
            const first = backend.renderPrompt([{ role: "user", content: question.turns[0]! }]);
            assert.equal(stats[0]!.prompt_tokens, backend.encode(first).length);
            const second = backend.renderPrompt([
              { role: "user", content: question.turns[0]! },
              { role: "assistant", content: turns[0]! },
              { role: "user", content: question.turns[1]! },
            ]);
            assert.equal(stats[1]!.prompt_tokens, backend.encode(second).length);
          }
        } finally {
          await backend.close();
        }
      });

      await t.step("judge --judge-model groq --per-model-file writes the fork's file", async () => {
        const result = await task("judge", [
          "--model-list",
          MODEL_ID,
          "--bench-name",
          "mt_bench_de",
          "--judge-model",
          "groq",
          "--per-model-file",
          "--yes",
        ], env);
        assert.equal(result.code, 0, result.stderr);
        const lines = (await Deno.readTextFile(judgmentFile)).trim().split("\n");
        assert.equal(lines.length, 160);
        // The German judge prompts, sent to Groq's default model.
        assert.equal(groq.requests.length, 160);
        for (const request of groq.requests) {
          assert.equal(request.body.model, "llama-3.3-70b-versatile");
          assert.equal(request.headers["authorization"], `Bearer ${GROQ_KEY}`);
          const text = JSON.stringify(request.body.messages);
          assert.match(text, /make sure that the assistant responses are in German/);
        }
        for (const text of [result.stdout, result.stderr, ...lines]) {
          assert.ok(!text.includes(GROQ_KEY), "the key never reaches outputs");
        }
      });

      await t.step("show reads that file and prints the score table", async () => {
        const result = await task("show", [
          "--bench-name",
          "mt_bench_de",
          "--input-file",
          judgmentFile,
          "--bootstrap",
          "0",
        ], env);
        assert.equal(result.code, 0, result.stderr);
        const records = (await Deno.readTextFile(judgmentFile)).trim().split("\n").map((line) =>
          JSON.parse(line) as { score: number }
        );
        const mean = records.reduce((sum, record) => sum + record.score, 0) / records.length;
        assert.match(result.stdout, new RegExp(`${MODEL_ID}\\s+${mean.toFixed(4)}`));
      });
    } finally {
      await groq.close();
      await hub.close();
    }
  },
);
