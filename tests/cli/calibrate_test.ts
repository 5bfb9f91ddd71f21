import assert from "node:assert/strict";
import { join } from "node:path";
import { onSharedData, runCli, SHARED_DATA } from "../_helpers.ts";
import { writeFixtureDataRoot } from "../_fixture_data.ts";
import { startMockServer } from "../_mock_openai_server.ts";
import { alwaysA, lengthJudge } from "../calibrate/_scripted_judges.ts";
import { tempDir } from "../_temp.ts";

/**
 * The data root: 8 questions, 3 models, and expert votes with the conversations
 * on all 3 pairs, 8 questions and 2 turns (48 items); claude-v1 has no
 * conversation on question 151, so its 4 items there cannot be built.
 */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }), {
  votes: "with-conversations",
})).root;

function args(data: string, baseUrl: string, output: string, extra: string[]): string[] {
  return [
    "calibrate",
    "--data-dir",
    data,
    "--output-dir",
    output,
    "--judge-model",
    "groq:llama-3.1-8b-instant",
    "--judge-base-url",
    baseUrl,
    "--yes",
    "--parallel",
    "4",
    "--bootstrap",
    "200",
    ...extra,
  ];
}

function judgeArgs(data: string, output: string, baseUrl: string, models: string[]): string[] {
  return [
    "judge",
    "--data-dir",
    data,
    "--output-dir",
    output,
    "--bench-name",
    "mt_bench_human",
    "--judge-model",
    "groq:llama-3.1-8b-instant",
    "--judge-base-url",
    baseUrl,
    "--mode",
    "pairwise-all",
    "--model-list",
    ...models,
    "--parallel",
    "8",
    "--yes",
  ];
}

Deno.test("calibrate command", async (t) => {
  const output = await tempDir({ prefix: "llm-judge-calibrate-" });
  const server = await startMockServer({ script: alwaysA });
  try {
    await t.step('judges a sample with an always-"[[A]]" judge and writes the report', async () => {
      const result = await runCli(
        args(DATA, server.baseUrl, output, ["--sample", "40", "--seed", "3", "--format", "json"]),
        { GROQ_API_KEY: "gsk_test" },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /44 of 48 expert-voted items have both answers/);
      assert.equal(
        result.stderr.match(/left out question 151, turn [12], claude-v1 vs gpt-/g)?.length,
        4,
        result.stderr,
      );
      const document = JSON.parse(result.stdout);
      assert.equal(document.sample.size, 40);
      assert.equal(document.report.positionBias.consistency, 0);
      assert.equal(document.report.positionBias.firstPositionPreference, 1);
      assert.equal(server.requests.length, 80);
      const saved = JSON.parse(
        await Deno.readTextFile(join(output, "reports", "calibration_llama-3.1-8b-instant.json")),
      );
      assert.deepEqual(saved.report.rows.length, document.report.rows.length);
      const markdown = await Deno.readTextFile(
        join(output, "reports", "calibration_llama-3.1-8b-instant.md"),
      );
      assert.match(markdown, /\| gpt4-pair vs human +\| items/);
      for (
        const file of [
          "question.jsonl",
          "model_answer/gpt-4.jsonl",
          "reference_answer/gpt-4.jsonl",
          "bench_check.json",
        ]
      ) {
        await Deno.stat(join(output, "mt_bench_human", file));
      }
    });

    await t.step(
      "judge works on mt_bench_human in the output root; --skip-missing skips question 151",
      async () => {
        const judge = judgeArgs(DATA, output, server.baseUrl, ["gpt-4", "claude-v1"]);
        const env = { GROQ_API_KEY: "gsk_test" };
        const stopped = await runCli(judge, env);
        assert.equal(stopped.code, 1, stopped.stderr);
        assert.match(stopped.stderr, /"claude-v1" has no answer to question 151/);
        assert.match(stopped.stderr, /--skip-missing/);
        const before = server.requests.length;
        const result = await runCli([...judge, "--skip-missing"], env);
        assert.equal(result.code, 0, result.stderr);
        // 8 questions, 2 turns each: 16 matches, less both turns of question 151.
        assert.equal(
          result.stderr.match(/note: --skip-missing: skipped 2 match\(es\)/g)?.length,
          1,
          result.stderr,
        );
        assert.match(result.stderr, /claude-v1 has no answer to question 151/);
        const stats = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
        assert.equal(stats.total_num_questions, 8);
        assert.equal(stats.total_num_matches, 14);
        assert.equal(server.requests.length - before, 2 * 14);
        const lines = (await Deno.readTextFile(
          join(output, "mt_bench_human", "model_judgment", "llama-3.1-8b-instant_pair.jsonl"),
        )).split("\n").filter((line) => line !== "");
        // The 40 calibration matches, then the 14 of judge (both orders in one line each).
        assert.equal(lines.length, 40 + 14);
      },
    );

    await t.step("resumes: a second run makes no request and gives the same figures", async () => {
      const before = server.requests.length;
      const result = await runCli(
        args(DATA, server.baseUrl, output, ["--sample", "40", "--seed", "3", "--format", "csv"]),
        { GROQ_API_KEY: "gsk_test" },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(server.requests.length, before);
      assert.match(result.stderr, /40 match\(es\) already judged, 0 request/);
      assert.match(result.stdout, /^judges,votes,category,turn,s1_agree/);
    });

    await t.step("--dry-run counts every item and the requests left", async () => {
      const result = await runCli(
        args(DATA, server.baseUrl, output, ["--dry-run"]),
        { GROQ_API_KEY: "gsk_test" },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stderr,
        /44 item\(s\), mode pairwise: 40 match\(es\) already judged, 8 request/,
      );
    });
  } finally {
    await server.close();
  }

  await t.step("mode both: single-vs-pair agreement of a length judge", async () => {
    const lengthServer = await startMockServer({ script: lengthJudge });
    const both = await tempDir({ prefix: "llm-judge-calibrate-" });
    try {
      const result = await runCli(
        args(DATA, lengthServer.baseUrl, both, [
          "--sample",
          "30",
          "--mode",
          "both",
          "--format",
          "json",
        ]),
        { GROQ_API_KEY: "gsk_test" },
      );
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout).report;
      const row = report.rows.find((entry: { label: string }) =>
        entry.label === "groq:llama-3.1-8b-instant (single) vs groq:llama-3.1-8b-instant"
      );
      for (const turn of row.result.turns) assert.equal(turn.withTie.ratio, 1);
      assert.equal(report.positionBias.consistency, 1);
    } finally {
      await lengthServer.close();
    }
  });

  await t.step("bad usage exits 2", async () => {
    const result = await runCli(["calibrate", "--mode", "pairwise"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--judge-model is required/);
  });
});

Deno.test("calibrate command on the upstream data: FastChat's figures", onSharedData, async (t) => {
  const output = await tempDir({ prefix: "llm-judge-calibrate-" });
  const server = await startMockServer({ script: alwaysA });
  const env = { GROQ_API_KEY: "gsk_test" };
  try {
    await t.step("1629 of 1633 expert-voted items; question 144 left out", async () => {
      const result = await runCli(
        args(SHARED_DATA, server.baseUrl, output, ["--sample", "40", "--seed", "3"]),
        env,
      );
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /1629 of 1633 expert-voted items have both answers/);
      assert.match(result.stderr, /left out question 144/);
      assert.equal(server.requests.length, 80);
    });

    await t.step("judge --skip-missing: 158 matches of vicuna-13b-v1.2 vs alpaca-13b", async () => {
      const judge = judgeArgs(SHARED_DATA, output, server.baseUrl, [
        "vicuna-13b-v1.2",
        "alpaca-13b",
      ]);
      const before = server.requests.length;
      const result = await runCli([...judge, "--skip-missing"], env);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /vicuna-13b-v1\.2 has no answer to question 144/);
      const stats = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
      assert.equal(stats.total_num_questions, 80);
      assert.equal(stats.total_num_matches, 158);
      assert.equal(server.requests.length - before, 2 * 158);
    });

    await t.step("--dry-run: 1629 items, 3178 requests left", async () => {
      const result = await runCli(args(SHARED_DATA, server.baseUrl, output, ["--dry-run"]), env);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stderr,
        /1629 item\(s\), mode pairwise: 40 match\(es\) already judged, 3178 request/,
      );
    });
  } finally {
    await server.close();
  }
});
