import assert from "node:assert/strict";
import { join } from "node:path";
import { beforeExit, REPO_ROOT, runCli } from "../_helpers.ts";
import { groqJudgeArgs, writeFixtureDataRoot } from "../_fixture_data.ts";
import { type MockBatchServer, startMockBatchServer } from "../_mock_batch_server.ts";
import { tempDir } from "../_temp.ts";

/** A small data root of our own (8 questions; gpt-3.5-turbo, gpt-4, claude-v1). */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }))).root;

const KEY = "gsk_TEST-batch-do-not-leak-91c2";
const ENV = { GROQ_API_KEY: KEY };

function args(server: MockBatchServer, file: string, extra: string[] = []): string[] {
  return groqJudgeArgs(DATA, join(file, ".."), server.baseUrl, [
    "--model-list",
    "gpt-4",
    "--first-n",
    "4",
    "--output-file",
    file,
    "--batch",
    "--batch-poll",
    "0.02",
    ...extra,
  ]);
}

async function records(path: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(path);
  assert.ok(text.endsWith("\n"));
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}

/** A record without its provenance timing (tstamp, latency), as a comparable line. */
function timeless(line: string): string {
  return line.replace(/"tstamp": [0-9.e+]+/, '"tstamp": 0').replace(
    /"latency_ms": (null|[0-9]+)/,
    '"latency_ms": 0',
  );
}

async function sortedLines(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((line) => line !== "").map(timeless).sort();
}

function spawn(argv: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", join(REPO_ROOT, "cli", "main.ts"), ...argv],
    env: { NO_COLOR: "1", ...ENV },
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function journal(file: string): Promise<Record<string, unknown>[]> {
  return await records(`${file}.batches.jsonl`);
}

Deno.test("judge --batch", async (t) => {
  const server = await startMockBatchServer();
  const dir = await tempDir({ prefix: "llm-judge-batch-" });
  try {
    await t.step("writes the same records as the interactive path, but for timing", async () => {
      for (const mode of ["single", "pairwise-baseline"]) {
        const batchFile = join(dir, `batch-${mode}.jsonl`);
        const liveFile = join(dir, `live-${mode}.jsonl`);
        const batch = await runCli([...args(server, batchFile), "--mode", mode], ENV);
        assert.equal(batch.code, 0, batch.stderr);
        const live = await runCli(
          [...args(server, liveFile), "--mode", mode].filter((arg) =>
            arg !== "--batch" && arg !== "--batch-poll" && arg !== "0.02"
          ),
          ENV,
        );
        assert.equal(live.code, 0, live.stderr);
        const expected = await sortedLines(liveFile);
        assert.equal(expected.length, mode === "single" ? 8 : 8);
        assert.deepEqual(await sortedLines(batchFile), expected);
        assert.ok(batch.stderr.includes("batch: "), batch.stderr);
      }
      assert.equal(server.batches.length, 2);
      const input = server.files.get(server.batches[0]!.inputFileId)!;
      const first = JSON.parse(input.split("\n")[0]!);
      assert.equal(first.url, "/v1/chat/completions");
      assert.ok(first.custom_id.startsWith('["answer","mt_bench",'), first.custom_id);
      assert.deepEqual(Object.keys(first.body), [
        "model",
        "messages",
        "n",
        "temperature",
        "max_tokens",
      ]);
    });

    await t.step(
      "the journal lists the part, file, intent, batch, states and collection",
      async () => {
        const events = await journal(join(dir, "batch-single.jsonl"));
        assert.deepEqual(
          events.map((event) => event.event),
          ["part", "file", "create", "batch", "status", "status", "collected"],
        );
        assert.ok(
          !(await Deno.readTextFile(join(dir, "batch-single.jsonl.batches.jsonl"))).includes(KEY),
        );
      },
    );

    await t.step("a second run submits nothing", async () => {
      const before = server.batches.length;
      const again = await runCli(args(server, join(dir, "batch-single.jsonl")), ENV);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(server.batches.length, before);
    });

    await t.step("--dry-run shows the batch price next to the interactive one", async () => {
      const result = await runCli(
        [
          ...args(server, join(dir, "dry.jsonl")),
          "--dry-run",
          "--price-input",
          "2",
          "--price-output",
          "8",
        ],
        ENV,
      );
      assert.equal(result.code, 0, result.stderr);
      const stats = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
      assert.equal(typeof stats.estimated_cost_usd, "number");
      // Groq's batch discount is 25% (lib/chat/model_prices.ts); figures are rounded to 4 places.
      assert.ok(stats.estimated_cost_usd > 0);
      assert.ok(
        Math.abs(stats.estimated_batch_cost_usd - stats.estimated_cost_usd * 0.75) <= 1e-4,
        JSON.stringify(stats),
      );
    });
  } finally {
    await server.close();
  }
});

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function keyOf(record: Record<string, unknown>): string {
  return JSON.stringify([record.question_id, record.model, record.turn, record.judge]);
}

async function assertComplete(file: string, errors = 0): Promise<Record<string, unknown>[]> {
  const all = await records(file);
  assert.equal(all.length, 8);
  assert.equal(new Set(all.map(keyOf)).size, 8, "no duplicate records");
  assert.equal(all.filter((record) => typeof record.error === "string").length, errors);
  return all;
}

for (
  const [name, hold] of [
    ["after the upload", { method: "POST", path: "/v1/batches", after: false }],
    ["after the batch was created", { method: "POST", path: "/v1/batches", after: true }],
    ["while polling", { method: "GET", path: "/v1/batches/batch_", after: false }],
  ] as const
) {
  Deno.test(
    `judge --batch: kill -9 ${name}, then resume: one batch, every record once`,
    async () => {
      const server = await startMockBatchServer();
      const dir = await tempDir({ prefix: "llm-judge-batch-kill-" });
      const file = join(dir, "kill.jsonl");
      try {
        const arrived = server.hold(hold);
        const child = spawn(args(server, file));
        await beforeExit(arrived, child, `the request held ${name}`);
        child.kill("SIGKILL");
        await child.status;
        server.release();
        const before = (await journal(file)).map((event) => event.event);
        assert.ok(before.includes("file"), `the journal knows the file: ${before}`);
        assert.ok(!before.includes("collected"));
        const resumed = await runCli(args(server, file), ENV);
        assert.equal(resumed.code, 0, resumed.stderr);
        assert.equal(server.batches.length, 1, "the requests were submitted once");
        await assertComplete(file);
        if (hold.after) {
          assert.match(resumed.stderr, /found batch batch_1 of an interrupted creation/);
        }
        if (hold.method === "GET") assert.match(resumed.stderr, /resuming 1 batch\(es\)/);
      } finally {
        await server.close();
      }
    },
  );
}

Deno.test(
  "judge --batch: a batch that expires partway gives error records; --retry-errors redoes them",
  async () => {
    const server = await startMockBatchServer({
      script: (index) =>
        index === 0 ? { states: ["validating", "in_progress", "expired"], answered: 0.5 } : {},
    });
    const dir = await tempDir({ prefix: "llm-judge-batch-expire-" });
    const file = join(dir, "expire.jsonl");
    try {
      const first = await runCli(args(server, file), ENV);
      assert.equal(first.code, 0, first.stderr);
      const partial = await assertComplete(file, 4);
      const failed = partial.find((record) => typeof record.error === "string")!;
      assert.match(
        String(failed.error),
        /batch_1 expired \(24h window\) before this request was done/,
      );
      assert.equal(failed.score, -1);
      assert.equal(failed.judgment, "$ERROR$");
      assert.match(first.stderr, /4 error record\(s\); re-judge them with --retry-errors/);

      const retry = await runCli([...args(server, file), "--retry-errors"], ENV);
      assert.equal(retry.code, 0, retry.stderr);
      assert.equal(server.batches.length, 2);
      assert.equal(server.batches[1]!.requests, 4, "only the expired requests went again");
      await assertComplete(file, 0);
    } finally {
      await server.close();
    }
  },
);

Deno.test("judge --batch: a 5xx on the file download is retried", async () => {
  const server = await startMockBatchServer({ script: () => ({ downloadFailures: 1 }) });
  const dir = await tempDir({ prefix: "llm-judge-batch-5xx-" });
  const file = join(dir, "download.jsonl");
  try {
    const result = await runCli(args(server, file), ENV);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /retry in .*HTTP 503: scripted download failure/);
    await assertComplete(file, 0);
    const downloads = server.requests.filter((request) => request.path.endsWith("/content"));
    assert.equal(downloads.length, 2);
  } finally {
    await server.close();
  }
});

Deno.test(
  "judge --batch: malformed output lines and the error file become error records",
  async () => {
    const server = await startMockBatchServer({
      script: () => ({ malformedLines: 1, rejects: (id) => id.includes('",81,') }),
    });
    const dir = await tempDir({ prefix: "llm-judge-batch-bad-" });
    const file = join(dir, "bad.jsonl");
    try {
      const result = await runCli(args(server, file), ENV);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /1 line\(s\) of file file-out-batch_1 could not be read/);
      const all = await records(file);
      assert.equal(all.length, 8);
      const rejected = all.filter((record) =>
        String(record.error).includes("HTTP 400: scripted rejection")
      );
      assert.equal(rejected.length, 2, "question 81, turns 1 and 2");
      const missing = all.filter((record) => String(record.error).includes("without a result"));
      assert.equal(missing.length, 1);
    } finally {
      await server.close();
    }
  },
);

Deno.test(
  "judge --batch: a failed batch gives error records with the provider's reason",
  async () => {
    const server = await startMockBatchServer({
      script: () => ({ states: ["validating", "failed"] }),
    });
    const dir = await tempDir({ prefix: "llm-judge-batch-failed-" });
    const file = join(dir, "failed.jsonl");
    try {
      const result = await runCli(args(server, file), ENV);
      assert.equal(result.code, 0, result.stderr);
      const all = await assertComplete(file, 8);
      assert.match(String(all[0]!.error), /batch_1 failed: scripted validation failure/);
    } finally {
      await server.close();
    }
  },
);

Deno.test(
  "judge --batch-status and --batch-cancel; a re-run collects what the batch finished",
  async () => {
    const server = await startMockBatchServer({
      script: () => ({ states: ["validating", ...Array(1000).fill("in_progress"), "completed"] }),
    });
    const dir = await tempDir({ prefix: "llm-judge-batch-cancel-" });
    const file = join(dir, "cancel.jsonl");
    try {
      const child = spawn(args(server, file));
      await waitFor(
        async () =>
          (await journal(file).catch(() => [])).some((event) => event.status === "in_progress"),
        "a batch in progress",
      );
      child.kill("SIGKILL");
      await child.status;

      const status = await runCli([...args(server, file), "--batch-status"], ENV);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /batch_1\tin_progress\t4\t0\t8\tno/);

      const cancel = await runCli([...args(server, file), "--batch-cancel"], ENV);
      assert.equal(cancel.code, 0, cancel.stderr);
      assert.match(cancel.stdout, /batch_1\tcancelling/);

      const resumed = await runCli(args(server, file), ENV);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.equal(server.batches.length, 1);
      const all = await assertComplete(file, 4);
      assert.ok(all.some((record) => String(record.error).includes("batch_1 was cancelled")));
      for (const text of [status.stdout, status.stderr, cancel.stdout, resumed.stderr]) {
        assert.ok(!text.includes(KEY));
      }
    } finally {
      await server.close();
    }
  },
);

Deno.test("judge --batch refuses a provider without a Batch API", async () => {
  const result = await runCli(
    ["judge", "--data-dir", DATA, "--judge-model", "openrouter:x", "--batch", "--dry-run"],
    { OPENROUTER_API_KEY: "k" },
  );
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--batch needs a provider with a Batch API/);
});
