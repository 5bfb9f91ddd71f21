import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT, runDeno } from "./_helpers.ts";
import { tempDir } from "./_temp.ts";

Deno.test("tests/run.ts counts a test file that fails to load as a failure", async () => {
  const dir = await tempDir({ prefix: "llm-judge-run-" });
  const broken = join(dir, "broken_test.ts");
  const fine = join(dir, "fine_test.ts");
  await Deno.writeTextFile(broken, 'throw new Error("broken at import");\n');
  await Deno.writeTextFile(fine, 'Deno.test("fine", () => {});\n');
  const result = await runDeno([
    "run",
    "--allow-all",
    join(REPO_ROOT, "tests", "run.ts"),
    broken,
    fine,
  ]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const lines = result.stdout.trimEnd().split("\n");
  assert.equal(lines.at(-1), "1 passed, 1 failed, 0 skipped");
  assert.match(result.stdout, /Test modules that failed to load: .*broken_test\.ts/);
});
