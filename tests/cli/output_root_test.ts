/**
 * show, plot, agree, demo and the browser's API read the output root (a temp
 * dir) first, then the data root (a fixture root of our own): judgment files
 * written by `judge` there, per-model files among them, answers and vote files.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { BrowseStore } from "../../lib/browse/browse_store.ts";
import { runCli } from "../_helpers.ts";
import { writeFixtureDataRoot } from "../_fixture_data.ts";
import { tempDir } from "../_temp.ts";

/** The data root: 8 questions, answers of gpt-3.5-turbo, gpt-4 and claude-v1, and votes. */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }), {
  votes: true,
})).root;

function single(model: string, questionId: number, turn: number, score: number) {
  return {
    question_id: questionId,
    model,
    judge: ["gpt-4", turn === 1 ? "single-v1" : "single-v1-multi-turn"],
    user_prompt: "",
    judgment: `Rating: [[${score}]]`,
    score,
    turn,
    tstamp: 1,
  };
}

function pair(questionId: number, winner: "model_1" | "model_2" | "tie") {
  return {
    question_id: questionId,
    model_1: "out-model-a",
    model_2: "out-model-b",
    g1_winner: winner,
    g2_winner: winner,
    judge: ["gpt-4", "pair-v2"],
    g1_user_prompt: "",
    g1_judgment: "",
    g2_user_prompt: "",
    g2_judgment: "",
    turn: 1,
    tstamp: 1,
  };
}

const lines = (records: object[]) =>
  records.map((record) => JSON.stringify(record) + "\n").join("");

/** An output root with judgments, answers and (linked) vote files for mt_bench. */
async function outputRoot(): Promise<string> {
  const output = await tempDir({ prefix: "llm-judge-output-root-" });
  const judgments = join(output, "mt_bench", "model_judgment");
  await Deno.mkdir(judgments, { recursive: true });
  await Deno.writeTextFile(
    join(judgments, "gpt-4_single.jsonl"),
    lines(
      [81, 91, 101].map((id, index) => single("out-model-a", id, 1, [8, 6, 7][index]!)),
    ),
  );
  await Deno.writeTextFile(
    join(judgments, "out-model-b_gpt-4_single.jsonl"),
    lines(
      [81, 91, 101].map((id, index) => single("out-model-b", id, 1, [4, 2, 3][index]!)),
    ),
  );
  await Deno.writeTextFile(
    join(judgments, "gpt-4_pair.jsonl"),
    lines([
      pair(81, "model_1"),
      pair(82, "model_1"),
      pair(83, "tie"),
      // One game the experts voted on too, so that agree has a game in common.
      { ...pair(81, "model_2"), model_1: "gpt-4", model_2: "claude-v1" },
    ]),
  );
  const answers = join(output, "mt_bench", "model_answer");
  await Deno.mkdir(answers, { recursive: true });
  await Deno.writeTextFile(
    join(answers, "gpt-4.jsonl"),
    lines([{
      question_id: 81,
      answer_id: "x",
      model_id: "gpt-4",
      choices: [{ index: 0, turns: ["from the output root", "turn two"] }],
      tstamp: 1,
    }]),
  );
  const votes = join(output, "mt_bench_human_judgments");
  await Deno.mkdir(votes);
  // The data root's human votes less expert_1's on question 81: GPT-4 agrees on 4 of 5 (5/6 there).
  const human =
    (await Deno.readTextFile(join(DATA, "mt_bench_human_judgments", "human_labels.jsonl")))
      .split("\n").filter((line) => line !== "" && !/"question_id":81,.*"expert_1"/.test(line));
  assert.equal(human.length, 5);
  await Deno.writeTextFile(join(votes, "human_labels.jsonl"), human.join("\n") + "\n");
  return output;
}

const output = await outputRoot();
const judgmentDir = join(output, "mt_bench", "model_judgment");

Deno.test("show reads the output root over the data root", async (t) => {
  for (
    const [how, args, env] of [
      ["--output-dir", ["--output-dir", output], {}],
      ["LLM_JUDGE_OUTPUT", [], { LLM_JUDGE_OUTPUT: output }],
    ] as const
  ) {
    await t.step(`with ${how}`, async () => {
      const result = await runCli(
        ["show", "--data-dir", DATA, "--bootstrap", "0", "--format", "json", ...args],
        env,
      );
      assert.equal(result.code, 0, result.stderr);
      const shown = JSON.parse(result.stdout);
      assert.deepEqual(shown.inputFiles, [
        join(judgmentDir, "gpt-4_single.jsonl"),
        join(judgmentDir, "out-model-b_gpt-4_single.jsonl"),
      ]);
      assert.deepEqual(
        shown.single.average.map((row: { model: string; score: number }) => [row.model, row.score]),
        [["out-model-a", 7], ["out-model-b", 3]],
      );
      assert.equal(
        result.stderr,
        `llm-judge show: reading ${shown.inputFiles.join(", ")}\n`,
        "one line on stderr",
      );
    });
  }

  await t.step("pairwise modes read <judge>_pair.jsonl there", async () => {
    const result = await runCli([
      "show",
      "--data-dir",
      DATA,
      "--output-dir",
      output,
      "--mode",
      "pairwise-all",
      "--bootstrap",
      "0",
      "--format",
      "json",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).inputFiles, [join(judgmentDir, "gpt-4_pair.jsonl")]);
  });

  await t.step("nothing found names both folders (exit 1)", async () => {
    const result = await runCli([
      "show",
      "--data-dir",
      DATA,
      "--output-dir",
      output,
      "--judge-model",
      "groq:nobody",
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no judgment file of judge "nobody"/);
    assert.ok(result.stderr.includes(judgmentDir));
  });
});

Deno.test("plot reads the output root over the data root", async (t) => {
  const out = await tempDir({ prefix: "llm-judge-output-root-plot-" });
  await t.step("radar: every single file of the judge", async () => {
    const path = join(out, "radar.json");
    const result = await runCli([
      "plot",
      "--kind",
      "radar",
      "--data-dir",
      DATA,
      "--output-dir",
      output,
      "--out",
      path,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /^llm-judge plot: reading .*gpt-4_single\.jsonl, .*out-model-b_gpt-4_single\.jsonl\n$/,
    );
    const spec = await Deno.readTextFile(path);
    assert.ok(spec.includes("out-model-a") && spec.includes("out-model-b"));
  });

  await t.step("winrate: the pair file", async () => {
    const path = join(out, "winrate.json");
    const result = await runCli(
      ["plot", "--kind", "winrate", "--bootstrap", "0", "--out", path],
      { LLM_JUDGE_DATA: DATA, LLM_JUDGE_OUTPUT: output },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stderr.includes(join(judgmentDir, "gpt-4_pair.jsonl")));
    assert.ok((await Deno.readTextFile(path)).includes("out-model-a"));
  });
});

Deno.test(
  "agree finds judgment files and vote files in the output root",
  async () => {
    const result = await runCli([
      "agree",
      "--data-dir",
      DATA,
      "--output-dir",
      output,
      "--judges",
      "human",
      "gpt-4_pair.jsonl",
      "--bootstrap",
      "0",
      "--format",
      "json",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.inputs.map((input: { path: string }) => input.path), [
      join(output, "mt_bench_human_judgments", "human_labels.jsonl"),
      join(judgmentDir, "gpt-4_pair.jsonl"),
    ]);
  },
);

Deno.test("demo reads the vote files of the output root first", async () => {
  const result = await runCli(["demo", "--bootstrap", "0", "--output-dir", output], {
    LLM_JUDGE_DATA: DATA,
  });
  assert.equal(result.code, 0, result.stderr);
  const line = result.stderr.split("\n").find((text) => text.startsWith("llm-judge demo: reading"));
  assert.ok(line !== undefined, result.stderr);
  // The human split from the output root, the GPT-4 split (absent there) from the data root.
  assert.ok(line.includes(join(output, "mt_bench_human_judgments", "human_labels.jsonl")), line);
  assert.ok(
    line.includes(join(DATA, "mt_bench_human_judgments", "gpt4_pair_labels.jsonl")),
    line,
  );
  // GPT-4 vs the output root's human votes: 4 of 5 (5/6 with the data root's file).
  assert.match(result.stdout, /^ +1 +4\/5 /m);
  await Deno.stat(join(output, "reports", "mt_bench_human_study.json"));
});

Deno.test("BrowseStore reads the output root over the data root", async (t) => {
  const store = new BrowseStore(DATA, { outputRoot: output });

  await t.step("judgment files of both kinds, from the output root", async () => {
    const info = await store.benchInfo("mt_bench");
    assert.deepEqual(info.judgmentFiles, [
      "gpt-4_pair.jsonl",
      "gpt-4_single.jsonl",
      "out-model-b_gpt-4_single.jsonl",
    ]);
    const view = await store.judgmentsView("mt_bench", "81", ["out-model-b"]);
    const file = view.files.find((entry) => entry.name === "out-model-b_gpt-4_single.jsonl")!;
    assert.equal(file.records.length, 1);
  });

  await t.step("an answer file of the same name is read from the output root", async () => {
    const view = await store.questionView("mt_bench", "81", ["gpt-4"]);
    assert.equal(view.answers[0]!.versions[0]!.turns[0], "from the output root");
    const other = await store.questionView("mt_bench", "81", ["claude-v1"]);
    assert.ok(other.answers[0]!.versions.length > 0, "data root answers are still there");
  });

  await t.step("the data root alone when no output root is given", async () => {
    const plain = new BrowseStore(DATA);
    assert.deepEqual((await plain.benchInfo("mt_bench")).judgmentFiles, []);
  });
});
