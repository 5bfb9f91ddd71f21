import assert from "node:assert/strict";
import { join } from "node:path";
import type { MockScript } from "../../lib/chat/mod.ts";
import { runCli } from "../_helpers.ts";
import { groqJudgeArgs, writeFixtureDataRoot } from "../_fixture_data.ts";
import { startMockServer } from "../_mock_openai_server.ts";
import { hash } from "../calibrate/_scripted_judges.ts";
import { tempDir } from "../_temp.ts";

/** A small data root of our own (8 questions; gpt-3.5-turbo, gpt-4, claude-v1). */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }))).root;

const ENV = { GROQ_API_KEY: "gsk_test-repeats" };

/**
 * A judge that samples: the n-th time it sees a prompt is run n. Half the
 * prompts (by hash) get the same grade in every run; the others move by the
 * run number, so runs agree on about half the items.
 */
function samplingJudge(): MockScript {
  const seen = new Map<string, number>();
  return ({ messages }) => {
    const text = messages.map((message) => message.content).join("\n");
    const run = (seen.get(text) ?? 0) + 1;
    seen.set(text, run);
    const base = hash(text);
    const score = 1 + (base + (base % 2 === 1 ? run : 0)) % 10;
    return { reply: `Rating: [[${score}]]` };
  };
}

function args(baseUrl: string, output: string, extra: string[]): string[] {
  return groqJudgeArgs(DATA, output, baseUrl, [
    "--model-list",
    "gpt-4",
    "claude-v1",
    "--first-n",
    "8",
    "--parallel",
    "4",
    "--yes",
    ...extra,
  ]);
}

Deno.test("judge --repeats", async (t) => {
  const output = await tempDir({ prefix: "llm-judge-repeats-" });
  const server = await startMockServer({ script: samplingJudge() });
  const directory = join(output, "mt_bench", "model_judgment");
  try {
    await t.step("K > 1 needs --temperature above 0 (exit 2)", async () => {
      const result = await runCli(args(server.baseUrl, output, ["--repeats", "3"]), ENV);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /--repeats 3 needs --temperature above 0/);
      const bad = await runCli(args(server.baseUrl, output, ["--temperature", "-1"]), ENV);
      assert.equal(bad.code, 2);
      assert.equal(server.requests.length, 0);
    });

    await t.step("writes K run files at the temperature, the plain file untouched", async () => {
      const result = await runCli(
        args(server.baseUrl, output, ["--repeats", "3", "--temperature", "0.7"]),
        ENV,
      );
      assert.equal(result.code, 0, result.stderr);
      const stats = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
      assert.equal(stats.repeats, 3);
      assert.equal(stats.temperature, 0.7);
      // 8 questions x 2 models, turn 1 and turn 2: 32 matches per run.
      assert.equal(stats.total_num_matches, 32);
      assert.equal(stats.to_judge, 96);
      assert.deepEqual(
        stats.output_files.map((path: string) => path.slice(directory.length + 1)),
        ["groq_single.run1.jsonl", "groq_single.run2.jsonl", "groq_single.run3.jsonl"],
      );
      assert.equal(server.requests.length, 96);
      assert.ok(server.requests.every((request) => request.body.temperature === 0.7));
      for (let run = 1; run <= 3; run++) {
        const text = await Deno.readTextFile(join(directory, `groq_single.run${run}.jsonl`));
        const lines = text.trim().split("\n").map((line) => JSON.parse(line));
        assert.equal(lines.length, 32);
        assert.equal(lines[0].provenance.parameters.temperature, 0.7);
      }
      await assert.rejects(Deno.stat(join(directory, "groq_single.jsonl")), Deno.errors.NotFound);
    });

    await t.step("a re-run resumes every run file and makes no request", async () => {
      const before = server.requests.length;
      const result = await runCli(
        args(server.baseUrl, output, ["--repeats", "3", "--temperature", "0.7"]),
        ENV,
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal(server.requests.length, before);
    });

    await t.step("audit compares the run files as repeated runs", async () => {
      const result = await runCli([
        "audit",
        "--data-dir",
        DATA,
        "--output-dir",
        output,
        "--input-file",
        "groq_single.run1.jsonl",
        "groq_single.run2.jsonl",
        "groq_single.run3.jsonl",
        "--format",
        "json",
        "--bootstrap",
        "50",
      ]);
      assert.equal(result.code, 0, result.stderr);
      const repeats = JSON.parse(result.stdout).report.repeats;
      assert.equal(repeats.runs, 3);
      assert.equal(repeats.items, 32);
      // Prompts with an even hash keep their grade: about half the items are unanimous.
      assert.ok(repeats.unanimousRate > 0.25 && repeats.unanimousRate < 0.75, repeats);
      assert.ok(repeats.pairwiseAgreement > 0 && repeats.pairwiseAgreement < 1, repeats);
      assert.ok(repeats.meanItemScoreStd > 0, repeats);
      assert.deepEqual(
        repeats.models.map((entry: { model: string }) => entry.model).sort(),
        ["claude-v1", "gpt-4"],
      );
      for (const entry of repeats.models) assert.equal(entry.means.length, 3);
    });
  } finally {
    await server.close();
  }
});
