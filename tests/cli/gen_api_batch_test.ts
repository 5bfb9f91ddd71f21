import assert from "node:assert/strict";
import { join } from "node:path";
import { beforeExit, REPO_ROOT, runCli } from "../_helpers.ts";
import { writeFixtureDataRoot } from "../_fixture_data.ts";
import { type MockBatchServer, startMockBatchServer } from "../_mock_batch_server.ts";
import { tempDir } from "../_temp.ts";

/** A small data root of our own (8 questions; gpt-3.5-turbo, gpt-4, claude-v1). */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }))).root;

const ENV = { GROQ_API_KEY: "gsk_TEST-gen-batch-5e1f" };

function args(server: MockBatchServer, file: string, batch = true): string[] {
  return [
    "gen-api",
    "--data-dir",
    DATA,
    "--model",
    "groq:llama-3.1-8b-instant",
    "--openai-api-base",
    server.baseUrl,
    "--question-end",
    "3",
    "--answer-file",
    file,
    ...(batch ? ["--batch", "--batch-poll", "0.02"] : []),
  ];
}

const reply = (body: { messages: { role: string; content: string }[] }) =>
  `Answer ${body.messages.length} to ${body.messages.at(-1)!.content.slice(0, 12)}`;

async function answers(
  path: string,
): Promise<{ question_id: number; choices: { turns: string[] }[]; error?: string }[]> {
  const text = await Deno.readTextFile(path);
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

Deno.test(
  "gen-api --batch: turn 1 in one batch, turn 2 in the next; same answers as interactive",
  async () => {
    const server = await startMockBatchServer({ reply });
    const dir = await tempDir({ prefix: "llm-judge-gen-batch-" });
    try {
      const file = join(dir, "batch.jsonl");
      const result = await runCli(args(server, file), ENV);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(server.batches.length, 2);
      assert.deepEqual(server.batches.map((batch) => batch.requests), [3, 3]);
      const second = server.files.get(server.batches[1]!.inputFileId)!.trim().split("\n")
        .map((line) => JSON.parse(line));
      assert.ok(second.every((line) => line.body.messages[1].role === "assistant"));
      const live = join(dir, "live.jsonl");
      const interactive = await runCli(args(server, live, false), ENV);
      assert.equal(interactive.code, 0, interactive.stderr);
      const turns = async (path: string) =>
        (await answers(path)).map((answer) => [answer.question_id, answer.choices[0]!.turns]);
      assert.deepEqual(await turns(file), await turns(live));
      assert.ok((await answers(file)).every((answer) => answer.error === undefined));
    } finally {
      await server.close();
    }
  },
);

Deno.test(
  "gen-api --batch: killed while turn 2 is polled, a re-run pays for nothing twice",
  async () => {
    const server = await startMockBatchServer({ reply });
    const dir = await tempDir({ prefix: "llm-judge-gen-batch-kill-" });
    const file = join(dir, "kill.jsonl");
    try {
      const arrived = server.hold({ method: "GET", path: "/v1/batches/batch_2", after: false });
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", join(REPO_ROOT, "cli", "main.ts"), ...args(server, file)],
        env: { NO_COLOR: "1", ...ENV },
        stdout: "null",
        stderr: "null",
      }).spawn();
      await beforeExit(arrived, child, "polling batch_2");
      child.kill("SIGKILL");
      await child.status;
      server.release();
      const resumed = await runCli(args(server, file), ENV);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.equal(server.batches.length, 2, "neither turn was submitted again");
      const all = await answers(file);
      assert.equal(all.length, 3);
      assert.ok(all.every((answer) => answer.choices[0]!.turns.length === 2 && !answer.error));
      const journal = await Deno.readTextFile(`${file}.batches.jsonl`);
      assert.equal(journal.split("\n").filter((line) => line.includes('"collected"')).length, 2);
    } finally {
      await server.close();
    }
  },
);
