import assert from "node:assert/strict";
import { join } from "node:path";
import { onSharedData, runCli, SHARED_DATA } from "../_helpers.ts";
import { MT_BENCH_CATEGORIES } from "../../lib/data/mt_bench_categories.ts";
import { tempDir } from "../_temp.ts";

const CATEGORIES = MT_BENCH_CATEGORIES;

/** A data root with 16 questions (2 per category) and a single-grade file of two models. */
async function dataRoot(): Promise<{ root: string; single: string; pair: string }> {
  const root = await tempDir({ prefix: "llm-judge-plot-" });
  await Deno.mkdir(join(root, "mt_bench", "model_judgment"), { recursive: true });
  const questions = CATEGORIES.flatMap((category, index) =>
    [0, 1].map((offset) => ({
      question_id: 81 + 2 * index + offset,
      category,
      turns: [`Question ${index}.${offset}`, "Follow-up"],
    }))
  );
  await Deno.writeTextFile(
    join(root, "mt_bench", "question.jsonl"),
    questions.map((question) => JSON.stringify(question)).join("\n") + "\n",
  );
  const judge = ["gpt-4", "single-v1"];
  const single = questions.flatMap((question, index) =>
    ["model-strong", "model-weak"].flatMap((model, rank) =>
      [1, 2].map((turn) => ({
        question_id: question.question_id,
        model,
        judge,
        score: Math.max(1, 9 - 4 * rank - (index % 3) - (turn - 1)),
        turn,
      }))
    )
  );
  const singlePath = join(root, "mt_bench", "model_judgment", "gpt-4_single.jsonl");
  await Deno.writeTextFile(
    singlePath,
    single.map((record) => JSON.stringify(record)).join("\n") + "\n",
  );
  const pair = questions.map((question, index) => ({
    question_id: question.question_id,
    model_1: "model-strong",
    model_2: "model-weak",
    g1_winner: index % 4 === 0 ? "tie" : "model_1",
    g2_winner: "model_1",
    judge: ["gpt-4", "pair-v2"],
    turn: 1,
  }));
  const pairPath = join(root, "mt_bench", "model_judgment", "gpt-4_pair.jsonl");
  await Deno.writeTextFile(
    pairPath,
    pair.map((record) => JSON.stringify(record)).join("\n") + "\n",
  );
  return { root, single: singlePath, pair: pairPath };
}

Deno.test("llm-judge plot", async (t) => {
  const { root, single, pair } = await dataRoot();
  const out = await tempDir({ prefix: "llm-judge-plot-out-" });

  await t.step("writes a radar PNG of the default judgment file", async () => {
    const path = join(out, "radar.png");
    const { code, stdout, stderr } = await runCli([
      "plot",
      "--kind",
      "radar",
      "--data-dir",
      root,
      "--out",
      path,
    ]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Wrote .*radar\.png: radar of .*gpt-4_single\.jsonl$/m);
    const png = await Deno.readFile(path);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    // One line on stderr names the judgment files read.
    assert.match(stderr, /^llm-judge plot: reading .*gpt-4_single\.jsonl\n$/);
  });

  await t.step("writes the radar spec as JSON, per turn, in model-list order", async () => {
    const path = join(out, "radar.json");
    const { code, stderr } = await runCli([
      "plot",
      "--kind",
      "radar",
      "--data-dir",
      root,
      "--input-file",
      single,
      "--turn",
      "2",
      "--model-list",
      "model-weak",
      "model-strong",
      "--out",
      path,
    ]);
    assert.equal(code, 0, stderr);
    const spec = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(spec.usermeta.llmJudge.categories, CATEGORIES);
    assert.deepEqual(spec.usermeta.llmJudge.models, ["model-weak", "model-strong"]);
    assert.equal(spec.title.subtitle, "turn 2");
    const strongWriting = spec.datasets.scores.find((row: Record<string, unknown>) =>
      row.model === "model-strong" && row.category === "Writing"
    );
    // Turn 2 of questions 81 (index 0) and 82 (index 1): 8 and 7.
    assert.equal(strongWriting.score, 7.5);
  });

  await t.step("writes a win-rate SVG", async () => {
    const path = join(out, "winrate.svg");
    const { code, stderr } = await runCli([
      "plot",
      "--kind",
      "winrate",
      "--data-dir",
      root,
      "--input-file",
      pair,
      "--bootstrap",
      "100",
      "--out",
      path,
    ]);
    assert.equal(code, 0, stderr);
    const svg = await Deno.readTextFile(path);
    assert.match(svg, /^<svg /);
    assert.ok(svg.includes(">model-strong<") && svg.includes(">model-weak<"));
  });

  await t.step("writes a score distribution", async () => {
    const path = join(out, "distribution.json");
    const { code, stderr } = await runCli([
      "plot",
      "--kind",
      "distribution",
      "--data-dir",
      root,
      "--out",
      path,
    ]);
    assert.equal(code, 0, stderr);
    const spec = JSON.parse(await Deno.readTextFile(path));
    assert.equal(spec.usermeta.llmJudge.records, 64);
  });

  await t.step({
    name: "draws the paper's agreement counts from the human votes",
    ...onSharedData,
    fn: async () => {
      const path = join(out, "agreement.svg");
      const { code, stderr } = await runCli([
        "plot",
        "--kind",
        "agreement",
        "--data-dir",
        SHARED_DATA,
        "--out",
        path,
      ]);
      assert.equal(code, 0, stderr);
      const svg = await Deno.readTextFile(path);
      for (const count of ["886/1343", "727/859", "871/1325", "731/864", "454/721", "388/474"]) {
        assert.ok(svg.includes(`>${count}<`), `no "${count}" in the heatmap`);
      }
    },
  });

  await t.step("fails on a pairwise file for a radar, naming file, line and field", async () => {
    const path = join(out, "bad.png");
    const { code, stderr } = await runCli([
      "plot",
      "--kind",
      "radar",
      "--data-dir",
      root,
      "--input-file",
      pair,
      "--out",
      path,
    ]);
    assert.equal(code, 1);
    assert.match(stderr, /Cannot read line 1 of ".*gpt-4_pair\.jsonl" \(field "score"\)/);
    await assert.rejects(() => Deno.stat(path), Deno.errors.NotFound);
  });

  await t.step("fails on a broken line without writing anything", async () => {
    const broken = join(root, "broken.jsonl");
    const good = await Deno.readTextFile(single);
    await Deno.writeTextFile(
      broken,
      good + '{"question_id": 81, "model": "x", "judge": ["gpt-4"]\n',
    );
    const path = join(out, "broken.svg");
    const { code, stderr } = await runCli([
      "plot",
      "--kind",
      "radar",
      "--data-dir",
      root,
      "--input-file",
      broken,
      "--out",
      path,
    ]);
    assert.equal(code, 1);
    assert.match(stderr, /line 65 of ".*broken\.jsonl"/);
    await assert.rejects(() => Deno.stat(path), Deno.errors.NotFound);
  });

  await t.step("rejects a bad command line with exit code 2", async () => {
    for (
      const [args, message] of [
        [["--out", "x.png"], /--kind is required/],
        [
          ["--kind", "pie", "--out", "x.png"],
          /--kind must be one of radar, winrate, agreement, distribution, calibration, position-bias, length-bias, got "pie"/,
        ],
        [["--kind", "radar"], /--out is required/],
        [
          ["--kind", "radar", "--out", "x.gif"],
          /the extension of --out must be one of \.svg, \.png, \.json, got "\.gif"/,
        ],
        [
          ["--kind", "radar", "--out", "x.png", "--turn", "3"],
          /--turn must be one of 1, 2, average, got "3"/,
        ],
      ] as const
    ) {
      const { code, stderr } = await runCli(["plot", "--data-dir", root, ...args]);
      assert.equal(code, 2, stderr);
      assert.match(stderr, message);
    }
  });
});
