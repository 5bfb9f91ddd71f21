/**
 * The seed workflow of issue #11 (gen, judge --per-model-file, show) on small
 * fixtures: per-model judgment files, judge names without the provider
 * prefix, names refused, base URLs from the environment, the German judge
 * prompts by default, and the pause before a paid run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { onSharedData, REPO_ROOT, runCli, SHARED_DATA, SHARED_DATA_MISSING } from "../_helpers.ts";
import { type MockServer, startMockServer } from "../_mock_openai_server.ts";
import { tempDir } from "../_temp.ts";

const KEY = "gsk_TEST-seed-workflow-2b9d";
const ENV = { GROQ_API_KEY: KEY, LLM_JUDGE_DATA: SHARED_DATA };
const MODELS = ["Phi-3-mini-4k-instruct", "zephyr-7b"];

/** An output root with German answers of two models to mt_bench_de. */
async function germanOutputRoot(): Promise<string> {
  const output = await tempDir({ prefix: "llm-judge-seed-" });
  const questions = (await Deno.readTextFile(join(SHARED_DATA, "mt_bench_de", "question.jsonl")))
    .split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
  const answerDir = join(output, "mt_bench_de", "model_answer");
  await Deno.mkdir(answerDir, { recursive: true });
  for (const model of MODELS) {
    const lines = questions.map((question) =>
      JSON.stringify({
        question_id: question.question_id,
        answer_id: `${model}-${question.question_id}`,
        model_id: model,
        choices: [{
          index: 0,
          turns: question.turns.map((_: string, turn: number) =>
            `${model} Antwort ${turn + 1}: eine ausführliche Antwort auf Deutsch.`
          ),
        }],
        tstamp: 1720000000,
      })
    );
    await Deno.writeTextFile(join(answerDir, `${model}.jsonl`), lines.join("\n") + "\n");
  }
  return output;
}

function judgeArgs(output: string, ...extra: string[]): string[] {
  return [
    "judge",
    "--data-dir",
    SHARED_DATA,
    "--output-dir",
    output,
    "--bench-name",
    "mt_bench_de",
    "--judge-model",
    "groq",
    ...extra,
  ];
}

async function records(path: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}

function judgmentDir(output: string): string {
  return join(output, "mt_bench_de", "model_judgment");
}

async function names(directory: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    if (entry.name.endsWith(".jsonl")) out.push(entry.name);
  }
  return out.sort();
}

Deno.test("judge --per-model-file", onSharedData, async (t) => {
  const state = { fail: "" };
  const server = await startMockServer({
    script: ({ messages }) =>
      state.fail !== "" && messages.some((message) => message.content.includes(state.fail))
        ? { status: 500 }
        : { reply: "Gut. Rating: [[7]]" },
  });
  const output = await germanOutputRoot();
  const args = (...extra: string[]) =>
    judgeArgs(
      output,
      "--judge-base-url",
      server.baseUrl,
      "--model-list",
      ...MODELS,
      "--first-n",
      "2",
      "--per-model-file",
      ...extra,
    );
  const files = MODELS.map((model) => join(judgmentDir(output), `${model}_groq_single.jsonl`));
  try {
    await t.step("writes <model>_<judge>_single.jsonl per model and no shared file", async () => {
      const result = await runCli(args("--yes"), ENV);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(await names(judgmentDir(output)), [
        "Phi-3-mini-4k-instruct_groq_single.jsonl",
        "zephyr-7b_groq_single.jsonl",
      ]);
      for (const [index, model] of MODELS.entries()) {
        const lines = await records(files[index]!);
        assert.equal(lines.length, 4, "2 questions x 2 turns");
        assert.ok(lines.every((record) => record.model === model));
        assert.ok(lines.every((record) => (record.judge as string[])[0] === "groq"));
      }
      const stats = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
      assert.deepEqual(stats.output_files, files);
      assert.equal(stats.to_judge, 8);
      assert.equal(server.requests.length, 8);
    });

    await t.step("a second run resumes each file: no request, no duplicate", async () => {
      const before = server.requests.length;
      const result = await runCli(args(), ENV);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /nothing to judge/);
      assert.equal(server.requests.length, before);
      for (const file of files) assert.equal((await records(file)).length, 4);
    });

    await t.step("--retry-errors re-judges the error records of each file", async () => {
      const more = (...extra: string[]) =>
        args(...extra).map((arg) => arg === "2" ? "3" : arg).concat("--max-attempts", "1");
      state.fail = "zephyr-7b Antwort";
      const failed = await runCli(more(), ENV);
      assert.equal(failed.code, 0, failed.stderr);
      const phiBefore = await Deno.readTextFile(files[0]!);
      const zephyr = await records(files[1]!);
      assert.equal(zephyr.filter((record) => typeof record.error === "string").length, 2);
      assert.equal((await records(files[0]!)).length, 6);
      state.fail = "";
      const retried = await runCli(more("--retry-errors"), ENV);
      assert.equal(retried.code, 0, retried.stderr);
      const after = await records(files[1]!);
      assert.equal(after.length, 6);
      assert.ok(after.every((record) => record.error === undefined && record.score === 7));
      assert.equal(await Deno.readTextFile(files[0]!), phiBefore, "Phi's file is untouched");
    });

    await t.step("show reads <judge>_single.jsonl with every per-model file", async () => {
      await Deno.writeTextFile(
        join(judgmentDir(output), "groq_single.jsonl"),
        JSON.stringify({
          question_id: 81,
          model: "fastchat-file-model",
          judge: ["groq", "single-v1"],
          user_prompt: "",
          judgment: "Rating: [[4]]",
          score: 4,
          turn: 1,
          tstamp: 1,
        }) + "\n",
      );
      const result = await runCli([
        "show",
        "--bench-name",
        "mt_bench_de",
        "--judge-model",
        "groq",
        "--output-dir",
        output,
        "--bootstrap",
        "0",
      ], ENV);
      assert.equal(result.code, 0, result.stderr);
      const line = result.stderr.split("\n").find((text) => text.startsWith("llm-judge show:"))!;
      assert.ok(line.includes(join(judgmentDir(output), "groq_single.jsonl")), line);
      for (const file of files) assert.ok(line.includes(file), line);
      for (const model of [...MODELS, "fastchat-file-model"]) {
        assert.ok(result.stdout.includes(model), `show lacks ${model}`);
      }
      assert.match(result.stdout, /^Input files: /m);
    });

    await t.step("is a usage error in pairwise modes and with --output-file", async () => {
      const pairwise = await runCli(
        judgeArgs(output, "--per-model-file", "--mode", "pairwise-all"),
        ENV,
      );
      assert.equal(pairwise.code, 2);
      assert.match(pairwise.stderr, /--per-model-file works in single mode only/);
      const both = await runCli(
        judgeArgs(output, "--per-model-file", "--output-file", join(output, "x.jsonl")),
        ENV,
      );
      assert.equal(both.code, 2);
    });
  } finally {
    await server.close();
  }
});

Deno.test(
  "judge and gen-api: names without the provider prefix; unsafe names refused",
  onSharedData,
  async (t) => {
    const server = await startMockServer({ script: () => ({ reply: "Rating: [[6]]" }) });
    const output = await germanOutputRoot();
    try {
      await t.step(
        "groq:<model> writes <model>_single.jsonl; provenance keeps the spec",
        async () => {
          const result = await runCli(
            judgeArgs(output, "--yes", "--model-list", MODELS[0]!, "--first-n", "1")
              .map((arg) => arg === "groq" ? "groq:llama-3.1-8b-instant" : arg),
            { ...ENV, GROQ_BASE_URL: server.baseUrl },
          );
          assert.equal(result.code, 0, result.stderr);
          const lines = await records(
            join(judgmentDir(output), "llama-3.1-8b-instant_single.jsonl"),
          );
          assert.equal(lines.length, 2);
          assert.equal((lines[0]!.judge as string[])[0], "llama-3.1-8b-instant");
          const provenance = lines[0]!.provenance as Record<string, unknown>;
          assert.equal(provenance.judge_spec, "groq:llama-3.1-8b-instant");
          assert.equal(provenance.provider, "groq");
          assert.equal(provenance.model, "llama-3.1-8b-instant");
          assert.equal(provenance.base_url, server.baseUrl);
          assert.equal(server.requests.at(-1)!.body.model, "llama-3.1-8b-instant");
        },
      );

      await t.step("gen-api --model local:mock writes model_answer/mock.jsonl", async () => {
        const result = await runCli([
          "gen-api",
          "--model",
          "local:mock",
          "--openai-api-base",
          server.baseUrl,
          "--data-dir",
          SHARED_DATA,
          "--output-dir",
          output,
          "--question-end",
          "1",
        ]);
        assert.equal(result.code, 0, result.stderr);
        const answers = await records(join(output, "mt_bench", "model_answer", "mock.jsonl"));
        assert.equal(answers.length, 1);
        assert.equal(answers[0]!.model_id, "mock");
        // The stats and the estimate come first; without a terminal it goes on.
        const stats = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
        assert.equal(stats.model, "mock");
        assert.equal(stats.to_answer, 1);
        assert.equal(stats.requests, 2);
        assert.equal(stats.estimated_cost_usd_at_most, 0);
        assert.match(result.stderr, /not a terminal: going on without asking/);
      });

      await t.step("names that leave their folder or are not portable exit 2", async () => {
        const long = "x".repeat(201);
        const cases: [string[], RegExp][] = [
          [["judge", "--judge-model", "local:../../../../tmp/x"], /--judge-model names a file/],
          [["judge", "--judge-model", "local:..\\evil"], /--judge-model names a file/],
          [["judge", "--judge-model", "local:a\u0001b"], /control characters/],
          [["judge", "--judge-model", `local:${long}`], /more than 200/],
          [["gen-api", "--model", "local:../x"], /--model names a file/],
          [["gen-api", "--model", "m", "--model-id", "../x"], /--model-id names a file/],
          [["gen-api", "--model", "m", "--model-id", "a/b"], /cannot contain "\/"/],
          [["gen", "--model-path", "/nonexistent", "--model-id", ".."], /--model-id names a file/],
          [["serve", "--model-path", "/nonexistent", "--model-id", "a\\b"], /--model-id names/],
        ];
        for (const [args, message] of cases) {
          const where = args[0] === "serve" ? [] : ["--output-dir", output];
          const result = await runCli([...args, ...where], ENV);
          assert.equal(result.code, 2, `${JSON.stringify(args)}: ${result.stderr}`);
          assert.match(result.stderr, message);
        }
        await assert.rejects(Deno.stat("/tmp/x_single.jsonl"));
      });
    } finally {
      await server.close();
    }
  },
);

Deno.test("judge: base URLs from the environment", onSharedData, async (t) => {
  const servers: MockServer[] = await Promise.all(
    [0, 1].map(() => startMockServer({ script: () => ({ reply: "Rating: [[5]]" }) })),
  );
  const output = await germanOutputRoot();
  const [envServer, flagServer] = servers as [MockServer, MockServer];
  const one = (...extra: string[]) =>
    judgeArgs(output, "--yes", "--model-list", MODELS[0]!, "--first-n", "1", ...extra);
  try {
    await t.step("GROQ_BASE_URL sends the groq preset to another server", async () => {
      const file = join(output, "env.jsonl");
      const result = await runCli(one("--output-file", file), {
        ...ENV,
        GROQ_BASE_URL: envServer.baseUrl,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(envServer.requests.length, 2);
      assert.equal(envServer.requests[0]!.headers.authorization, `Bearer ${KEY}`);
      const provenance = (await records(file))[0]!.provenance as Record<string, unknown>;
      assert.equal(provenance.base_url, envServer.baseUrl);
    });

    await t.step("--judge-base-url wins over GROQ_BASE_URL", async () => {
      const file = join(output, "flag.jsonl");
      const result = await runCli(
        one("--output-file", file, "--judge-base-url", flagServer.baseUrl),
        { ...ENV, GROQ_BASE_URL: envServer.baseUrl },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(envServer.requests.length, 2, "no new request to the variable's server");
      assert.equal(flagServer.requests.length, 2);
    });

    await t.step("OPENAI_BASE_URL sends the openai preset there", async () => {
      const file = join(output, "openai.jsonl");
      const result = await runCli(
        one("--output-file", file).map((arg) => arg === "groq" ? "openai:gpt-4o-mini" : arg),
        { ...ENV, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: envServer.baseUrl },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(envServer.requests.at(-1)!.body.model, "gpt-4o-mini");
      const provenance = (await records(file))[0]!.provenance as Record<string, unknown>;
      assert.equal(provenance.judge_spec, "openai:gpt-4o-mini");
      assert.equal(provenance.base_url, envServer.baseUrl);
    });

    await t.step("the URL in the records has no credentials", async () => {
      const file = join(output, "credentials.jsonl");
      const withUser = envServer.baseUrl.replace("http://", "http://user:hunter2@");
      const result = await runCli(one("--output-file", file), { ...ENV, GROQ_BASE_URL: withUser });
      assert.equal(result.code, 0, result.stderr);
      const text = await Deno.readTextFile(file);
      assert.ok(!text.includes("hunter2"));
      assert.equal(
        ((await records(file))[0]!.provenance as Record<string, unknown>).base_url,
        envServer.baseUrl,
      );
    });

    await t.step("invalid URLs exit 2 at once, naming the flag or variable", async () => {
      const cases: [string[], Record<string, string>, RegExp][] = [
        [one(), { GROQ_BASE_URL: "localhost:8000" }, /GROQ_BASE_URL must be an http/],
        [
          one().map((arg) => arg === "groq" ? "gpt-4" : arg),
          { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: "api.example.com/v1" },
          /OPENAI_BASE_URL must be an http/,
        ],
        [one("--judge-base-url", "not a url"), {}, /--judge-base-url must be an http/],
        [
          ["gen-api", "--model", "m", "--openai-api-base", "ftp://x/v1", "--output-dir", output],
          {},
          /--openai-api-base must be an http/,
        ],
      ];
      for (const [args, env, message] of cases) {
        const started = performance.now();
        const result = await runCli(args, { ...ENV, ...env });
        const seconds = (performance.now() - started) / 1000;
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, message);
        assert.equal(result.stdout, "", "nothing done before the check");
        assert.ok(seconds < 5, `took ${seconds.toFixed(1)} s`);
      }
    });
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
});

Deno.test("judge: German prompts by default for mt_bench_de", onSharedData, async () => {
  const server = await startMockServer({ script: () => ({ reply: "Gut. Rating: [[9]]" }) });
  const output = await germanOutputRoot();
  try {
    const result = await runCli(
      judgeArgs(
        output,
        "--yes",
        "--judge-base-url",
        server.baseUrl,
        "--model-list",
        MODELS[0]!,
        "--first-n",
        "22",
      ),
      ENV,
    );
    assert.equal(result.code, 0, result.stderr);
    const notes = result.stderr.split("\n").filter((line) =>
      line.includes("judge_prompts_multilingual.jsonl")
    );
    assert.equal(notes.length, 1, result.stderr);
    assert.match(notes[0]!, /questions of mt_bench_de declare "lang" \(German\)/);
    const lines = await records(join(judgmentDir(output), "groq_single.jsonl"));
    const prompts = new Set(lines.map((record) => (record.judge as string[])[1]));
    assert.deepEqual([...prompts].sort(), [
      "single-math-v1",
      "single-math-v1-multi-turn",
      "single-v1",
      "single-v1-multi-turn",
    ]);
    const texts = server.requests.map((
      request,
    ) => (request.body.messages as { role: string; content: string }[]));
    const system = (messages: { role: string; content: string }[]) =>
      messages.find((message) => message.role === "system")?.content ?? "";
    const all = (messages: { role: string; content: string }[]) =>
      messages.map((message) => message.content).join("\n");
    // single-v1-multi-turn: the multilingual system prompt names the language.
    assert.ok(
      texts.some((messages) =>
        system(messages).includes("The question provided is in German") &&
        system(messages).includes("make sure that the assistant responses are in German")
      ),
    );
    // single-v1 (no reference) and single-math-v1 (with the reference) render too.
    assert.ok(
      texts.some((messages) => all(messages).includes("The question provided is in German")),
    );
    assert.ok(
      texts.some((messages) =>
        all(messages).includes("The question and the reference answer are provided in German") &&
        all(messages).includes("[The Start of Reference Answer]")
      ),
    );
    assert.ok(!texts.some((messages) => all(messages).includes("{lang}")));
  } finally {
    await server.close();
  }
});

/** Runs the CLI on a pseudo-terminal (util-linux `script`), feeding `input` once it asks. */
async function runOnTerminal(args: string[], env: Record<string, string>, input: string | null) {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const command = [
    Deno.execPath(),
    "run",
    "--allow-all",
    join(REPO_ROOT, "cli", "main.ts"),
    ...args,
  ]
    .map(quote).join(" ");
  const child = new Deno.Command("script", {
    args: ["-qec", command, "/dev/null"],
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  if (input === null) await writer.close();
  const stderr = new Response(child.stderr).arrayBuffer();
  let text = "";
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    if (input !== null && text.includes("press Enter")) {
      await writer.write(new TextEncoder().encode(input));
      await writer.close();
      input = null;
    }
  }
  if (input !== null) await writer.close();
  await stderr;
  return { code: (await child.status).code, text };
}

const hasScript = await new Deno.Command("script", { args: ["--version"] }).output()
  .then((output) => output.success, () => false);

Deno.test({
  name: "judge: the pause before a paid run (--yes, terminal, no terminal)",
  ignore: !hasScript || SHARED_DATA_MISSING,
  fn: async (t) => {
    const server = await startMockServer({ script: () => ({ reply: "Rating: [[5]]" }) });
    const output = await germanOutputRoot();
    const args = (file: string, ...extra: string[]) =>
      judgeArgs(
        output,
        "--judge-base-url",
        server.baseUrl,
        "--model-list",
        MODELS[0]!,
        "--first-n",
        "1",
        "--output-file",
        join(output, file),
        ...extra,
      );
    try {
      await t.step("on a terminal, end of input before Enter: stats, then nothing", async () => {
        const result = await runOnTerminal(args("eof.jsonl"), ENV, null);
        assert.equal(result.code, 1, result.text);
        assert.match(result.text, /"estimated_cost_usd"/);
        assert.match(result.text, /press Enter to start/);
        assert.match(result.text, /no confirmation/);
        assert.equal(server.requests.length, 0);
        await assert.rejects(Deno.stat(join(output, "eof.jsonl")));
      });

      await t.step("on a terminal, Enter starts the run", async () => {
        const result = await runOnTerminal(args("enter.jsonl"), ENV, "\n");
        assert.equal(result.code, 0, result.text);
        assert.ok(
          result.text.indexOf("estimated_cost_usd") < result.text.indexOf("press Enter"),
          "the estimate comes before the question",
        );
        assert.equal(server.requests.length, 2);
      });

      await t.step("--yes skips the pause on a terminal", async () => {
        const result = await runOnTerminal(args("yes.jsonl", "-y"), ENV, null);
        assert.equal(result.code, 0, result.text);
        assert.doesNotMatch(result.text, /press Enter/);
        assert.equal(server.requests.length, 4);
      });

      await t.step("without a terminal it prints the estimate and goes on", async () => {
        const result = await runCli(args("pipe.jsonl"), ENV);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /"estimated_cost_usd"/);
        assert.match(result.stderr, /not a terminal: going on without asking/);
        assert.equal(server.requests.length, 6);
      });

      await t.step("a missing key is reported before the stats", async () => {
        const result = await runCli(args("nokey.jsonl"), { ...ENV, GROQ_API_KEY: "" });
        assert.equal(result.code, 1);
        assert.match(result.stderr, /set GROQ_API_KEY/);
        assert.equal(result.stdout, "", "no stats");
        const dry = await runCli(args("nokey.jsonl", "--dry-run"), { ...ENV, GROQ_API_KEY: "" });
        assert.equal(dry.code, 0, dry.stderr);
        assert.match(dry.stderr, /note: .*set GROQ_API_KEY/);
        assert.match(dry.stdout, /Stats:/);
      });
    } finally {
      await server.close();
    }
  },
});
