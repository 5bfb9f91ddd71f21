import assert from "node:assert/strict";
import { DataError } from "../../lib/data/data_error.ts";
import { readJsonl } from "../../lib/data/read_jsonl.ts";
import { streamPairJudgments, streamSingleJudgments } from "../../lib/data/read_judgments.ts";
import { streamPairJudgmentsParallel } from "../../lib/data/stream_pair_judgments_parallel.ts";
import { streamSingleJudgmentsParallel } from "../../lib/data/stream_single_judgments_parallel.ts";
import { tempFile } from "../_helpers.ts";

function singleLines(count: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    JSON.stringify({
      question_id: 81 + (index % 80),
      model: `model-${Math.floor(index / 160)}`,
      judge: ["gpt-4", index % 3 === 0 ? "single-math-v1" : "single-v1"],
      user_prompt: "x".repeat(index % 97),
      judgment: "Rating: [[5]]",
      score: index % 11 === 0 ? -1 : 1 + (index % 9) + 0.5 * (index % 2),
      turn: 1 + (Math.floor(index / 80) % 2),
      ...(index % 50 === 7 ? { error: `failed ${index}` } : {}),
    }));
}

function pairLines(count: number): string[] {
  const winners = ["model_1", "model_2", "tie", "error"];
  return Array.from({ length: count }, (_, index) =>
    JSON.stringify({
      question_id: 81 + (index % 80),
      model_1: `model-${index % 3}`,
      model_2: `model-${3 + (index % 4)}`,
      g1_winner: winners[index % 4],
      g2_winner: winners[(index >> 2) % 4],
      judge: ["gpt-4", "pair-v2"],
      g1_user_prompt: "p".repeat(index % 53),
      turn: 1 + (index % 2),
    }));
}

async function collect<T>(stream: AsyncGenerator<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of stream) out.push(...batch);
  return out;
}

Deno.test("readJsonl() with a byte range", async (t) => {
  const lines = singleLines(300);
  const path = await tempFile(lines.join("\n") + "\n");
  const size = (await Deno.stat(path)).size;
  await t.step("reads each line exactly once, however the file is cut", async () => {
    const expected = lines.map((line) => JSON.parse(line));
    for (const cuts of [[0, size], [0, 1, 2, 3, size], [0, 777, 778, 5000, size - 1, size]]) {
      for (const chunkSize of [1, 5, 333, 1 << 20]) {
        const values: unknown[] = [];
        for (let index = 0; index + 1 < cuts.length; index++) {
          const range = { start: cuts[index]!, end: cuts[index + 1]! };
          for await (const batch of readJsonl(path, { range, chunkSize })) {
            for (const { value } of batch) values.push(value);
          }
        }
        assert.deepEqual(values, expected, `cuts ${cuts} chunk ${chunkSize}`);
      }
    }
  });
  await t.step("numbers lines from the first line of the range", async () => {
    const second = lines[0]!.length + 1;
    const records = await collect(readJsonl(path, { range: { start: second, end: second + 1 } }));
    assert.deepEqual(records, [{ line: 1, value: JSON.parse(lines[1]!) }]);
  });
  await Deno.remove(path);
});

Deno.test("streamSingleJudgmentsParallel()", async (t) => {
  const lines = singleLines(2000);
  const path = await tempFile(lines.join("\n") + "\n");
  await t.step("yields what streamSingleJudgments yields, in file order", async () => {
    const expected = (await collect(streamSingleJudgments(path))).map((record) => ({
      question_id: record.question_id,
      model: record.model,
      judge: record.judge,
      score: record.score,
      turn: record.turn,
      error: record.error,
    }));
    for (const workers of [1, 2, 3, 7]) {
      assert.deepEqual(await collect(streamSingleJudgmentsParallel(path, { workers })), expected);
    }
  });
  await t.step("names the line of a bad record, counted from the top of the file", async () => {
    const bad = [...lines];
    bad[1733] = bad[1733]!.replace('"turn":', '"turn":"two","x":');
    const badPath = await tempFile(bad.join("\n") + "\n");
    const serial = await collect(streamSingleJudgments(badPath)).catch((error) => error);
    const parallel = await collect(streamSingleJudgmentsParallel(badPath, { workers: 3 }))
      .catch((error) => error);
    assert.ok(serial instanceof DataError);
    assert.ok(parallel instanceof DataError);
    assert.equal(parallel.line, 1734);
    assert.equal(parallel.message, serial.message);
    await Deno.remove(badPath);
  });
  await t.step("keeps the duplicate-key check", async () => {
    const bad = [...lines];
    bad[1500] = bad[1500]!.replace('{"question_id":', '{"score":1,"question_id":');
    const badPath = await tempFile(bad.join("\n") + "\n");
    const error = await collect(streamSingleJudgmentsParallel(badPath, { workers: 2 }))
      .catch((error) => error);
    assert.ok(error instanceof DataError);
    assert.equal(error.line, 1501);
    assert.match(error.message, /score/);
    await Deno.remove(badPath);
  });
  await Deno.remove(path);
});

Deno.test("streamPairJudgmentsParallel()", async (t) => {
  const lines = pairLines(1500);
  const path = await tempFile(lines.join("\n") + "\n");
  await t.step("yields what streamPairJudgments yields, in file order", async () => {
    const expected = (await collect(streamPairJudgments(path))).map((record) => ({
      question_id: record.question_id,
      model_1: record.model_1,
      model_2: record.model_2,
      g1_winner: record.g1_winner,
      g2_winner: record.g2_winner,
      judge: record.judge,
      turn: record.turn,
      error: record.error,
    }));
    for (const workers of [1, 2, 5]) {
      assert.deepEqual(await collect(streamPairJudgmentsParallel(path, { workers })), expected);
    }
  });
  await t.step("rejects a single record in a pair file, as streamPairJudgments does", async () => {
    const mixed = [...lines, ...singleLines(1)];
    const mixedPath = await tempFile(mixed.join("\n") + "\n");
    const error = await collect(streamPairJudgmentsParallel(mixedPath, { workers: 2 }))
      .catch((error) => error);
    assert.ok(error instanceof DataError);
    assert.equal(error.line, 1501);
    await Deno.remove(mixedPath);
  });
  await Deno.remove(path);
});
