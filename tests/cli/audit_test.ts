import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../_helpers.ts";
import { writeFixtureDataRoot } from "../_fixture_data.ts";
import { startMockServer } from "../_mock_openai_server.ts";
import { lengthJudge } from "../calibrate/_scripted_judges.ts";
import { tempDir } from "../_temp.ts";

/** The data root: 44 expert-voted items with both answers (see the fixture). */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }), {
  votes: "with-conversations",
})).root;

Deno.test("audit and plot commands on a calibrated run", async (t) => {
  const output = await tempDir({ prefix: "llm-judge-audit-" });
  const server = await startMockServer({ script: lengthJudge });
  try {
    const calibrated = await runCli([
      "calibrate",
      "--data-dir",
      DATA,
      "--output-dir",
      output,
      "--judge-model",
      "gpt-4",
      "--judge-base-url",
      server.baseUrl,
      "--yes",
      "--parallel",
      "4",
      "--mode",
      "both",
      "--bootstrap",
      "0",
    ], { OPENAI_API_KEY: "sk-test" });
    assert.equal(calibrated.code, 0, calibrated.stderr);
    const judgments = join(output, "mt_bench_human", "model_judgment");

    await t.step("a judge preferring longer answers: consistency 1, longer wins 1", async () => {
      const result = await runCli([
        "audit",
        "--data-dir",
        DATA,
        "--output-dir",
        output,
        "--input-file",
        join(judgments, "gpt-4_pair.jsonl"),
        "--format",
        "json",
        "--bootstrap",
        "100",
      ]);
      assert.equal(result.code, 0, result.stderr);
      const { report, bench } = JSON.parse(result.stdout);
      assert.equal(bench, "mt_bench_human");
      assert.equal(report.kind, "pairwise");
      assert.equal(report.positionBias.consistency, 1);
      assert.equal(report.lengthBias.longerWinRate, 1);
      assert.equal(report.errors.errorRate, 0);
      assert.deepEqual(report.selfPreference.family, ["gpt"]);
      // expert_0's votes on claude-v1 vs a gpt model: 2 pairs, 7 questions, 2 turns.
      assert.equal(report.selfPreference.referenceVotes, 28);
    });

    await t.step("single grades: a positive length slope, a ranking, repeated runs", async () => {
      const result = await runCli([
        "audit",
        "--data-dir",
        DATA,
        "--output-dir",
        output,
        "--input-file",
        "gpt-4_single.jsonl",
        "gpt-4_single.jsonl",
        "--bench-name",
        "mt_bench_human",
        "--bootstrap",
        "100",
      ]);
      assert.equal(result.code, 0, result.stderr);
      // The grade grows with the length (1 + 9n/(n + 1000)): a clearly positive slope.
      const slope = /score per 1000 chars\s+(-?\d+\.\d+)/.exec(result.stdout);
      assert.ok(slope !== null && Number(slope[1]) > 1, result.stdout);
      assert.match(result.stdout, /runs agreeing per item\s+1\.000/);
      assert.match(result.stdout, /Single-grade ranking/);
      assert.match(result.stdout, /minimum significant difference/);
    });

    await t.step("plot draws the calibration, position-bias and length-bias charts", async () => {
      for (
        const [kind, input, text] of [
          ["calibration", [], "GPT-4 (paper)"],
          ["position-bias", ["--input-file", join(judgments, "gpt-4_pair.jsonl")], "consistency"],
          ["length-bias", ["--input-file", join(judgments, "gpt-4_single.jsonl")], "Length bias"],
        ] as const
      ) {
        const out = join(output, `${kind}.svg`);
        const result = await runCli([
          "plot",
          "--kind",
          kind,
          "--data-dir",
          DATA,
          "--output-dir",
          output,
          ...input,
          "--out",
          out,
        ]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(await Deno.readTextFile(out), new RegExp(text.replace(/[()]/g, "\\$&")));
      }
    });

    await t.step("a missing file exits 2", async () => {
      const result = await runCli(["audit", "--input-file", join(output, "nope.jsonl")]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /no judgment file/);
    });
  } finally {
    await server.close();
  }
});
