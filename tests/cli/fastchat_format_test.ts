import assert from "node:assert/strict";
import { join } from "node:path";
import { onSharedData, runCli, SHARED_DATA } from "../_helpers.ts";

// Outputs recorded once from FastChat's own show_result.py and
// compute_agreement.py (lm-sys/FastChat 0e6d3e4, pandas 1.5.3), with the data
// root written as {DATA}. FastChat's code is not part of this repository.
const FIXTURES = new URL("./fixtures/fastchat/", import.meta.url);
const SAMPLES = join(SHARED_DATA, "samples");
const file = (set: string, name: string) => join(SAMPLES, set, "model_judgment", name);
const STEFAN_SINGLE = file("Stefanstud__FastChat", "gpt-4_single.jsonl");
const STEFAN_PAIR = file("Stefanstud__FastChat", "gpt-4_pair.jsonl");
const VANBUJM = file("vanbujm__FastChat", "gpt-4_single.jsonl");
const ORIGIN = file("dreaming-panda__MTBench", "gpt-4_single-origin.jsonl");

async function fixture(name: string): Promise<string> {
  const text = await Deno.readTextFile(new URL(`${name}.txt`, FIXTURES));
  return text.replaceAll("{DATA}/", SHARED_DATA.endsWith("/") ? SHARED_DATA : `${SHARED_DATA}/`);
}

/** Runs the CLI as a script would (not a terminal, 80 columns). */
async function fastchat(...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await runCli(
    [args[0]!, "--data-dir", SHARED_DATA, "--format", "fastchat", ...args.slice(1)],
    { COLUMNS: "80" },
  );
  assert.equal(code, 0, stderr);
  return stdout;
}

/** The `model [turn] value` rows of a pandas table under a heading. */
function rows(text: string, heading: string): string[][] {
  const lines = text.split("\n");
  const start = lines.indexOf(`########## ${heading} ##########`);
  assert.ok(start >= 0, `no "${heading}" in:\n${text}`);
  const body = lines.slice(start + 3);
  const end = body.findIndex((line) => line === "");
  return body.slice(0, end === -1 ? undefined : end).map((line) => line.trim().split(/\s+/));
}

Deno.test("llm-judge show --format fastchat", onSharedData, async (t) => {
  const cases: [string, string[]][] = [
    ["show_stefanstud_single", ["--input-file", STEFAN_SINGLE]],
    ["show_stefanstud_pairwise-all", ["--input-file", STEFAN_PAIR, "--mode", "pairwise-all"]],
    ["show_stefanstud_pairwise-baseline", [
      "--input-file",
      STEFAN_PAIR,
      "--mode",
      "pairwise-baseline",
      "--baseline-model",
      "phi-3",
    ]],
    ["show_vanbujm_single", ["--input-file", VANBUJM]],
    ["show_vanbujm_single_model-list", [
      "--input-file",
      VANBUJM,
      "--model-list",
      "ultrachat_cai",
      "ultrachat_sai",
    ]],
    ["show_vanbujm_single_vicuna_bench", ["--input-file", VANBUJM, "--bench-name", "vicuna_bench"]],
    ["show_dreaming-panda_single", ["--input-file", ORIGIN]],
  ];
  for (const [name, args] of cases) {
    await t.step(`prints what show_result.py printed: ${name}`, async () => {
      assert.equal(await fastchat("show", ...args), await fixture(name));
    });
  }

  await t.step("gives the means the samples README lists", async () => {
    const stefan = await fastchat("show", "--input-file", STEFAN_SINGLE);
    assert.deepEqual(rows(stefan, "First turn"), [["phi-3-dpo", "1", "8.3625"]]);
    assert.deepEqual(rows(stefan, "Second turn"), [["phi-3-dpo", "2", "8.0375"]]);
    assert.deepEqual(rows(stefan, "Average"), [["phi-3-dpo", "8.2"]]);
    const vanbujm = await fastchat("show", "--input-file", VANBUJM);
    assert.deepEqual(rows(vanbujm, "First turn").map((row) => [row[0], Number(row[2])]), [
      ["ultrachat_sai", 7.15],
      ["ultrachat_cai", 7.1],
      ["ultrachat_baseline", 6.7625],
    ]);
    assert.deepEqual(rows(vanbujm, "Second turn").map((row) => [row[0], Number(row[2])]), [
      ["ultrachat_sai", 6.2],
      ["ultrachat_baseline", 6.025],
      ["ultrachat_cai", 5.925],
    ]);
    assert.deepEqual(rows(vanbujm, "Average").map((row) => [row[0], Number(row[1])]), [
      ["ultrachat_sai", 6.675],
      ["ultrachat_cai", 6.5125],
      ["ultrachat_baseline", 6.39375],
    ]);
    const origin = await fastchat("show", "--input-file", ORIGIN);
    assert.deepEqual(rows(origin, "First turn").map((row) => row[2]), ["8.383721", "3.137500"]);
    assert.deepEqual(rows(origin, "Second turn").map((row) => row[2]), ["7.2625", "2.2625"]);
    assert.deepEqual(rows(origin, "Average").map((row) => row[1]), ["7.843373", "2.700000"]);
    const pair = (await fastchat("show", "--input-file", STEFAN_PAIR, "--mode", "pairwise-all"))
      .split("\n").slice(4, 6).map((line) => line.trim().split(/\s+/));
    assert.deepEqual(pair, [
      ["phi-3-dpo", "20", "18", "35", "0.273973", "0.246575", "0.513699"],
      ["phi-3", "18", "20", "35", "0.246575", "0.273973", "0.486301"],
    ]);
  });
});

Deno.test("llm-judge agree --format fastchat", onSharedData, async (t) => {
  for (const judges of [["gpt4-pair", "human"], ["human", "human"]]) {
    await t.step(`prints what compute_agreement.py printed: ${judges.join(" ")}`, async () => {
      assert.equal(
        await fastchat("agree", "--judges", ...judges),
        await fixture(`agree_${judges.join("_")}`),
      );
    });
  }
});
