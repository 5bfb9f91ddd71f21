import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../_helpers.ts";
import { writeFixtureDataRoot } from "../_fixture_data.ts";
import { startMockBatchServer } from "../_mock_batch_server.ts";
import { answerIn, hash } from "../calibrate/_scripted_judges.ts";
import { tempDir } from "../_temp.ts";

/** The data root: 44 expert-voted items with both answers (see the fixture). */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }), {
  votes: "with-conversations",
})).root;

const ENV = { GROQ_API_KEY: "gsk_test-calibrate-batch" };

/** Scripted verdicts: the longer answer wins a pair; a single grade is a hash of the prompt. */
function reply(body: { messages: { role: string; content: string }[] }): string {
  const text = body.messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
  if (text.includes("Assistant B")) {
    const a = answerIn(text, "A").length, b = answerIn(text, "B").length;
    return a > b ? "[[A]]" : b > a ? "[[B]]" : "[[C]]";
  }
  return `Rating: [[${1 + hash(text) % 10}]]`;
}

function args(baseUrl: string, output: string, extra: string[]): string[] {
  return [
    "calibrate",
    "--data-dir",
    DATA,
    "--output-dir",
    output,
    "--judge-model",
    "groq:llama-3.1-8b-instant",
    "--judge-base-url",
    baseUrl,
    "--yes",
    "--sample",
    "20",
    "--seed",
    "5",
    "--mode",
    "both",
    "--bootstrap",
    "200",
    "--format",
    "json",
    ...extra,
  ];
}

/** A judgment file's lines without provenance timing, sorted. */
async function timeless(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((line) => line !== "").map((line) =>
    line.replace(/"tstamp": [0-9.e+]+/, '"tstamp": 0').replace(
      /"latency_ms": (null|[0-9]+)/,
      '"latency_ms": 0',
    )
  ).sort();
}

Deno.test("calibrate --batch", async (t) => {
  const server = await startMockBatchServer({ reply });
  const live = await tempDir({ prefix: "llm-judge-calibrate-live-" });
  const batch = await tempDir({ prefix: "llm-judge-calibrate-batch-" });
  const files = (root: string) =>
    ["pair", "single"].map((kind) =>
      join(root, "mt_bench_human", "model_judgment", `llama-3.1-8b-instant_${kind}.jsonl`)
    );
  try {
    // 20 items: 40 pairwise requests (both orders) and 32 single grades, one per
    // answer (question, model, turn) of the items, as items share answers.
    await t.step("--dry-run shows the batch price next to the interactive one", async () => {
      const result = await runCli(args(server.baseUrl, batch, ["--batch", "--dry-run"]), ENV);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stderr,
        /20 item\(s\).*72 request\(s\).*about \$[0-9.]+ \(through the Batch API about \$[0-9.]+\)/,
      );
      assert.equal(server.batches.length, 0);
    });

    await t.step("gives the report of the interactive path on the same verdicts", async () => {
      const interactive = await runCli(args(server.baseUrl, live, []), ENV);
      assert.equal(interactive.code, 0, interactive.stderr);
      const before = server.requests.length;
      const batched = await runCli(
        args(server.baseUrl, batch, ["--batch", "--batch-poll", "0.02"]),
        ENV,
      );
      assert.equal(batched.code, 0, batched.stderr);
      assert.match(batched.stderr, /llm-judge calibrate: batch: /);
      // One batch per judgment file, and no interactive chat request.
      assert.equal(server.batches.length, 2);
      assert.deepEqual(
        server.batches.map((entry) => entry.requests).sort((a, b) => a - b),
        [32, 40],
      );
      assert.ok(
        !server.requests.slice(before).some((request) => request.path.endsWith("/completions")),
      );
      const expected = JSON.parse(interactive.stdout).report;
      const report = JSON.parse(batched.stdout).report;
      assert.deepEqual(report, expected);
      // Not trivial: the length judge agrees with the experts on some items, not all.
      const own = expected.rows.find((row: { label: string }) =>
        row.label === "groq:llama-3.1-8b-instant vs human"
      );
      assert.ok(own, JSON.stringify(expected.rows.map((row: { label: string }) => row.label)));
      const ratios = own.result.turns.map((turn: { withTie: { ratio: number } }) =>
        turn.withTie.ratio
      );
      assert.ok(ratios.some((ratio: number) => ratio > 0 && ratio < 1), JSON.stringify(ratios));
      const [liveFiles, batchFiles] = [files(live), files(batch)];
      for (const [index, path] of batchFiles.entries()) {
        assert.deepEqual(await timeless(path), await timeless(liveFiles[index]!));
        await Deno.stat(`${path}.batches.jsonl`);
      }
    });

    await t.step("a re-run submits nothing; --batch-status lists both journals", async () => {
      const again = await runCli(
        args(server.baseUrl, batch, ["--batch", "--batch-poll", "0.02"]),
        ENV,
      );
      assert.equal(again.code, 0, again.stderr);
      assert.equal(server.batches.length, 2);
      const status = await runCli(args(server.baseUrl, batch, ["--batch-status"]), ENV);
      assert.equal(status.code, 0, status.stderr);
      assert.equal(status.stdout.match(/\tbatch_\d+\tcompleted\t/g)?.length, 2, status.stdout);
      assert.match(status.stderr, /llama-3\.1-8b-instant_pair\.jsonl\.batches\.jsonl/);
      assert.match(status.stderr, /llama-3\.1-8b-instant_single\.jsonl\.batches\.jsonl/);
    });
  } finally {
    await server.close();
  }
});
