import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "../../lib/data/data_error.ts";
import { findJudgmentFiles } from "../../lib/data/find_judgment_files.ts";
import { tempDir } from "../_temp.ts";

async function root(bench: string, names: string[]): Promise<string> {
  const dir = await tempDir({ prefix: "llm-judge-find-" });
  await Deno.mkdir(join(dir, bench, "model_judgment"), { recursive: true });
  for (const name of names) {
    await Deno.writeTextFile(join(dir, bench, "model_judgment", name), `${dir}\n`);
  }
  return dir;
}

Deno.test("findJudgmentFiles()", async (t) => {
  const data = await root("mt_bench_de", [
    "groq_single.jsonl",
    "Phi-3-mini-4k-instruct_groq_single.jsonl",
    "groq_pair.jsonl",
    "gpt-4_single.jsonl",
    "notes.txt",
  ]);
  const output = await root("mt_bench_de", [
    "Phi-3-mini-4k-instruct_groq_single.jsonl",
    "zephyr_groq_single.jsonl",
    "llama-3.1-8b-instant_single.jsonl",
    "llama-3.1-8b-instant_single.jsonl.batches.jsonl",
  ]);

  await t.step("finds FastChat's file and every per-model file of the judge", async () => {
    const found = await findJudgmentFiles(data, { bench: "mt_bench_de", judge: "groq" });
    assert.deepEqual(found.files.map((file) => [file.name, file.model ?? null, file.root]), [
      ["groq_single.jsonl", null, "data"],
      ["Phi-3-mini-4k-instruct_groq_single.jsonl", "Phi-3-mini-4k-instruct", "data"],
    ]);
    assert.deepEqual(found.directories, [join(data, "mt_bench_de", "model_judgment")]);
  });

  await t.step("searches the output root first; its file of the same name wins", async () => {
    const found = await findJudgmentFiles(data, {
      outputRoot: output,
      bench: "mt_bench_de",
      judge: "groq",
    });
    assert.deepEqual(found.files.map((file) => [file.name, file.root]), [
      ["groq_single.jsonl", "data"],
      ["Phi-3-mini-4k-instruct_groq_single.jsonl", "output"],
      ["zephyr_groq_single.jsonl", "output"],
    ]);
    const phi = found.files[1]!;
    assert.equal(phi.path, join(output, "mt_bench_de", "model_judgment", phi.name));
    assert.equal(await Deno.readTextFile(phi.path), `${output}\n`);
    assert.equal(found.directories.length, 2);
  });

  await t.step("reads the judge name after the provider prefix as judge writes it", async () => {
    const found = await findJudgmentFiles(data, {
      outputRoot: output,
      bench: "mt_bench_de",
      judge: "llama-3.1-8b-instant",
    });
    assert.deepEqual(found.files.map((file) => file.name), ["llama-3.1-8b-instant_single.jsonl"]);
  });

  await t.step("pairwise: only <judge>_pair.jsonl", async () => {
    const found = await findJudgmentFiles(data, {
      outputRoot: output,
      bench: "mt_bench_de",
      judge: "groq",
      kind: "pair",
    });
    assert.deepEqual(found.files.map((file) => file.name), ["groq_pair.jsonl"]);
  });

  await t.step("without a judge, every .jsonl of both roots but Batch API journals", async () => {
    const found = await findJudgmentFiles(data, { outputRoot: output, bench: "mt_bench_de" });
    assert.deepEqual(found.files.map((file) => file.name).sort(), [
      "Phi-3-mini-4k-instruct_groq_single.jsonl",
      "gpt-4_single.jsonl",
      "groq_pair.jsonl",
      "groq_single.jsonl",
      "llama-3.1-8b-instant_single.jsonl",
      "zephyr_groq_single.jsonl",
    ]);
  });

  await t.step("the same root twice is searched once", async () => {
    const found = await findJudgmentFiles(data, {
      outputRoot: data,
      bench: "mt_bench_de",
      judge: "groq",
    });
    assert.equal(found.directories.length, 1);
    assert.equal(found.files.length, 2);
  });

  await t.step("nothing found for a judge is a DataError naming the folders", async () => {
    await findJudgmentFiles(data, { outputRoot: output, bench: "mt_bench_de", judge: "nobody" })
      .then(
        () => assert.fail("expected a DataError"),
        (caught: unknown) => {
          assert.ok(caught instanceof DataError);
          assert.match(caught.message, /no judgment file of judge "nobody"/);
          assert.match(caught.message, /nobody_single\.jsonl or <model>_nobody_single\.jsonl/);
          assert.ok(caught.message.includes(join(output, "mt_bench_de", "model_judgment")));
          assert.ok(caught.message.includes(join(data, "mt_bench_de", "model_judgment")));
        },
      );
  });

  await t.step("a missing bench folder finds nothing without a judge", async () => {
    const found = await findJudgmentFiles(data, { bench: "no_such_bench" });
    assert.deepEqual(found.files, []);
  });
});
