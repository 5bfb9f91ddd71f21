import assert from "node:assert/strict";
import { join } from "node:path";
import type { ShowResult } from "../../cli/show.ts";
import { onSharedData, runCli, SHARED_DATA, tempFile } from "../_helpers.ts";
import { tempDir } from "../_temp.ts";

const SAMPLES = join(SHARED_DATA, "samples");
const stefanSingle = join(SAMPLES, "Stefanstud__FastChat", "model_judgment", "gpt-4_single.jsonl");
const stefanPair = join(SAMPLES, "Stefanstud__FastChat", "model_judgment", "gpt-4_pair.jsonl");
const vanbujm = join(SAMPLES, "vanbujm__FastChat", "model_judgment", "gpt-4_single.jsonl");
const origin = join(
  SAMPLES,
  "dreaming-panda__MTBench",
  "model_judgment",
  "gpt-4_single-origin.jsonl",
);

/** Runs `show` against the shared data root. */
function show(...args: string[]) {
  return runCli(["show", "--data-dir", SHARED_DATA, ...args]);
}

/** The rows of a text table section, as arrays of cells. */
function section(stdout: string, title: string): string[][] {
  const start = stdout.indexOf(`########## ${title} ##########`);
  assert.ok(start >= 0, `no section "${title}" in:\n${stdout}`);
  const lines = stdout.slice(start).split("\n").slice(2);
  const end = lines.findIndex((line) => line.trim() === "");
  return lines.slice(1, end === -1 ? undefined : end).map((line) => line.trim().split(/\s+/));
}

function singleLine(value: unknown): string {
  return JSON.stringify(value);
}

Deno.test("llm-judge show --mode single", onSharedData, async (t) => {
  await t.step("prints FastChat's tables for Stefanstud__FastChat", async () => {
    const { code, stdout, stderr } = await show("--input-file", stefanSingle);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Input file: .*gpt-4_single\.jsonl$/m);
    assert.match(stdout, /^Mode: single$/m);
    assert.equal(section(stdout, "First turn")[0]!.slice(0, 3).join(" "), "phi-3-dpo 1 8.362500");
    assert.equal(section(stdout, "Second turn")[0]!.slice(0, 3).join(" "), "phi-3-dpo 2 8.037500");
    assert.equal(section(stdout, "Average")[0]!.slice(0, 2).join(" "), "phi-3-dpo 8.200000");
    assert.match(stdout, /########## Per category ##########/);
    assert.match(
      stdout,
      /writing\s+roleplay\s+reasoning\s+math\s+coding\s+extraction\s+stem\s+humanities/,
    );
    assert.match(
      stdout,
      /^Excluded 0 of 160 records: 0 with score -1, 0 with an "error" field\.$/m,
    );
    assert.match(stdout, /1000 resamples, seed 0/);
  });

  await t.step("orders each table by its own scores (vanbujm__FastChat)", async () => {
    const { code, stdout, stderr } = await show("--input-file", vanbujm, "--bootstrap", "0");
    assert.equal(code, 0, stderr);
    const models = (title: string) => section(stdout, title).map((row) => row[0]);
    assert.deepEqual(models("First turn"), [
      "ultrachat_sai",
      "ultrachat_cai",
      "ultrachat_baseline",
    ]);
    assert.deepEqual(models("Second turn"), [
      "ultrachat_sai",
      "ultrachat_baseline",
      "ultrachat_cai",
    ]);
    assert.deepEqual(section(stdout, "Average")[2], ["ultrachat_baseline", "6.393750", "160"]);
    assert.doesNotMatch(stdout, /ci_lower/);
  });

  await t.step("counts -1 records and duplicate keys (dreaming-panda__MTBench)", async () => {
    const { code, stdout, stderr } = await show("--input-file", origin, "--bootstrap", "0");
    assert.equal(code, 0, stderr);
    assert.deepEqual(section(stdout, "First turn")[0], [
      "Meta-Llama-3-8B-Instruct-Normal",
      "1",
      (721 / 86).toFixed(6),
      "86",
    ]);
    assert.deepEqual(section(stdout, "Excluded")[1], [
      "Meta-Llama-3-8B-Instruct-Normal",
      "170",
      "166",
      "4",
      "0",
      "10",
    ]);
    assert.match(stdout, /Excluded 4 of 330 records: 4 with score -1/);
    assert.match(stdout, /10 \(model, question, turn, judge\) keys occur more than once/);
  });

  await t.step(
    "shows the second turn for any bench with turn-2 records (mt_bench_de)",
    async () => {
      // FastChat prints it only for mt_bench; a deliberate fix.
      const { code, stdout, stderr } = await show(
        "--bench-name",
        "mt_bench_de",
        "--input-file",
        stefanSingle,
        "--bootstrap",
        "0",
      );
      assert.equal(code, 0, stderr);
      assert.equal(
        section(stdout, "Second turn")[0]!.slice(0, 3).join(" "),
        "phi-3-dpo 2 8.037500",
      );
      assert.equal(section(stdout, "Average")[0]!.slice(0, 2).join(" "), "phi-3-dpo 8.200000");
    },
  );

  await t.step("--model-list takes several words, as in FastChat", async () => {
    const { code, stdout, stderr } = await show(
      "--input-file",
      vanbujm,
      "--model-list",
      "ultrachat_cai",
      "ultrachat_baseline",
      "--bootstrap",
      "0",
    );
    assert.equal(code, 0, stderr);
    assert.deepEqual(section(stdout, "Average").map((row) => row[0]), [
      "ultrachat_cai",
      "ultrachat_baseline",
    ]);
    assert.match(stdout, /160 records of models outside --model-list skipped/);
  });

  await t.step("reads the default input file of a data root", async () => {
    const root = await tempDir();
    await Deno.mkdir(join(root, "mt_bench", "model_judgment"), { recursive: true });
    await Deno.copyFile(
      stefanSingle,
      join(root, "mt_bench", "model_judgment", "gpt-4_single.jsonl"),
    );
    const { code, stdout, stderr } = await runCli(["show", "--data-dir", root, "--bootstrap", "0"]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /phi-3-dpo\s+8\.200000/);
    assert.match(stdout, /No question file at .*: the per-category table is skipped\./);
    assert.doesNotMatch(stdout, /Per category/);
  });

  await t.step("--format json prints the typed result", async () => {
    const { code, stdout, stderr } = await show("--input-file", origin, "--format", "json");
    assert.equal(code, 0, stderr);
    const result: ShowResult = JSON.parse(stdout);
    assert.equal(result.mode, "single");
    const normal = result.single!.firstTurn[0]!;
    assert.ok(Math.abs(normal.score - 721 / 86) < 1e-9);
    assert.ok(Math.abs(result.single!.average[0]!.score - 1302 / 166) < 1e-9);
    assert.ok(normal.lower! < normal.score && normal.score < normal.upper!);
    assert.equal(result.single!.totals.duplicateKeys, 10);
    assert.equal(result.single!.perCategory!.length, 16);
    assert.doesNotMatch(stdout, /null|NaN/);
  });

  await t.step("--format csv prints the tables only; notes go to stderr", async () => {
    const { code, stdout, stderr } = await show("--input-file", stefanSingle, "--format", "csv");
    assert.equal(code, 0, stderr);
    const tables = stdout.trim().split("\n\n");
    assert.equal(tables.length, 5);
    assert.equal(tables[0]!.split("\n")[0], "model,turn,score,ci_lower,ci_upper,records");
    assert.match(tables[0]!.split("\n")[1]!, /^phi-3-dpo,1,8\.362500,/);
    assert.match(stderr, /Excluded 0 of 160 records/);
  });

  await t.step("--format markdown prints Markdown tables", async () => {
    const { code, stdout, stderr } = await show(
      "--input-file",
      stefanSingle,
      "--format",
      "markdown",
      "--bootstrap",
      "0",
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^### First turn$/m);
    assert.match(stdout, /^\| phi-3-dpo \|\s+1 \| 8\.362500 \|\s+80 \|$/m);
    assert.match(stdout, /^- Excluded 0 of 160 records/m);
  });
});

Deno.test("llm-judge show pairwise modes", onSharedData, async (t) => {
  await t.step("pairwise-all: win rates, Bradley-Terry ratings, 2 error games", async () => {
    const { code, stdout, stderr } = await show(
      "--input-file",
      stefanPair,
      "--mode",
      "pairwise-all",
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Mode: pairwise-all$/m);
    assert.deepEqual(section(stdout, "Win rate")[0]!.slice(0, 7), [
      "phi-3-dpo",
      "20",
      "18",
      "35",
      (20 / 73).toFixed(6),
      (18 / 73).toFixed(6),
      (37.5 / 73).toFixed(6),
    ]);
    assert.deepEqual(section(stdout, "Win rate")[1]!.slice(0, 4), ["phi-3", "18", "20", "35"]);
    assert.equal(section(stdout, "Bradley-Terry ratings").length, 2);
    assert.match(stdout, /Used 73 games; excluded 2 with an "error" verdict/);
  });

  await t.step(
    "--model-list phi-3 keeps every game whose model_1 is listed, as FastChat (both rows)",
    async () => {
      // FastChat's show_result.py skips a game only when model_1 is not listed;
      // every Stefanstud game has model_1 phi-3, so both models keep their rows.
      for (const mode of ["pairwise-all", "pairwise-baseline"]) {
        const extra = mode === "pairwise-baseline" ? ["--baseline-model", "phi-3"] : [];
        const { code, stdout, stderr } = await show(
          "--input-file",
          stefanPair,
          "--mode",
          mode,
          "--model-list",
          "phi-3",
          "--format",
          "json",
          ...extra,
        );
        assert.equal(code, 0, stderr);
        const result: ShowResult = JSON.parse(stdout);
        const rows = result.winRates!.rows.map((row) => [row.model, row.win, row.loss, row.tie]);
        assert.deepEqual(
          rows,
          mode === "pairwise-all"
            ? [["phi-3-dpo", 20, 18, 35], ["phi-3", 18, 20, 35]]
            : [["phi-3-dpo", 20, 18, 35]],
        );
        assert.equal(result.winRates!.outsideFilters, 0);
      }
      const dpo = await show(
        "--input-file",
        stefanPair,
        "--mode",
        "pairwise-all",
        "--model-list",
        "phi-3-dpo",
        "--format",
        "json",
      );
      assert.equal(dpo.code, 0, dpo.stderr);
      assert.deepEqual((JSON.parse(dpo.stdout) as ShowResult).winRates!.rows, []);
    },
  );

  await t.step("pairwise-baseline: only the non-baseline model, same numbers", async () => {
    const { code, stdout, stderr } = await show(
      "--input-file",
      stefanPair,
      "--mode",
      "pairwise-baseline",
      "--baseline-model",
      "phi-3",
      "--format",
      "json",
    );
    assert.equal(code, 0, stderr);
    const result: ShowResult = JSON.parse(stdout);
    assert.equal(result.winRates!.rows.length, 1);
    const row = result.winRates!.rows[0]!;
    assert.deepEqual([row.model, row.win, row.loss, row.tie], ["phi-3-dpo", 20, 18, 35]);
    assert.ok(Math.abs(row.winRateAdjusted - 37.5 / 73) < 1e-9);
    assert.equal(result.winRates!.errorVerdicts, 2);
    assert.equal(result.ratings, undefined);
  });

  await t.step("every format works in pairwise mode", async () => {
    for (const format of ["table", "csv", "markdown", "json"]) {
      const { code, stderr } = await show(
        "--input-file",
        stefanPair,
        "--mode",
        "pairwise-all",
        "--format",
        format,
        "--bootstrap",
        "50",
      );
      assert.equal(code, 0, `${format}: ${stderr}`);
    }
  });

  await t.step("a baseline that plays no game is a usage error", async () => {
    const { code, stderr } = await show("--input-file", stefanPair, "--mode", "pairwise-baseline");
    assert.equal(code, 2);
    assert.match(stderr, /--baseline-model "gpt-3\.5-turbo" plays no game/);
  });
});

Deno.test("llm-judge show rejects bad input", async (t) => {
  const good = singleLine({
    question_id: 81,
    model: "m",
    judge: ["gpt-4", "single-v1"],
    score: 7,
    turn: 1,
  });

  await t.step("a bad field: exit 1 naming file, line and field", async () => {
    const path = await tempFile(`${good}\n${good.replace('"score":7', '"score":"7"')}\n`);
    const { code, stdout, stderr } = await show("--input-file", path);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(stderr, new RegExp(`line 2 of "${path}" \\(field "score"\\)`));
  });

  await t.step({
    name: "a question id not in the question file: exit 1",
    ...onSharedData,
    fn: async () => {
      const path = await tempFile(`${good.replace('"question_id":81', '"question_id":7')}\n`);
      const { code, stderr } = await show("--input-file", path);
      assert.equal(code, 1);
      assert.match(stderr, /line 1 of .* \(field "question_id"\): unknown question_id 7/);
    },
  });

  await t.step({
    name: "a pair file in single mode (and back): exit 1",
    ...onSharedData,
    fn: async () => {
      const single = await show("--input-file", stefanPair);
      assert.equal(single.code, 1);
      assert.match(single.stderr, /line 1 of .* \(field "score"\).*--mode pairwise-all/);
      const pairwise = await show("--input-file", stefanSingle, "--mode", "pairwise-all");
      assert.equal(pairwise.code, 1);
      assert.match(pairwise.stderr, /line 1 of .* \(field "g1_winner"\)/);
    },
  });

  await t.step("a missing input file: exit 1", async () => {
    const { code, stderr } = await show("--input-file", "/nonexistent/judgment.jsonl");
    assert.equal(code, 1);
    assert.match(stderr, /nonexistent\/judgment\.jsonl/);
  });

  await t.step("bad options: exit 2", async () => {
    for (
      const args of [
        ["--mode", "pairs"],
        ["--format", "xml"],
        ["--bootstrap", "-3"],
        ["--seed", "x"],
        ["--no-such-option"],
      ]
    ) {
      const { code, stderr } = await show(...args);
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, /Run "llm-judge show --help"/);
    }
  });

  await t.step("--help lists every option", async () => {
    const { code, stdout } = await runCli(["show", "--help"]);
    assert.equal(code, 0);
    for (
      const option of [
        "--bench-name",
        "--input-file",
        "--judge-model",
        "--baseline-model",
        "--model-list",
        "--mode",
        "--format",
        "--bootstrap",
        "--seed",
        "--data-dir",
      ]
    ) {
      assert.match(stdout, new RegExp(option));
    }
  });
});
