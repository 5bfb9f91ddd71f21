import assert from "node:assert/strict";
import { runCli } from "../_helpers.ts";

const NAMES = [
  "fetch-data",
  "agree",
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
