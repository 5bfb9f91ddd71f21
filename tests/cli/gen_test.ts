import assert from "node:assert/strict";
import { join } from "node:path";
import { readAnswers } from "../../mod.ts";
import { readFirstLine, runCli, spawnCli } from "../_helpers.ts";
import { startMockServer } from "../_mock_openai_server.ts";
import { copyModel, tinyModel } from "../generate/_fixtures.ts";
import { tempDir } from "../_temp.ts";

const QUESTIONS = [
  { question_id: 81, category: "writing", turns: ["Write a poem.", "Shorter."] },
  { question_id: 82, category: "math", turns: ["What is 2+2?", "And 3+3?"] },
  { question_id: 83, category: "stem", turns: ["Explain gravity."] },
  { question_id: 84, category: "reasoning", turns: ["Why is the sky blue?", "Why not green?"] },
];

async function dataRoot(): Promise<string> {
  const root = await tempDir({ prefix: "llm-judge-gen-" });
  await Deno.mkdir(join(root, "mt_bench"), { recursive: true });
  await Deno.writeTextFile(
    join(root, "mt_bench", "question.jsonl"),
    QUESTIONS.map((question) => JSON.stringify(question)).join("\n") + "\n",
  );
  return root;
}

const answerFile = (root: string, model: string) =>
  join(root, "mt_bench", "model_answer", `${model}.jsonl`);

Deno.test("llm-judge gen", async (t) => {
  const model = await tinyModel();
  const genArgs = (root: string, extra: string[] = []) => [
    "gen",
    "--model-path",
    model.dir,
    "--model-id",
    "tiny",
    "--data-dir",
    root,
    "--max-new-token",
    "12",
    "--ep",
    "cpu",
    ...extra,
  ];

  await t.step("writes FastChat answer records that describe the run", async () => {
    const root = await dataRoot();
    const result = await runCli(genArgs(root));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /loaded .* on cpu/);
    assert.match(result.stderr, /4 answer\(s\) written, 0 with errors, .* tok\/s/);
    const answers = await readAnswers(answerFile(root, "tiny"));
    assert.deepEqual(answers.map((answer) => answer.question_id), [81, 82, 83, 84]);
    assert.deepEqual(answers.map((answer) => answer.choices[0]!.turns.length), [2, 2, 1, 2]);
    const text = await Deno.readTextFile(answerFile(root, "tiny"));
    assert.match(
      text.split("\n")[0]!,
      /^\{"question_id": 81, "answer_id": "\w{22}", "model_id": "tiny", "choices": \[\{"index": 0, "turns": \[/,
    );
    const generation = answers[1]!.generation as Record<string, unknown>;
    assert.equal(generation.backend, "onnx");
    assert.equal(generation.device, "cpu");
    assert.equal(generation.dtype, "fp32");
    assert.equal(generation.template, "tokenizer_config.json");
    assert.match(String(generation.template_fingerprint), /^[0-9a-f]{16}$/);
    assert.equal(generation.temperature, 0);
    assert.equal(generation.bench, "mt_bench");
    assert.ok(Number(generation.prompt_tokens) > 0);
    assert.equal(generation.batching, "continuous");
    assert.equal(
      generation.graph,
      "cache: the graph outputs new entries only; the loop keeps the cache; logits: last position only",
    );
  });

  await t.step(
    "--no-graph-edit loads the graph as it is, with the same greedy answers",
    async () => {
      const edited = await dataRoot();
      const plain = await dataRoot();
      const slice = ["--question-begin", "1", "--question-end", "3"];
      assert.equal((await runCli(genArgs(edited, slice))).code, 0);
      const result = await runCli(genArgs(plain, [...slice, "--no-graph-edit"]));
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /static batching/);
      const turns = async (root: string) =>
        (await readAnswers(answerFile(root, "tiny"))).map((answer) => answer.choices[0]!.turns);
      assert.deepEqual(await turns(plain), await turns(edited));
      const [first] = await readAnswers(answerFile(plain, "tiny"));
      assert.equal((first!.generation as Record<string, unknown>).batching, "static");
    },
  );

  await t.step("resumes: skips answered questions and redoes missing ones", async () => {
    const root = await dataRoot();
    assert.equal((await runCli(genArgs(root, ["--question-end", "2"]))).code, 0);
    assert.equal((await readAnswers(answerFile(root, "tiny"))).length, 2);
    const again = await runCli(genArgs(root, ["--question-end", "2"]));
    assert.match(again.stderr, /nothing to do; all 2 question\(s\) are answered/);
    const rest = await runCli(genArgs(root));
    assert.match(rest.stderr, /answering 2 question\(s\) \(2 already answered\)/);
    const answers = await readAnswers(answerFile(root, "tiny"));
    assert.deepEqual(answers.map((answer) => answer.question_id), [81, 82, 83, 84]);
  });

  await t.step("answers the --question-begin/--question-end slice", async () => {
    const root = await dataRoot();
    const result = await runCli(genArgs(root, ["--question-begin", "1", "--question-end", "3"]));
    assert.equal(result.code, 0, result.stderr);
    const answers = await readAnswers(answerFile(root, "tiny"));
    assert.deepEqual(answers.map((answer) => answer.question_id), [82, 83]);
  });

  await t.step("reports a broken model directory with exit 1, naming the file", async () => {
    const root = await dataRoot();
    const broken = await copyModel(model.dir);
    await Deno.writeFile(join(broken, "onnx", "model.onnx"), new Uint8Array([1, 2, 3]));
    const result = await runCli([...genArgs(root).map((arg) => arg === model.dir ? broken : arg)]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /model\.onnx": ONNX Runtime cannot load it/);
    await assert.rejects(Deno.stat(answerFile(root, "tiny")));
  });

  await t.step("rejects a missing --model-id as a usage error", async () => {
    const result = await runCli(["gen", "--model-path", model.dir]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--model-id is required/);
  });
});

Deno.test("llm-judge gen-api", async (t) => {
  await t.step("spreads questions over replicas and writes FastChat records", async () => {
    const root = await dataRoot();
    const servers = await Promise.all([0, 1].map(() =>
      startMockServer({
        script: (request) => ({
          reply: `answer to ${request.messages.at(-1)!.content}`,
          delayMs: 10,
        }),
      })
    ));
    try {
      const result = await runCli([
        "gen-api",
        "--model",
        "my-model",
        "--openai-api-base",
        servers[0]!.baseUrl,
        servers[1]!.baseUrl,
        "--parallel",
        "4",
        "--data-dir",
        root,
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /requests per replica: /);
      assert.ok(servers.every((server) => server.requests.length > 0));
      const answers = await readAnswers(answerFile(root, "my-model"));
      assert.deepEqual(answers[1]!.choices[0]!.turns, [
        "answer to What is 2+2?",
        "answer to And 3+3?",
      ]);
      // Turn 2 carries the model's own turn-1 answer.
      const second = [...servers[0]!.requests, ...servers[1]!.requests].find((request) =>
        JSON.stringify(request.body.messages).includes("And 3+3?")
      )!;
      assert.deepEqual((second.body.messages as unknown[])[1], {
        role: "assistant",
        content: "answer to What is 2+2?",
      });
      assert.equal(second.body.temperature, 0);
      const generation = answers[0]!.generation as Record<string, unknown>;
      assert.equal(generation.backend, "api");
      assert.equal(generation.api_model, "my-model");
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  });

  await t.step("redoes error answers on the next run", async () => {
    const root = await dataRoot();
    const flaky = await startMockServer({
      script: (request) =>
        request.messages.at(-1)!.content === "Explain gravity." ? { status: 503 } : { reply: "ok" },
    });
    const args = [
      "gen-api",
      "--model",
      "m",
      "--openai-api-base",
      flaky.baseUrl,
      "--max-attempts",
      "1",
      "--data-dir",
      root,
    ];
    try {
      const first = await runCli(args);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stderr, /1 answer\(s\) have errors; re-run to retry them/);
      const failed = (await readAnswers(answerFile(root, "m"))).find((a) => a.question_id === 83)!;
      assert.deepEqual(failed.choices[0]!.turns, ["$ERROR$"]);
      const second = await runCli(args);
      assert.match(second.stderr, /answering 1 question\(s\) \(3 already answered\)/);
    } finally {
      await flaky.close();
    }
  });

  await t.step("stops with exit 1 when the server refuses the key", async () => {
    const root = await dataRoot();
    const server = await startMockServer({ script: () => ({ status: 401 }) });
    try {
      const result = await runCli([
        "gen-api",
        "--model",
        "m",
        "--openai-api-base",
        server.baseUrl,
        "--data-dir",
        root,
      ]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /stopped: the server refused a request \(HTTP 401/);
      // No empty answer file is left behind.
      await assert.rejects(Deno.stat(answerFile(root, "m")), Deno.errors.NotFound);
    } finally {
      await server.close();
    }
  });
});

Deno.test("llm-judge serve", async () => {
  const model = await tinyModel();
  const child = spawnCli([
    "serve",
    "--model-path",
    model.dir,
    "--model-id",
    "tiny",
    "--port",
    "0",
    "--ep",
    "cpu",
  ], { stdout: "piped", stderr: "piped" });
  const { text: output, stop } = await readFirstLine(child.stdout);
  try {
    const url = output.match(/at (http:\/\/127\.0\.0\.1:\d+\/v1)/)?.[1];
    assert.ok(url, `no URL in ${JSON.stringify(output)}`);
    const response = await fetch(`${url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({
        model: "tiny",
        messages: [{ role: "user", content: "Hi" }],
        max_tokens: 5,
      }),
    });
    const body = await response.json();
    assert.equal(response.status, 200);
    assert.equal(body.model, "tiny");
  } finally {
    child.kill("SIGINT");
    await stop();
    const status = await child.status;
    const stderr = await new Response(child.stderr).text();
    assert.equal(status.code, 0, stderr);
    // 5 tokens at most: a prefill and up to 4 steps, one row each.
    assert.match(
      stderr,
      /stopped after 1 request\(s\) in [1-5] forward pass\(es\) of up to 1 row\(s\)/,
    );
  }
});
