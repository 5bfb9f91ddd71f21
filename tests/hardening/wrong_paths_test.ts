// Every command, given a path of the wrong kind (a directory for a file, a file
// for a directory, a missing path), ends with one line naming the path and exit
// 1 or 2: never an uncaught exception.
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFixtureDataRoot } from "../_fixture_data.ts";
import { Collector } from "../_helpers.ts";
import { runInProcess } from "./_in_process.ts";
import { tempDir } from "../_temp.ts";

const root = await tempDir({ prefix: "llm-judge-paths-" });
/** A small data root of our own (8 questions; gpt-3.5-turbo, gpt-4, claude-v1; votes). */
const data = join(root, "data");
await writeFixtureDataRoot(data, { votes: true });
const dir = join(root, "a-directory");
const file = join(root, "a-file");
const missing = join(root, "missing", "deeper");
await Deno.mkdir(dir);
await Deno.mkdir(join(root, "dir.svg"));
await Deno.writeTextFile(file, "not a directory\n");
// A data root whose question.jsonl is a directory.
const badRoot = join(root, "bad-root");
await Deno.mkdir(join(badRoot, "mt_bench", "question.jsonl"), { recursive: true });
await Deno.mkdir(join(badRoot, "mt_bench", "model_answer"), { recursive: true });
await Deno.copyFile(join(data, "judge_prompts.jsonl"), join(badRoot, "judge_prompts.jsonl"));
await Deno.copyFile(
  join(data, "mt_bench", "model_answer", "gpt-4.jsonl"),
  join(badRoot, "mt_bench", "model_answer", "gpt-4.jsonl"),
);
// A valid single-grade judgment file of our own.
const singleFile = join(root, "gpt-4_single.jsonl");
await Deno.writeTextFile(
  singleFile,
  [81, 91, 101, 111].flatMap((id) =>
    [1, 2].map((turn) =>
      JSON.stringify({
        question_id: id,
        model: "gpt-4",
        judge: ["gpt-4", turn === 1 ? "single-v1" : "single-v1-multi-turn"],
        judgment: "Fine. Rating: [[7]]",
        score: 7,
        turn,
        tstamp: 1700000000,
      })
    )
  ).join("\n") + "\n",
);
const noServer = "http://127.0.0.1:9/v1";

/** [command line, the path its message must name]. */
const CASES: [string[], string][] = [
  [["fetch-data", "--data-dir", file, "--mirror", "http://127.0.0.1:9"], file],
  [["agree", "--votefiles", dir], dir],
  [["agree", "--votefiles", join(missing, "v.jsonl")], missing],
  [["agree", "--data-dir", file], file],
  [["agree", "--output-file", dir], dir],
  [["show", "--input-file", dir], dir],
  [["show", "--input-file", join(missing, "j.jsonl")], missing],
  [["show", "--data-dir", file], file],
  [
    ["show", "--data-dir", badRoot, "--input-file", singleFile],
    join(badRoot, "mt_bench", "question.jsonl"),
  ],
  [["gen", "--model-path", file, "--model-id", "m"], file],
  [["gen", "--model-path", missing, "--model-id", "m"], missing],
  [["gen-api", "--model", "m", "--openai-api-base", noServer, "--output-dir", file], file],
  [["gen-api", "--model", "m", "--openai-api-base", noServer, "--answer-file", dir], dir],
  [["gen-api", "--model", "m", "--openai-api-base", noServer, "--data-dir", badRoot], badRoot],
  [["serve", "--model-path", file], file],
  [["serve", "--model-path", missing], missing],
  [["judge", "--judge-model", "local:j", "--judge-file", dir, "--dry-run"], dir],
  [["judge", "--judge-model", "local:j", "--judge-file", join(missing, "p.jsonl")], missing],
  [["judge", "--judge-model", "local:j", "--dry-run", "--data-dir", badRoot], badRoot],
  [
    ["judge", "--judge-model", "local:j", "--judge-base-url", noServer, "--output-file", dir],
    dir,
  ],
  [["judge", "--judge-model", "local:j", "--dry-run", "--output-dir", file], file],
  [["demo", "--output-dir", file], file],
  [["demo", "--data-dir", dir], dir],
  [["plot", "--kind", "radar", "--out", join(root, "o.svg"), "--input-file", dir], dir],
  [
    ["plot", "--kind", "radar", "--out", join(root, "dir.svg"), "--input-file", singleFile],
    join(root, "dir.svg"),
  ],
  [["browse", "--data-dir", file], file],
  [["browse", "--data-dir", missing], missing],
];

Deno.test({
  name: "every command turns a wrong path kind into one line and exit 1 or 2",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const commands = new Set(CASES.map(([args]) => args[0]));
    assert.equal(commands.size, 10, "every command has a case");
    for (const [args, path] of CASES) {
      await t.step(args.join(" "), async () => {
        const { code, stderr } = await runInProcess(args, {
          LLM_JUDGE_DATA: data,
          LLM_JUDGE_OUTPUT: undefined,
          LLM_JUDGE_API_KEY: "k",
        });
        assert.ok(code === 1 || code === 2, `exit ${code}: ${stderr}`);
        assert.doesNotMatch(stderr, /Uncaught|^\s+at /m);
        assert.ok(stderr.includes(path), `no "${path}" in: ${stderr}`);
      });
    }
  },
});

Deno.test({
  name: "an unexpected error is one line; LLM_JUDGE_DEBUG=1 adds the stack",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { runCommand } = await import("../../cli/_command.ts");
    const { withCliIo } = await import("../../cli/_io.ts");
    const boom = {
      name: "boom",
      help: "",
      run(): Promise<number> {
        return Promise.reject(new TypeError("x is not a function"));
      },
    };
    // The environment goes through the CLI's per-run context, not Deno.env: test files in
    // other workers share this process's environment.
    const run = async (env: Record<string, string | undefined>) => {
      const stderr = new Collector();
      const code = await withCliIo({ env, stderr }, () => runCommand(boom, []));
      return { code, lines: stderr.text().trimEnd().split("\n") };
    };
    const plain = await run({ LLM_JUDGE_DEBUG: undefined });
    assert.equal(plain.code, 1);
    assert.equal(plain.lines.length, 1);
    assert.match(plain.lines[0]!, /^llm-judge boom: TypeError: x is not a function/);
    const debug = await run({ LLM_JUDGE_DEBUG: "1" });
    assert.equal(debug.code, 1);
    assert.match(debug.lines[0]!, /^llm-judge boom: TypeError: x is not a function$/);
    assert.equal(debug.lines[1], "TypeError: x is not a function");
    assert.match(debug.lines[2]!, /^\s+at /);
  },
});
