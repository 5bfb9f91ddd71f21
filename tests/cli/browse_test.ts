import assert from "node:assert/strict";
import { join } from "node:path";
import { LOCK_FLAG, REPO_ROOT, runCli } from "../_helpers.ts";
import { writeFixtureRoot } from "../browse/_fixture.ts";

Deno.test("llm-judge browse", async (t) => {
  const root = await writeFixtureRoot();

  await t.step("--help describes the command", async () => {
    const { code, stdout } = await runCli(["browse", "--help"]);
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: llm-judge browse/);
    assert.match(stdout, /--port N/);
  });

  await t.step("a bad port is a usage error (exit 2)", async () => {
    const { code, stderr } = await runCli(["browse", "--port", "http", "--data-dir", root]);
    assert.equal(code, 2);
    assert.match(stderr, /--port must be a whole number from 0 to 65535, got "http"/);
  });

  await t.step("a missing data root is a data error (exit 1)", async () => {
    const missing = join(root, "missing");
    const { code, stderr } = await runCli(["browse", "--port", "0", "--data-dir", missing]);
    assert.equal(code, 1);
    assert.match(stderr, /data root not found/);
    assert.ok(stderr.includes(missing));
  });

  await t.step("serves on loopback until stopped with SIGTERM", async () => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", LOCK_FLAG, "-A", join(REPO_ROOT, "cli", "main.ts"), "browse", "--port", "0"],
      env: { LLM_JUDGE_DATA: root, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!/^Preloaded mt_bench in /m.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const url = /^QA browser: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(text)?.[1];
    assert.ok(url, text);
    assert.match(text, /3 benches: broken, mt_bench, other/);
    const response = await fetch(`${url}api/benches`);
    assert.deepEqual((await response.json()).benches, ["broken", "mt_bench", "other"]);
    child.kill("SIGTERM");
    const status = await child.status;
    await reader.cancel();
    await child.stderr.cancel();
    assert.equal(status.code, 0);
  });
});
