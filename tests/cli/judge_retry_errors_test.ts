/**
 * `judge --retry-errors` is crash-safe: killed with SIGKILL several times,
 * then run to the end, the file holds one record per key, the good one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, spawnCli } from "../_helpers.ts";
import { groqJudgeArgs, writeFixtureDataRoot } from "../_fixture_data.ts";
import { startMockServer } from "../_mock_openai_server.ts";
import { tempDir } from "../_temp.ts";

/** A small data root of our own (8 questions; gpt-3.5-turbo, gpt-4, claude-v1). */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }))).root;

const ENV = { GROQ_API_KEY: "gsk_test" };

function keyOf(record: Record<string, unknown>): string {
  return JSON.stringify([record.question_id, record.model, record.turn, record.judge]);
}

async function readRecords(path: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}

Deno.test(
  "judge CLI: --retry-errors killed with SIGKILL leaves one good record per key",
  async () => {
    // First pass: every request fails (error records); then a slow judge that succeeds.
    const state = { fail: true };
    const server = await startMockServer({
      latencyMs: 30,
      script: () =>
        state.fail ? { status: 400, message: "maximum context length exceeded" } : {
          reply: "Fine. Rating: [[8]]",
        },
    });
    const output = await tempDir({ prefix: "llm-judge-retry-kill-" });
    const file = join(output, "retry.jsonl");
    const args = groqJudgeArgs(DATA, output, server.baseUrl, [
      "--model-list",
      "gpt-4",
      "claude-v1",
      "--first-n",
      "8",
      "--parallel",
      "2",
      "--output-file",
      file,
    ]);
    try {
      const first = await runCli(args, ENV);
      assert.equal(first.code, 0, first.stderr);
      const errors = await readRecords(file);
      assert.equal(errors.length, 32);
      assert.ok(errors.every((record) => typeof record.error === "string"));

      state.fail = false;
      for (let kill = 0; kill < 3; kill++) {
        const before = (await Deno.stat(file)).size;
        const child = spawnCli([...args, "--retry-errors"], { env: ENV });
        for (let tries = 0; tries < 400; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          if ((await Deno.stat(file)).size > before + 3000) break;
        }
        child.kill("SIGKILL");
        await child.status;
      }
      const killed = await readRecords(file);
      assert.ok(killed.length > 32, `good records were appended beside errors: ${killed.length}`);

      const last = await runCli([...args, "--retry-errors"], ENV);
      assert.equal(last.code, 0, last.stderr);
      const records = await readRecords(file);
      assert.equal(records.length, 32);
      assert.equal(new Set(records.map(keyOf)).size, 32);
      assert.ok(records.every((record) => record.error === undefined && record.score === 8));

      const again = await runCli([...args, "--retry-errors"], ENV);
      assert.match(again.stderr, /nothing to judge/);
      assert.equal((await readRecords(file)).length, 32);
    } finally {
      await server.close();
    }
  },
);
