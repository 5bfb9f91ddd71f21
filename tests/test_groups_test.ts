import assert from "node:assert/strict";
import { join } from "node:path";
import { groupModuleSource, groupTestFiles, START_FIRST } from "./_test_groups.ts";
import { runDeno } from "./_helpers.ts";
import { tempDir } from "./_temp.ts";

Deno.test("groupTestFiles()", async (t) => {
  await t.step("puts each folder's files in one group, every file once", () => {
    const files = [
      "tests/b/y_test.ts",
      "tests/a/x_test.ts",
      "tests/b/x_test.ts",
      "tests/r_test.ts",
    ];
    const groups = groupTestFiles(files);
    assert.deepEqual(groups.map((group) => group.files), [
      ["tests/b/x_test.ts", "tests/b/y_test.ts"],
      ["tests/r_test.ts"],
      ["tests/a/x_test.ts"],
    ]);
    assert.deepEqual(groups.map((group) => group.name), [
      "00-b_test.ts",
      "01-tests_test.ts",
      "02-a_test.ts",
    ]);
  });

  await t.step("splits a large folder into even parts", () => {
    const files = Array.from({ length: 10 }, (_, index) => `tests/cli/f${index}_test.ts`);
    const groups = groupTestFiles(files, 4);
    assert.deepEqual(groups.map((group) => group.files.length), [4, 4, 2]);
    assert.deepEqual(groups.map((group) => group.name), [
      "00-cli-1_test.ts",
      "01-cli-2_test.ts",
      "02-cli-3_test.ts",
    ]);
    assert.deepEqual(groups.flatMap((group) => group.files), files.toSorted());
  });

  await t.step("starts the slow folders first, in their order", () => {
    const slow = START_FIRST.map((folder) => `${folder}/z_test.ts`).toReversed();
    const groups = groupTestFiles(["tests/a/1_test.ts", "tests/a/2_test.ts", ...slow]);
    assert.deepEqual(groups.map((group) => group.files[0]), [
      ...slow.toReversed(),
      "tests/a/1_test.ts",
    ]);
  });
});

Deno.test("a group module runs its files' tests; one that fails to load is one failed test", async () => {
  const dir = await tempDir({ prefix: "llm-judge-groups-" });
  await Deno.mkdir(join(dir, "tests"));
  await Deno.writeTextFile(
    join(dir, "tests", "broken_test.ts"),
    'throw new Error("broken at import");\n',
  );
  await Deno.writeTextFile(
    join(dir, "tests", "fine_test.ts"),
    'Deno.test("fine", () => {});\nDeno.test("also fine", () => {});\n',
  );
  const module = join(dir, "group_test.ts");
  await Deno.writeTextFile(
    module,
    groupModuleSource(`${dir}/`, ["tests/broken_test.ts", "tests/fine_test.ts"]),
  );
  const junit = join(dir, "report.xml");
  const result = await runDeno([
    "test",
    "--no-check",
    "--no-config",
    "--allow-read",
    `--junit-path=${junit}`,
    module,
  ]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const report = await Deno.readTextFile(junit);
  const cases = report.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  const names = cases.map((testcase) => testcase.match(/name="([^"]*)"/)![1]);
  assert.deepEqual(names.toSorted(), ["also fine", "fine", "tests/broken_test.ts fails to load"]);
  const failed = cases.filter((testcase) => /<failure\b/.test(testcase));
  assert.equal(failed.length, 1);
  assert.match(failed[0]!, /broken at import/);
});
