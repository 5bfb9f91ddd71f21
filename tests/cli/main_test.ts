import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT, runCli, runCliProcess, tempFile } from "../_helpers.ts";
import { tempDir } from "../_temp.ts";

const NAMES = [
  "fetch-data",
  "agree",
  "calibrate",
  "audit",
  "show",
  "gen",
  "gen-api",
  "serve",
  "judge",
  "demo",
  "plot",
  "browse",
];

Deno.test("llm-judge", async (t) => {
  await t.step("--help lists every command", async () => {
    const result = await runCli(["--help"]);
    assert.equal(result.code, 0);
    for (const name of NAMES) {
      assert.match(result.stdout, new RegExp(`^  ${name} +\\S`, "m"), name);
    }
  });

  await t.step("every command answers --help with exit 0", async () => {
    for (const name of NAMES) {
      const result = await runCli([name, "--help"]);
      assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      assert.match(result.stdout, /Usage: llm-judge/, name);
    }
  });

  await t.step("an unknown command exits 2 with the list", async () => {
    const result = await runCli(["nope"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command "nope"/);
    assert.match(result.stderr, /Commands:/);
  });

  await t.step("no command prints usage and exits 2", async () => {
    const result = await runCli([]);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /Usage: llm-judge <command>/);
  });
});

/** The `deno task` entries that run the CLI: name → [permission flags, subcommand]. */
function cliTasks(): [string, string[], string][] {
  const config = JSON.parse(Deno.readTextFileSync(join(REPO_ROOT, "deno.json")));
  return Object.entries(config.tasks as Record<string, string>).flatMap(([task, line]) => {
    const words = line.split(/\s+/);
    const entry = words.indexOf("cli/main.ts");
    if (words[0] !== "deno" || words[1] !== "run" || entry === -1) return [];
    return [[task, words.slice(2, entry), words[entry + 1] ?? ""]];
  });
}

Deno.test("llm-judge in a real process", async (t) => {
  await t.step("the process exits with main()'s code", async () => {
    const unknown = await runCliProcess(["nope"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "nope"/);
  });

  await t.step("each deno task's permissions and lockfile load its command", async () => {
    const tasks = cliTasks();
    assert.ok(tasks.length >= 10, `found ${tasks.length} CLI tasks`);
    const results = await Promise.all(
      tasks.map(([, permissions, command]) =>
        runCliProcess(command === "" ? ["--help"] : [command, "--help"], {}, [
          ...permissions,
          "--frozen", // the task's lockfile must already hold every package the command loads
        ])
      ),
    );
    for (const [index, [task, , command]] of tasks.entries()) {
      const result = results[index]!;
      assert.equal(result.code, 0, `deno task ${task}: ${result.stderr}`);
      assert.match(result.stdout, command === "" ? /Commands:/ : /Usage: llm-judge/, task);
    }
  });

  await t.step("--help and an unknown command load no command's packages", async () => {
    // A lockfile without any npm package, frozen: loading a command that imports one
    // (the ONNX backend, the plot renderer, the chat client) would fail.
    const lock = await tempFile('{ "version": "5" }\n', ".lock");
    const flags = ["--allow-read", "--allow-env", `--lock=${lock}`, "--frozen"];
    const help = await runCliProcess(["--help"], {}, flags);
    assert.equal(help.code, 0, help.stderr);
    for (const name of NAMES) assert.match(help.stdout, new RegExp(`^  ${name} +\\S`, "m"));
    const unknown = await runCliProcess(["nope"], {}, flags);
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /Commands:/);
  });

  await t.step("show's task permissions read a judgment file and the environment", async () => {
    const [, permissions] = cliTasks().find(([task]) => task === "show")!;
    const file = await tempFile(
      [1, 2].map((turn) =>
        JSON.stringify({
          question_id: 81,
          model: "m",
          judge: ["gpt-4", "single-v1"],
          user_prompt: "",
          judgment: "[[8]]",
          score: 8,
          turn,
          tstamp: 0,
        })
      ).join("\n") + "\n",
    );
    const dataDir = await tempDir();
    const result = await runCliProcess(
      ["show", "--mode", "single", "--input-file", file, "--bootstrap", "0"],
      { LLM_JUDGE_DATA: dataDir },
      permissions,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^m +8\.0+/m);
  });
});
