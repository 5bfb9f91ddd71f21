import assert from "node:assert/strict";
import { join } from "node:path";
import type { MockScript } from "../../lib/chat/mod.ts";
import { LOCK_FLAG, onSharedData, REPO_ROOT, runCli, SHARED_DATA, spawnCli } from "../_helpers.ts";
import { groqJudgeArgs, writeFixtureDataRoot } from "../_fixture_data.ts";
import { type MockServer, startMockServer } from "../_mock_openai_server.ts";
import { tempDir } from "../_temp.ts";

const KEY = "gsk_TEST-do-not-leak-7f3a9c2e51";

/** A loopback judge whose behaviour each step can swap. */
async function judgeServer(latencyMs = 0) {
  const state: { script: MockScript } = {
    script: ({ messages }) => ({
      reply: messages.some((message) => message.content.includes("Assistant B"))
        ? "A is better. [[A]]"
        : "Solid answer. Rating: [[8]]",
    }),
  };
  const server = await startMockServer({ latencyMs, script: (request) => state.script(request) });
  return { server, state };
}

/** A fixture data root (8 questions, models gpt-3.5-turbo, gpt-4, claude-v1) unless given. */
async function fixtureRoot(questions = 8) {
  return await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }), { questions });
}

function judgeArgs(data: string, server: MockServer, output: string, extra: string[]): string[] {
  return groqJudgeArgs(data, output, server.baseUrl, extra);
}

async function readLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(path);
  assert.ok(text === "" || text.endsWith("\n"), "the file ends with a newline");
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}

function keyOf(record: Record<string, unknown>): string {
  return JSON.stringify([
    record.question_id,
    record.model ?? [record.model_1, record.model_2],
    record.turn,
    record.judge,
  ]);
}

async function assertNoSecret(texts: string[], output: string) {
  for (const text of texts) assert.ok(!text.includes(KEY), "the API key leaked to stdout/stderr");
  for await (const entry of walk(output)) {
    const content = await Deno.readTextFile(entry);
    assert.ok(!content.includes(KEY), `the API key leaked into ${entry}`);
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walk(path);
    else if (entry.isFile) yield path;
  }
}

const ENV = { GROQ_API_KEY: KEY };

Deno.test("judge CLI", async (t) => {
  const data = await fixtureRoot();
  const { server, state } = await judgeServer();
  const output = await tempDir({ prefix: "llm-judge-judge-" });
  const singleFile = join(output, "mt_bench", "model_judgment", "groq_single.jsonl");
  const texts: string[] = [];
  try {
    await t.step("--dry-run prints FastChat's stats and estimates, and calls nothing", async () => {
      const result = await runCli(
        judgeArgs(data.root, server, output, [
          "--model-list",
          "gpt-4",
          "--first-n",
          "6",
          "--dry-run",
        ]),
        ENV,
      );
      texts.push(result.stdout, result.stderr);
      assert.equal(result.code, 0, result.stderr);
      const stats = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
      // 6 of the 8 questions, turn 1 and turn 2.
      assert.equal(stats.total_num_matches, 12);
      assert.equal(stats.total_num_questions, 6);
      assert.equal(stats.to_judge, 12);
      assert.ok(stats.estimated_prompt_tokens > 0);
      assert.equal(typeof stats.estimated_cost_usd, "number");
      assert.equal(server.requests.length, 0);
    });

    await t.step(
      "single mode judges with the groq preset, reading a read-only data root",
      async () => {
        const result = await runCli(
          judgeArgs(data.root, server, output, [
            "--model-list",
            "gpt-4",
            "--first-n",
            "6",
            "--parallel",
            "8",
          ]),
          ENV,
        );
        texts.push(result.stdout, result.stderr);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stderr, /no reference answers by judge "groq"/);
        const records = await readLines(singleFile);
        assert.equal(records.length, 12);
        const prompts = new Set(records.map((record) => (record.judge as string[])[1]));
        assert.deepEqual([...prompts].sort(), [
          "single-math-v1",
          "single-math-v1-multi-turn",
          "single-v1",
          "single-v1-multi-turn",
        ]);
        assert.ok(records.every((record) => record.score === 8));
        assert.ok(records.every((record) => (record.judge as string[])[0] === "groq"));
        const provenance = records[0]!.provenance as Record<string, unknown>;
        assert.equal(provenance.provider, "groq");
        assert.equal(provenance.model, "llama-3.3-70b-versatile");
        assert.equal(provenance.base_url, server.baseUrl);
        const request = server.requests[0]!;
        assert.equal(request.path, "/v1/chat/completions");
        assert.equal(request.headers.authorization, `Bearer ${KEY}`);
        assert.equal(request.body.model, "llama-3.3-70b-versatile");
        assert.equal(request.body.temperature, 0);
        assert.equal(request.body.max_tokens, 2048);
      },
    );

    await t.step("a second run resumes: nothing left, no request, no duplicate", async () => {
      const before = server.requests.length;
      const result = await runCli(
        judgeArgs(data.root, server, output, ["--model-list", "gpt-4", "--first-n", "6"]),
        ENV,
      );
      texts.push(result.stdout, result.stderr);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /nothing to judge/);
      assert.equal(server.requests.length, before);
      assert.equal((await readLines(singleFile)).length, 12);
    });

    await t.step("pairwise-baseline plays both orders against the baseline", async () => {
      const result = await runCli(
        judgeArgs(data.root, server, output, [
          "--mode",
          "pairwise-baseline",
          "--model-list",
          "gpt-4",
          "claude-v1",
          "--first-n",
          "3",
          "--parallel",
          "4",
        ]),
        ENV,
      );
      texts.push(result.stdout, result.stderr);
      assert.equal(result.code, 0, result.stderr);
      const records = await readLines(
        join(output, "mt_bench", "model_judgment", "groq_pair.jsonl"),
      );
      assert.equal(records.length, 2 * 3 * 2);
      assert.ok(records.every((record) => record.model_2 === "gpt-3.5-turbo"));
      assert.ok(records.every((record) => record.g1_winner === "model_1"));
      assert.ok(records.every((record) => record.g2_winner === "model_2"));
    });

    await t.step("pairwise-all judges every pair into --output-file", async () => {
      const file = join(output, "custom", "all_pairs.jsonl");
      const result = await runCli(
        judgeArgs(data.root, server, output, [
          "--mode",
          "pairwise-all",
          "--model-list",
          "gpt-4",
          "claude-v1",
          "gpt-3.5-turbo",
          "--first-n",
          "2",
          "--output-file",
          file,
        ]),
        ENV,
      );
      texts.push(result.stdout, result.stderr);
      assert.equal(result.code, 0, result.stderr);
      const records = await readLines(file);
      assert.equal(records.length, 3 * 2 * 2);
      assert.deepEqual(
        [...new Set(records.map((record) => `${record.model_1}|${record.model_2}`))].sort(),
        ["claude-v1|gpt-3.5-turbo", "gpt-4|claude-v1", "gpt-4|gpt-3.5-turbo"],
      );
    });

    await t.step("failed requests become error records; --retry-errors replaces them", async () => {
      const file = join(output, "retry", "single.jsonl");
      state.script = ({ messages }) =>
        messages.at(-1)!.content.includes(data.firstTurns.get(81)!)
          ? { status: 500, message: "overloaded" }
          : { reply: "[[6]]" };
      const args = judgeArgs(data.root, server, output, [
        "--model-list",
        "gpt-4",
        "--first-n",
        "3",
        "--max-attempts",
        "2",
        "--output-file",
        file,
      ]);
      const first = await runCli(args, ENV);
      texts.push(first.stdout, first.stderr);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stderr, /2 error record\(s\)/);
      let records = await readLines(file);
      assert.equal(records.length, 6);
      assert.equal(records.filter((record) => record.score === -1).length, 2);
      assert.ok(records.some((record) => String(record.error).includes("HTTP 500")));

      state.script = () => ({ reply: "[[9]]" });
      const before = server.requests.length;
      const retry = await runCli([...args, "--retry-errors"], ENV);
      texts.push(retry.stdout, retry.stderr);
      assert.equal(retry.code, 0, retry.stderr);
      assert.equal(server.requests.length - before, 2);
      records = await readLines(file);
      assert.equal(records.length, 6);
      assert.equal(records.filter((record) => record.score === 9).length, 2);
      assert.equal(new Set(records.map(keyOf)).size, 6);
    });

    await t.step("a 401 stops the run early with a clear message and no key", async () => {
      state.script = () => ({ status: 401, message: `Invalid API Key ${KEY}` });
      const file = join(output, "fatal", "single.jsonl");
      const result = await runCli(
        judgeArgs(data.root, server, output, [
          "--model-list",
          "gpt-4",
          "--first-n",
          "5",
          "--output-file",
          file,
        ]),
        ENV,
      );
      texts.push(result.stdout, result.stderr);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /stopped early: the server refused a request \(HTTP 401/);
      assert.match(result.stderr, /GROQ_API_KEY/);
      // A run that wrote nothing leaves no empty file behind.
      await assert.rejects(Deno.stat(file), Deno.errors.NotFound);
    });

    await t.step("a missing key is reported by variable name", async () => {
      const result = await runCli(
        judgeArgs(data.root, server, output, [
          "--model-list",
          "gpt-4",
          "--first-n",
          "1",
          "--output-file",
          join(output, "nokey.jsonl"),
        ]),
        { GROQ_API_KEY: "" },
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, /set GROQ_API_KEY/);
    });

    await t.step("bad input exits non-zero before writing anything", async () => {
      const file = join(output, "bad", "single.jsonl");
      const missing = await runCli(
        judgeArgs(data.root, server, output, [
          "--model-list",
          "no-such-model",
          "--output-file",
          file,
        ]),
        ENV,
      );
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /no answer file for model "no-such-model"/);
      const usage = await runCli(judgeArgs(data.root, server, output, ["--mode", "pairs"]), ENV);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /--mode must be one of single, pairwise-baseline, pairwise-all/);
      await assert.rejects(Deno.stat(file));
    });

    await t.step("the API key appears in no output file, stdout or stderr", async () => {
      await assertNoSecret(texts, output);
    });
  } finally {
    await server.close();
  }
});

Deno.test("judge CLI: German MT-Bench with the multilingual prompts", onSharedData, async () => {
  const { server } = await judgeServer();
  const output = await tempDir({ prefix: "llm-judge-de-" });
  try {
    const questions = (await Deno.readTextFile(join(SHARED_DATA, "mt_bench_de", "question.jsonl")))
      .split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
    const answerDir = join(output, "mt_bench_de", "model_answer");
    await Deno.mkdir(answerDir, { recursive: true });
    const texts: Record<string, (turn: number) => string> = {
      "Phi-3-mini-4k-instruct": (turn) =>
        `Antwort ${
          turn + 1
        }: Das ist eine ausführliche Antwort auf Deutsch, die die Frage gründlich und verständlich beantwortet.`,
      "english-model": (turn) =>
        `Answer ${
          turn + 1
        }: This is a detailed answer written in English that addresses the question thoroughly and clearly.`,
    };
    for (const model of Object.keys(texts)) {
      const lines = questions.map((question) =>
        JSON.stringify({
          question_id: question.question_id,
          answer_id: `${model}-${question.question_id}`,
          model_id: model,
          choices: [{
            index: 0,
            turns: question.turns.map((_: string, turn: number) => texts[model]!(turn)),
          }],
          tstamp: 1720000000,
        })
      );
      await Deno.writeTextFile(join(answerDir, `${model}.jsonl`), lines.join("\n") + "\n");
    }
    const result = await runCli([
      "judge",
      "--data-dir",
      SHARED_DATA,
      "--output-dir",
      output,
      "--bench-name",
      "mt_bench_de",
      "--judge-file",
      join(SHARED_DATA, "judge_prompts_multilingual.jsonl"),
      "--model-list",
      "Phi-3-mini-4k-instruct",
      "--judge-model",
      "groq",
      "--judge-base-url",
      server.baseUrl,
      "--parallel",
      "16",
    ], ENV);
    assert.equal(result.code, 0, result.stderr);
    const records = await readLines(
      join(output, "mt_bench_de", "model_judgment", "groq_single.jsonl"),
    );
    assert.equal(records.length, 160);
    const firstTurn = records.find((record) => (record.judge as string[])[1] === "single-v1")!;
    assert.match(String(firstTurn.user_prompt), /The question provided is in German/);
    assert.doesNotMatch(String(firstTurn.user_prompt), /\{lang/);
    const math = records.find((record) => (record.judge as string[])[1] === "single-math-v1")!;
    assert.match(String(math.user_prompt), /\[The Start of Reference Answer\]/);
    // Multi-turn prompts carry the language in the system message.
    const systems = server.requests.map((request) =>
      (request.body.messages as { role: string; content: string }[])[0]!
    );
    assert.ok(
      systems.some((message) => message.role === "system" && message.content.includes("in German")),
    );
    assert.ok(systems.every((message) => !message.content.includes("{lang")));
    assert.ok(!result.stderr.includes(KEY) && !result.stdout.includes(KEY));

    // --check-language scores the English answers 1 without asking the judge,
    // and still sends the German ones.
    const before = server.requests.length;
    const checked = join(output, "checked.jsonl");
    const languageRun = await runCli([
      "judge",
      "--data-dir",
      SHARED_DATA,
      "--output-dir",
      output,
      "--bench-name",
      "mt_bench_de",
      "--judge-file",
      join(SHARED_DATA, "judge_prompts_multilingual.jsonl"),
      "--judge-model",
      "groq",
      "--judge-base-url",
      server.baseUrl,
      "--parallel",
      "16",
      "--check-language",
      "--output-file",
      checked,
    ], ENV);
    assert.equal(languageRun.code, 0, languageRun.stderr);
    const judged = await readLines(checked);
    assert.equal(judged.length, 320);
    const english = judged.filter((record) => record.model === "english-model");
    assert.ok(english.every((record) => record.score === 1));
    assert.ok(
      english.every((record) =>
        (record.provenance as Record<string, unknown>).language_check !== undefined
      ),
    );
    assert.ok(
      judged.filter((record) => record.model !== "english-model").every((record) =>
        record.score === 8
      ),
    );
    assert.equal(server.requests.length - before, 160);
  } finally {
    await server.close();
  }
});

Deno.test(
  "judge CLI: a killed run resumes without duplicates or torn lines",
  async () => {
    const data = await fixtureRoot(20);
    const { server } = await judgeServer(40);
    const output = await tempDir({ prefix: "llm-judge-kill-" });
    const file = join(output, "kill.jsonl");
    const args = judgeArgs(data.root, server, output, [
      "--model-list",
      "gpt-4",
      "claude-v1",
      "--first-n",
      "20",
      "--parallel",
      "4",
      "--output-file",
      file,
    ]);
    try {
      const child = spawnCli(args, { env: ENV });
      // Wait for some records, then kill it mid-run.
      for (let tries = 0; tries < 400; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const text = await Deno.readTextFile(file).catch(() => "");
        if (text.split("\n").length > 20) break;
      }
      child.kill("SIGKILL");
      await child.status;
      const partial = (await Deno.readTextFile(file)).split("\n").filter((line) => line !== "");
      assert.ok(
        partial.length > 0 && partial.length < 80,
        `killed mid-run after ${partial.length}`,
      );

      // The lock died with the process; a second run is not refused.
      const result = await runCli(args, ENV);
      assert.equal(result.code, 0, result.stderr);
      const records = await readLines(file);
      assert.equal(records.length, 80);
      assert.equal(new Set(records.map(keyOf)).size, 80);
    } finally {
      await server.close();
    }
  },
);

Deno.test(
  "judge CLI: a second concurrent run on the same output is refused",
  async () => {
    const data = await fixtureRoot();
    const { server, state } = await judgeServer();
    // The first run's requests wait until the second run has been refused.
    const refused = Promise.withResolvers<void>();
    const script = state.script;
    state.script = async (request) => {
      await refused.promise;
      return script(request);
    };
    const output = await tempDir({ prefix: "llm-judge-lock-" });
    const file = join(output, "locked.jsonl");
    const args = judgeArgs(data.root, server, output, [
      "--model-list",
      "gpt-4",
      "--first-n",
      "5",
      "--output-file",
      file,
    ]);
    try {
      const first = new Deno.Command(Deno.execPath(), {
        args: ["run", LOCK_FLAG, "--allow-all", join(REPO_ROOT, "cli", "main.ts"), ...args],
        env: { NO_COLOR: "1", ...ENV },
        stdout: "null",
        stderr: "null",
      }).spawn();
      for (let tries = 0; tries < 400; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        if (server.requests.length > 0) break;
      }
      const second = await runCli(args, ENV);
      refused.resolve();
      assert.equal(second.code, 1);
      assert.match(second.stderr, /Another llm-judge run is writing/);
      const status = await first.status;
      assert.equal(status.code, 0);
      assert.equal((await readLines(file)).length, 10);
    } finally {
      refused.resolve();
      await server.close();
    }
  },
);
