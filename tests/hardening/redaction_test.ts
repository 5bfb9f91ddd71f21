// Failing runs against a server that echoes every request header must not
// print or write a planted credential: stdout, stderr and every file under the
// output root are searched.
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFixtureDataRoot } from "../_fixture_data.ts";
import { runInProcess } from "./_in_process.ts";
import { tempDir } from "../_temp.ts";

/** A small data root of our own (8 questions; gpt-3.5-turbo, gpt-4, claude-v1). */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }))).root;

const PASSWORD = "Pw0rdSECRETurl77";
const API_KEY = "sk-PLANTEDapiKEY0123456789";
const HF = "hf_PLANTEDhubTOKEN0123456789";
const PLANTED = [PASSWORD, API_KEY, HF, btoa(`user:${PASSWORD}`)];

/** A server that answers every request with `status` and all request headers in the body. */
function startEchoServer(status: number) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const headers = Object.fromEntries(request.headers);
    const text = `echo of ${request.method} ${request.url}: ${JSON.stringify(headers)}`;
    return Response.json({ error: { message: text, type: "server_error" } }, { status });
  });
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(root)) {
    const path = join(root, entry.name);
    if (entry.isDirectory) out.push(...await filesUnder(path));
    else if (entry.isFile) out.push(path);
  }
  return out;
}

/** Asserts no planted secret in the output of a run or any file under `root`; returns all of it. */
async function assertClean(
  label: string,
  result: { stdout: string; stderr: string },
  root: string,
): Promise<string> {
  const texts: [string, string][] = [["stdout", result.stdout], ["stderr", result.stderr]];
  for (const path of await filesUnder(root)) texts.push([path, await Deno.readTextFile(path)]);
  for (const [where, text] of texts) {
    for (const secret of PLANTED) {
      assert.ok(
        !text.includes(secret),
        `${label}: "${secret}" in ${where}:\n${text.slice(0, 2000)}`,
      );
    }
  }
  return texts.map(([, text]) => text).join("\n");
}

Deno.test({
  name: "no credential is printed or written by failing runs",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const server = startEchoServer(500);
    const refuse = startEchoServer(401);
    const port = server.addr.port;
    const base = `http://user:${PASSWORD}@127.0.0.1:${port}/v1`;
    const env = {
      LLM_JUDGE_DATA: DATA,
      LLM_JUDGE_OUTPUT: undefined,
      LLM_JUDGE_API_KEY: API_KEY,
      OPENAI_API_KEY: API_KEY,
      HF_TOKEN: HF,
      HF_ENDPOINT: `http://127.0.0.1:${refuse.addr.port}`,
    };
    const judgeArgs = (root: string) => [
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
      "--output-dir",
      root,
    ];
    try {
      await t.step("judge --dry-run with user:password in the base URL", async () => {
        const root = await tempDir();
        const result = await runInProcess([...judgeArgs(root), "--dry-run"], env);
        assert.equal(result.code, 0, result.stderr);
        await assertClean("dry-run", result, root);
      });
      await t.step("judge against a server echoing the headers: error records", async () => {
        const root = await tempDir();
        const result = await runInProcess(judgeArgs(root), env);
        // The server's echo (headers included) reached the output, redacted.
        const all = await assertClean("judge", result, root);
        assert.match(all, /echo of POST/);
        assert.match(all, /\[REDACTED\]/);
      });
      await t.step("gen-api against a server echoing the headers", async () => {
        const root = await tempDir();
        const result = await runInProcess([
          "gen-api",
          "--model",
          "m",
          "--openai-api-base",
          base,
          "--question-end",
          "1",
          "--max-attempts",
          "1",
          "--output-dir",
          root,
        ], env);
        // The server's echo (headers included) reached the output, redacted.
        const all = await assertClean("gen-api", result, root);
        assert.match(all, /echo of POST/);
        assert.match(all, /\[REDACTED\]/);
      });
      await t.step("fetch-data --mirror with credentials", async () => {
        const root = await tempDir();
        const result = await runInProcess([
          "fetch-data",
          "--data-dir",
          root,
          "--mirror",
          `http://user:${PASSWORD}@127.0.0.1:${refuse.addr.port}`,
        ], env);
        assert.equal(result.code, 1, result.stderr);
        await assertClean("fetch-data", result, root);
      });
      await t.step("gen from a Hub repo with HF_TOKEN, the Hub echoing the headers", async () => {
        const root = await tempDir();
        const result = await runInProcess([
          "gen",
          "--model-path",
          "org/model",
          "--model-id",
          "m",
          "--output-dir",
          root,
        ], { ...env, HF_HUB_CACHE: join(root, "cache") });
        assert.equal(result.code, 1, result.stderr);
        await assertClean("gen", result, root);
      });
    } finally {
      await server.shutdown();
      await refuse.shutdown();
    }
  },
});
