import assert from "node:assert/strict";
import { join } from "node:path";
import { readAnswers } from "../../mod.ts";
import { readFirstLine, runCli, spawnCli } from "../_helpers.ts";
import { startMockHub } from "../_mock_hub.ts";
import { COMMIT, CPU_VARIANT, pytorchRepo, variantRepo } from "../hub/_hub_fixture.ts";
import { tempDir } from "../_temp.ts";

const TOKEN = "hf_cliSecretToken0987654321";
const QUESTIONS = [
  { question_id: 81, category: "math", turns: ["What is 2+2?"] },
  { question_id: 82, category: "math", turns: ["And 3+3?"] },
];

async function dataRoot(): Promise<string> {
  const root = await tempDir({ prefix: "llm-judge-gen-hub-" });
  await Deno.mkdir(join(root, "mt_bench"), { recursive: true });
  await Deno.writeTextFile(
    join(root, "mt_bench", "question.jsonl"),
    QUESTIONS.map((question) => JSON.stringify(question)).join("\n") + "\n",
  );
  return root;
}

Deno.test("llm-judge gen --model-path org/name", async (t) => {
  const repo = await variantRepo({ gated: true });
  const hub = await startMockHub({
    repos: { "org/tiny": repo, "org/plain": pytorchRepo() },
    token: TOKEN,
  });
  const cache = await tempDir({ prefix: "llm-judge-hf-cache-" });
  const env = { HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: cache, HF_TOKEN: TOKEN };
  const gen = (root: string, extra: string[] = []) => [
    "gen",
    "--model-path",
    "org/tiny",
    "--model-id",
    "tiny-hub",
    "--data-dir",
    root,
    "--max-new-token",
    "4",
    "--ep",
    "cpu",
    ...extra,
  ];
  try {
    await t.step(
      "downloads the cpu variant through the mock Hub and writes the answers",
      async () => {
        const root = await dataRoot();
        const result = await runCli(gen(root), env);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, /org\/tiny@main \(commit 0123456789ab, variant cpu_and_mobile/);
        assert.match(result.stderr, /5 file\(s\) downloaded/);
        const file = join(root, "mt_bench", "model_answer", "tiny-hub.jsonl");
        const answers = await readAnswers(file);
        assert.deepEqual(answers.map((answer) => answer.question_id), [81, 82]);
        const generation = answers[0]!.generation as Record<string, unknown>;
        assert.equal(generation.model, "org/tiny");
        assert.equal(generation.hub_repo, "org/tiny");
        assert.equal(generation.hub_revision, "main");
        assert.equal(generation.hub_commit, COMMIT);
        assert.equal(generation.hub_variant, CPU_VARIANT);
        // The weights in model.onnx.data load with the edited graph (continuous batching).
        assert.equal(generation.batching, "continuous", JSON.stringify(generation.graph));
        for (const text of [result.stdout, result.stderr, await Deno.readTextFile(file)]) {
          assert.ok(!text.includes(TOKEN));
        }
      },
    );

    await t.step("runs again from the cache with HF_HUB_OFFLINE=1 and no request", async () => {
      const before = hub.requests.length;
      const root = await dataRoot();
      const result = await runCli(gen(root), { ...env, HF_HUB_OFFLINE: "1" });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /from the Hugging Face cache, no download/);
      assert.equal(hub.requests.length, before);
    });

    await t.step("a gated repo without HF_TOKEN exits 1 telling to set it", async () => {
      const root = await dataRoot();
      const result = await runCli(gen(root, ["--ep", "cuda"]), {
        HF_ENDPOINT: hub.endpoint,
        HF_HUB_CACHE: cache,
      });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /gated or private.*HF_TOKEN/);
    });

    await t.step("a PyTorch repo exits 1 with the export commands", async () => {
      const result = await runCli(
        ["gen", "--model-path", "org/plain", "--model-id", "p", "--data-dir", await dataRoot()],
        env,
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, /has no ONNX files/);
      assert.match(result.stderr, /optimum-cli export onnx --model org\/plain/);
    });

    await t.step("usage errors exit 2: a bad HF_ENDPOINT, an unknown --variant", async () => {
      const root = await dataRoot();
      const badEndpoint = await runCli(gen(root), { ...env, HF_ENDPOINT: "not a url" });
      assert.equal(badEndpoint.code, 2);
      assert.match(badEndpoint.stderr, /Invalid HF_ENDPOINT/);
      const badVariant = await runCli(gen(root, ["--variant", "gpu/none"]), env);
      assert.equal(badVariant.code, 2, badVariant.stderr);
      assert.match(badVariant.stderr, /No variant "gpu\/none".*cuda\/cuda-fp16/);
    });
  } finally {
    await hub.close();
  }
});

Deno.test("llm-judge serve --model-path org/name serves the Hub model", async () => {
  const hub = await startMockHub({ repos: { "org/tiny": await variantRepo() } });
  const cache = await tempDir({ prefix: "llm-judge-hf-cache-" });
  const child = spawnCli([
    "serve",
    "--model-path",
    "org/tiny",
    "--port",
    "0",
    "--ep",
    "cpu",
  ], { env: { HF_ENDPOINT: hub.endpoint, HF_HUB_CACHE: cache }, stdout: "piped", stderr: "piped" });
  const { text: output, stop } = await readFirstLine(child.stdout);
  try {
    // The served name is the repo's name; the files came through the mock Hub.
    const url = output.match(/^llm-judge serve: tiny \(.*at (http:\/\/127\.0\.0\.1:\d+\/v1)/)?.[1];
    assert.ok(url, `no URL in ${JSON.stringify(output)}`);
    const models = await (await fetch(`${url}/models`)).json();
    assert.deepEqual(models.data.map((model: { id: string }) => model.id), ["tiny"]);
    const response = await fetch(`${url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ messages: [{ role: "user", content: "Hi" }], max_tokens: 4 }),
    });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).object, "chat.completion");
    assert.ok(hub.requests.some((request) => request.path.includes("/resolve/")));
  } finally {
    child.kill("SIGINT");
    await stop();
    await child.status;
    await child.stderr.cancel();
    await hub.close();
  }
});
