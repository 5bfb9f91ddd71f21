import assert from "node:assert/strict";
import { join } from "node:path";
import type { AgreementReport as AgreeReport } from "../../lib/report/agreement_report.ts";
import { onSharedData, runCli, SHARED_DATA, tempFile } from "../_helpers.ts";
import { EXPECTED, writeJsonFixture, writeParquetFixture } from "../_human_vote_fixtures.ts";
import { tempDir } from "../_temp.ts";

/** Asserts the table rows of both turns show FastChat's figures. */
function assertTable(stdout: string, expected: readonly (readonly number[])[]) {
  for (const [index, [agree1, total1, agree2, total2]] of expected.entries()) {
    const row = new RegExp(
      `^\\s*${index + 1}\\s+${agree1}/${total1}\\s+${(agree1! / total1!).toFixed(4)}\\s+\\S+\\s+` +
        `(\\[\\S+ \\S+\\]\\s+)?${agree2}/${total2}\\s+${(agree2! / total2!).toFixed(4)}`,
      "m",
    );
    assert.match(stdout, row);
  }
}

function figures(report: AgreeReport): number[][] {
  return report.result.turns.map((turn) => [
    turn.withTie.agree,
    turn.withTie.total,
    turn.withoutTie.agree,
    turn.withoutTie.total,
  ]);
}

Deno.test("llm-judge agree", async (t) => {
  await t.step({
    name: "reproduces FastChat's GPT-4 vs human figures on the shared data",
    ...onSharedData,
    fn: async () => {
      const { code, stdout, stderr } = await runCli(["agree", "--data-dir", SHARED_DATA]);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /Agreement: gpt4-pair vs human \(mt_bench\)/);
      assertTable(stdout, EXPECTED["gpt4-pair human"]);
      assert.match(stdout, /95% CI/);
      assert.match(stdout, /1000 rounds resampling questions, seed 0/);
      assert.match(stdout, /votes of other judges ignored: 687/);
    },
  });

  await t.step({
    name: "reproduces human vs human, judges given as a list",
    ...onSharedData,
    fn: async () => {
      const { code, stdout, stderr } = await runCli([
        "agree",
        "--data-dir",
        SHARED_DATA,
        "--judges",
        "human",
        "human",
        "--bootstrap",
        "0",
      ]);
      assert.equal(code, 0, stderr);
      assertTable(stdout, EXPECTED["human human"]);
      assert.doesNotMatch(stdout, /CI/);
    },
  });

  await t.step({
    name: "prints the typed result as JSON and writes --output-file",
    ...onSharedData,
    fn: async () => {
      const output = join(await tempDir(), "out", "agree.json");
      const { code, stdout, stderr } = await runCli([
        "agree",
        "--data-dir",
        SHARED_DATA,
        "--format",
        "json",
        "--bootstrap",
        "50",
        "--seed",
        "3",
        "--output-file",
        output,
      ]);
      assert.equal(code, 0, stderr);
      const report = JSON.parse(stdout) as AgreeReport;
      assert.deepEqual(report.judges, ["gpt4-pair", "human"]);
      assert.deepEqual(figures(report), EXPECTED["gpt4-pair human"]);
      assert.deepEqual(report.result.bootstrap, {
        rounds: 50,
        seed: 3,
        confidence: 0.95,
        unit: "question",
      });
      assert.equal(report.result.votes[0], 2400);
      assert.equal(await Deno.readTextFile(output), stdout);
    },
  });

  await t.step({
    name: "reads parquet files found in the data root, preferring them",
    ...onSharedData,
    fn: async () => {
      const root = await tempDir();
      await writeParquetFixture(root);
      // A broken JSONL beside them must not be read.
      await Deno.writeTextFile(join(root, "mt_bench_human_judgments", "human_labels.jsonl"), "{\n");
      const { code, stdout, stderr } = await runCli([
        "agree",
        "--data-dir",
        root,
        "--format",
        "json",
        "--bootstrap",
        "0",
      ]);
      assert.equal(code, 0, stderr);
      const report = JSON.parse(stdout) as AgreeReport;
      assert.deepEqual(figures(report), EXPECTED["gpt4-pair human"]);
      assert.ok(report.inputs.every((input) => input.path.endsWith(".parquet")));
    },
  });

  await t.step({
    name: "reads FastChat's JSON files given with --votefiles",
    ...onSharedData,
    fn: async () => {
      const fixture = await writeJsonFixture(await tempDir());
      const { code, stdout, stderr } = await runCli([
        "agree",
        "--judges",
        "human",
        "human",
        "--votefiles",
        fixture.human,
        fixture.gpt4Pair,
        "--format",
        "markdown",
        "--bootstrap",
        "0",
      ]);
      assert.equal(code, 0, stderr);
      for (const [agree1, total1, agree2, total2] of EXPECTED["human human"]) {
        assert.ok(stdout.includes(`| ${agree1}/${total1}`), stdout);
        assert.ok(stdout.includes(`| ${agree2}/${total2}`), stdout);
      }
    },
  });

  await t.step("takes FastChat judgment files as judges", async () => {
    const votes = await tempFile(
      [
        { model_a: "a", model_b: "b", winner: "model_a" },
        { model_a: "c", model_b: "a", winner: "tie" },
        { model_a: "b", model_b: "c", winner: "model_b" },
      ].map((vote) => JSON.stringify({ ...vote, question_id: 81, turn: 1, judge: "expert_0" }))
        .join("\n") + "\n",
    );
    const judge = ["gpt-4", "single-v1"];
    const single = await tempFile(
      [["a", 9], ["b", 4], ["c", 9.05], ["d", -1]].map(([model, score]) =>
        JSON.stringify({ question_id: 81, model, judge, score, turn: 1 })
      ).join("\n") + "\n",
    );
    const { code, stdout, stderr } = await runCli([
      "agree",
      "--judges",
      single,
      "human",
      "--votefiles",
      votes,
      "--format",
      "csv",
      "--bootstrap",
      "0",
    ]);
    assert.equal(code, 0, stderr);
    // Single grades: a > b, a = c (within 0.1), c > b; all three agree with the votes.
    assert.match(stdout, /^all,1,3,3,1\.000000,1\.000000,2,2,1\.000000,1\.000000$/m);
  });

  await t.step("takes pairwise judgment files, dropping failed games", async () => {
    const pair = (g1: string, g2: string, question_id: number) =>
      JSON.stringify({
        question_id,
        model_1: "b",
        model_2: "a",
        g1_winner: g1,
        g2_winner: g2,
        judge: ["gpt-4", "pair-v2"],
        turn: 1,
      });
    const judgments = await tempFile(
      [pair("model_1", "model_1", 81), pair("model_1", "model_2", 82), pair("error", "tie", 83)]
        .join("\n") + "\n",
    );
    const votes = await tempFile(
      [81, 82, 83].map((question_id) =>
        JSON.stringify({
          question_id,
          model_a: "a",
          model_b: "b",
          winner: "model_b",
          judge: "expert_0",
          turn: 1,
        })
      ).join("\n") + "\n",
    );
    const args = ["agree", "--judges", judgments, "human", "--votefiles", votes];
    const { code, stdout, stderr } = await runCli([...args, "--bootstrap", "0"]);
    assert.equal(code, 0, stderr);
    // q81: b wins for both; q82: inconsistent games are a tie; q83 dropped.
    assertTable(stdout, [[1, 2, 1, 1]]);
    assert.match(stdout, /Dropped: 1 pairwise games with an error/);
  });

  await t.step("fails with exit 1 where a machine judge votes twice on a key", async () => {
    const vote = { question_id: 81, model_a: "a", model_b: "b", winner: "tie", turn: 1 };
    const gpt4 = await tempFile(
      [{ ...vote, judge: "gpt4_pair" }, { ...vote, model_a: "b", model_b: "a", judge: "gpt4_pair" }]
        .map((record) => JSON.stringify(record)).join("\n") + "\n",
    );
    const human = await tempFile(JSON.stringify({ ...vote, judge: "expert_0" }) + "\n");
    const { code, stderr } = await runCli(["agree", "--votefiles", human, gpt4]);
    assert.equal(code, 1);
    assert.ok(stderr.includes(`line 2 of "${gpt4}"`), stderr);
    assert.match(stderr, /"gpt4-pair" has 2 votes/);
  });

  await t.step("fails with exit 1 naming the file and line of a bad vote", async () => {
    const good = { question_id: 81, model_a: "a", model_b: "b", judge: "expert_0", turn: 1 };
    const path = await tempFile(
      `${JSON.stringify({ ...good, winner: "tie" })}\n${
        JSON.stringify({ ...good, winner: "both" })
      }\n`,
    );
    const output = join(await tempDir(), "agree.txt");
    const { code, stdout, stderr } = await runCli([
      "agree",
      "--votefiles",
      path,
      "--output-file",
      output,
    ]);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.ok(stderr.includes(`line 2 of "${path}"`), stderr);
    assert.match(stderr, /field "winner"/);
    await assert.rejects(Deno.stat(output), Deno.errors.NotFound);
  });

  await t.step("fails with exit 1 when no vote file is found", async () => {
    const { code, stderr } = await runCli(["agree", "--data-dir", await tempDir()]);
    assert.equal(code, 1);
    assert.match(stderr, /no human vote file found/);
  });

  await t.step("fails with exit 2 on a bad command line", async () => {
    for (
      const args of [
        ["--judges", "human"],
        ["--format", "xml"],
        ["--bootstrap", "-5"],
        ["--judges", "gpt4-pair", "no-such-judge.jsonl"],
      ]
    ) {
      const { code, stderr } = await runCli(["agree", "--data-dir", SHARED_DATA, ...args]);
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, /agree --help/);
    }
  });

  await t.step("prints its help", async () => {
    const { code, stdout } = await runCli(["agree", "--help"]);
    assert.equal(code, 0);
    assert.match(stdout, /--judges J1 J2/);
  });
});
