import assert from "node:assert/strict";
import { join } from "node:path";
import { UPSTREAM_FILES } from "../../lib/data/upstream_files.ts";
import { runCli } from "../_helpers.ts";
import { tempDir } from "../_temp.ts";

/** A mirror serving `<path>` → "content of <path>", or 404 for paths in `missing`. */
function serveMirror(missing: string[] = []) {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname.slice(1);
    seen.push(path);
    if (missing.includes(path)) return new Response("not here", { status: 404 });
    return new Response(`content of ${path}\n`);
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    seen,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

Deno.test("fetch-data --list prints the manifest without the network", async () => {
  const { code, stdout } = await runCli(["fetch-data", "--list"]);
  assert.equal(code, 0);
  const lines = stdout.trimEnd().split("\n");
  assert.equal(lines.length, UPSTREAM_FILES.length);
  assert.ok(lines.includes(
    "judgments\tmt_bench/model_judgment/gpt-4_single.jsonl\t" +
      "https://huggingface.co/spaces/lmsys/mt-bench/resolve/main/data/mt_bench/model_judgment/gpt-4_single.jsonl\t" +
      "not pinned",
  ));
  assert.ok(
    lines.some((line) =>
      line.startsWith("fastchat\tjudge_prompts.jsonl\thttps://raw.githubusercontent.com/lm-sys/") &&
      line.endsWith("\tfd283293406d024f44c174b094ef48031d0687a4682fd3a56b29b138f80281b6")
    ),
  );
  const human = await runCli(["fetch-data", "--list", "--only", "human"]);
  assert.deepEqual(human.stdout.trimEnd().split("\n").map((line) => line.split("\t")[1]), [
    "mt_bench_human_judgments/human.parquet",
    "mt_bench_human_judgments/gpt4_pair.parquet",
  ]);
});

Deno.test("fetch-data downloads from a mirror and skips on a rerun", async () => {
  await using mirror = serveMirror();
  const root = await tempDir();
  const args = ["fetch-data", "--data-dir", root, "--mirror", mirror.url, "--only", "judgments"];
  const first = await runCli(args);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(mirror.seen, [
    "mt_bench/model_judgment/gpt-4_single.jsonl",
    "mt_bench/model_judgment/gpt-4_pair.jsonl",
  ]);
  assert.equal(
    await Deno.readTextFile(join(root, "mt_bench/model_judgment/gpt-4_pair.jsonl")),
    "content of mt_bench/model_judgment/gpt-4_pair.jsonl\n",
  );
  assert.match(first.stdout, /Not pinned \(sha256 recorded in .*\.llm-judge-fetch\.json\)/);
  assert.match(first.stdout, / {2}[0-9a-f]{64} {2}mt_bench\/model_judgment\/gpt-4_single\.jsonl/);
  assert.match(first.stdout, /fetch-data: 2 downloaded, 0 skipped, 0 failed/);
  assert.match(
    first.stderr,
    /\[1\/2\] mt_bench\/model_judgment\/gpt-4_single\.jsonl {2}downloaded/,
  );

  const second = await runCli(args);
  assert.equal(second.code, 0);
  assert.equal(mirror.seen.length, 2);
  assert.match(second.stdout, /fetch-data: 0 downloaded, 2 skipped, 0 failed/);
});

Deno.test("fetch-data exits 1 with a summary when files fail", async (t) => {
  await t.step("fetch-data reports checksum mismatches and 404s", async () => {
    await using mirror = serveMirror(["vicuna_bench/question.jsonl"]);
    const root = await tempDir();
    const { code, stdout, stderr } = await runCli(
      ["fetch-data", "--data-dir", root, "--mirror", mirror.url, "--only", "fastchat"],
    );
    assert.equal(code, 1);
    assert.match(stdout, /fetch-data: 0 downloaded, 0 skipped, 5 failed/);
    assert.match(stderr, /Checksum mismatch for "judge_prompts\.jsonl"/);
    assert.match(stderr, /Cannot download "vicuna_bench\/question\.jsonl" from .*: HTTP 404/);
    await assert.rejects(Deno.stat(join(root, "judge_prompts.jsonl")), Deno.errors.NotFound);
  });

  await t.step("fetch-data stops at once with the local-copy hint when offline", async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = listener.addr.port;
    listener.close();
    const started = performance.now();
    const { code, stderr } = await runCli([
      "fetch-data",
      "--data-dir",
      await tempDir(),
      "--mirror",
      `http://127.0.0.1:${port}`,
    ]);
    assert.equal(code, 1);
    assert.ok(performance.now() - started < 1500);
    assert.match(stderr, new RegExp(`Cannot reach 127\\.0\\.0\\.1:${port} \\(`));
    assert.match(
      stderr,
      /Point the tools at a local copy with --data-dir DIR or LLM_JUDGE_DATA=DIR/,
    );
    assert.match(stderr, /Stopped: 0 downloaded, 0 skipped, \d+ not fetched/);
  });
});

Deno.test("fetch-data rejects bad options with exit code 2", async (t) => {
  for (
    const [args, message] of [
      [["--only", "nope"], /Invalid --only group "nope": expected one of fastchat, answers/],
      [["--retries=-1"], /Invalid --retries "-1"/],
      [["--retries", "two"], /Invalid --retries "two"/],
      [["--mirror", "../shared/data"], /Invalid --mirror "\.\.\/shared\/data".*--data-dir/],
      [["--bogus"], /bogus/],
    ] as const
  ) {
    await t.step(`fetch-data ${args.join(" ")} exits 2`, async () => {
      const { code, stderr } = await runCli(["fetch-data", ...args]);
      assert.equal(code, 2);
      assert.match(stderr, message);
    });
  }
});
