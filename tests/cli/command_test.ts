// deno-lint-ignore-file no-console -- the test captures what runCommand() prints
import assert from "node:assert/strict";
import { type Command, runCommand, wantsHelp } from "../../cli/_command.ts";

Deno.test("wantsHelp()", async (t) => {
  await t.step("finds --help and -h anywhere before --", () => {
    assert.equal(wantsHelp(["--help"]), true);
    assert.equal(wantsHelp(["--seed", "1", "-h"]), true);
    assert.equal(wantsHelp(["--bogus", "--help"]), true);
  });

  await t.step("ignores arguments after -- and look-alikes", () => {
    assert.equal(wantsHelp([]), false);
    assert.equal(wantsHelp(["--", "--help"]), false);
    assert.equal(wantsHelp(["--helpful", "-hx"]), false);
  });
});

Deno.test("runCommand() answers --help without running the command", async () => {
  let ran = false;
  const command: Command = {
    name: "probe",
    help: "Usage: llm-judge probe",
    run() {
      ran = true;
      return Promise.resolve(3);
    },
  };
  const printed: string[] = [];
  const log = console.log;
  console.log = (...items: unknown[]) => printed.push(items.join(" "));
  try {
    assert.equal(await runCommand(command, ["--seed", "x", "--help"]), 0);
  } finally {
    console.log = log;
  }
  assert.equal(ran, false);
  assert.deepEqual(printed, ["Usage: llm-judge probe"]);
  assert.equal(await runCommand(command, []), 3);
  assert.equal(ran, true);
});
