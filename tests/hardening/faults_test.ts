// Faults of the network and the disk: every run ends with a clear line and exit
// 0 or 1 (error records where a match failed), never an uncaught exception.
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFixtureDataRoot } from "../_fixture_data.ts";
import { runInProcess } from "./_in_process.ts";
import { tempDir } from "../_temp.ts";

/** A small data root of our own (8 questions; gpt-3.5-turbo, gpt-4, claude-v1). */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }))).root;

const env = { LLM_JUDGE_DATA: DATA, LLM_JUDGE_OUTPUT: undefined, LLM_JUDGE_API_KEY: "k" };

/** A loopback server whose every answer is made by `handler`. */
function serve(handler: (request: Request) => Response | Promise<Response>) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
}

const judge = (base: string, root: string, extra: string[] = []) => [
  "judge",
  "--judge-model",
  "local:j",
  "--judge-base-url",
  base,
  "--model-list",
  "gpt-4",
  "--first-n",
  "1",
  "--max-attempts",
  "1",
  "--timeout",
  "1",
  "--output-dir",
  root,
  ...extra,
];

function assertClean(result: { code: number; stderr: string }) {
  assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}`);
  assert.doesNotMatch(result.stderr, /Uncaught|^\s+at /m);
}

Deno.test({
  name: "network and disk faults end in a clear line, never an uncaught exception",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await t.step("connection refused: error records, exit 0, --retry-errors hint", async () => {
      const root = await tempDir();
      const result = await runInProcess(judge("http://127.0.0.1:9/v1", root), env);
      assertClean(result);
      assert.match(result.stderr, /error record|cannot reach/);
    });
    await t.step("a server that answers garbage (not JSON)", async () => {
      const server = serve(() => new Response("<html>oops</html>", { status: 200 }));
      try {
        const root = await tempDir();
        const result = await runInProcess(
          judge(`http://127.0.0.1:${server.addr.port}/v1`, root),
          env,
        );
        assertClean(result);
      } finally {
        await server.shutdown();
      }
    });
    await t.step("a server slower than --timeout", async () => {
      // It answers only once the test is over, long after --timeout 1.
      const over = Promise.withResolvers<void>();
      const server = serve(async () => {
        await over.promise;
        return Response.json({});
      });
      try {
        const root = await tempDir();
        const result = await runInProcess(
          judge(`http://127.0.0.1:${server.addr.port}/v1`, root),
          env,
        );
        assertClean(result);
        assert.match(result.stderr, /error record/);
      } finally {
        over.resolve();
        await server.shutdown();
      }
    });
    await t.step("a server that cuts the body short", async () => {
      const server = serve(() =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"choices": [{"mess'));
              controller.error(new Error("cut"));
            },
          }),
          { headers: { "content-type": "application/json" } },
        )
      );
      try {
        const root = await tempDir();
        const result = await runInProcess(
          judge(`http://127.0.0.1:${server.addr.port}/v1`, root),
          env,
        );
        assertClean(result);
      } finally {
        await server.shutdown();
      }
    });
    await t.step("a read-only output root: exit 1 naming the path", async () => {
      if (Deno.uid?.() === 0) return; // root writes anywhere
      const root = await tempDir();
      await Deno.chmod(root, 0o555);
      try {
        const result = await runInProcess(judge("http://127.0.0.1:9/v1", root), env);
        assert.equal(result.code, 1, result.stderr);
        assert.ok(result.stderr.includes(root), result.stderr);
        assertClean(result);
      } finally {
        await Deno.chmod(root, 0o755);
      }
    });
    await t.step("the output file is a directory: exit 1 naming it", async () => {
      const root = await tempDir();
      const output = join(root, "out.jsonl");
      await Deno.mkdir(output);
      const result = await runInProcess(
        judge("http://127.0.0.1:9/v1", root, ["--output-file", output]),
        env,
      );
      assert.equal(result.code, 1, result.stderr);
      assert.ok(result.stderr.includes(output), result.stderr);
    });
  },
});
