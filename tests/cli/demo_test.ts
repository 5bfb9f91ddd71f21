import assert from "node:assert/strict";
import { join } from "node:path";
import { onSharedData, runCli, SHARED_DATA } from "../_helpers.ts";
import { tempDir } from "../_temp.ts";

Deno.test("demo", onSharedData, async (t) => {
  const output = await tempDir({ prefix: "llm-judge-demo-" });
  const result = await runCli(["demo", "--bootstrap", "50", "--output-dir", output], {
    LLM_JUDGE_DATA: SHARED_DATA,
  });

  await t.step("exits 0 and prints the paper's agreement counts", () => {
    assert.equal(result.code, 0, result.stderr);
    for (
      const count of [
        "886/1343",
        "727/859",
        "871/1325",
        "731/864",
        "454/721",
        "388/479",
        "471/707",
        "388/474",
      ]
    ) {
      assert.ok(result.stdout.includes(count), `missing ${count}`);
    }
  });

  await t.step("writes JSON and Markdown into the output root with the same numbers", async () => {
    const json = JSON.parse(
      await Deno.readTextFile(join(output, "reports", "mt_bench_human_study.json")),
    );
    const turn1 = json.agreement.gpt4VsHuman.result.turns[0];
    assert.deepEqual([turn1.withTie.agree, turn1.withTie.total], [886, 1343]);
    assert.equal(json.winRates.gpt4.rows.length, 6);
    assert.equal(json.winRates.human.rows.length, 6);
    assert.equal(json.winRates.gpt4.rows[0].model, "gpt-4");
    // 15 model pairs x 80 questions x 2 turns = 2400 GPT-4 votes; each model plays 5 x 160.
    assert.ok(json.winRates.gpt4.rows.every((row: { games: number }) => row.games === 800));
    const markdown = await Deno.readTextFile(join(output, "reports", "mt_bench_human_study.md"));
    assert.match(markdown, /\| +1 \| 886\/1343 +\|/);
    assert.match(markdown, /\| gpt-4 +\|/);
  });

  await t.step("leaves no temporary files behind", async () => {
    const names = [];
    for await (const entry of Deno.readDir(join(output, "reports"))) names.push(entry.name);
    assert.deepEqual(names.sort(), ["mt_bench_human_study.json", "mt_bench_human_study.md"]);
  });

  await t.step("a missing data root is a clear error with exit 1 and nothing written", async () => {
    const empty = await tempDir();
    const failed = await runCli(["demo", "--data-dir", join(empty, "nope"), "--output-dir", empty]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /nope/);
    assert.deepEqual([...Deno.readDirSync(empty)], []);
  });
});
