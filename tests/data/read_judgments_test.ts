import assert from "node:assert/strict";
import { join } from "node:path";
import {
  DataError,
  isPairJudgment,
  readJudgments,
  streamPairJudgments,
  streamSingleJudgments,
} from "../../lib/data/mod.ts";
import { onSharedData, SHARED_DATA, tempFile } from "../_helpers.ts";

const single = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    question_id: 81,
    model: "m",
    judge: ["gpt-4", "single-v1"],
    user_prompt: "p",
    judgment: "j [[7]]",
    score: 7,
    turn: 1,
    tstamp: 1,
    ...extra,
  });
const pair = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    question_id: 81,
    model_1: "a",
    model_2: "b",
    g1_winner: "model_1",
    g2_winner: "tie",
    judge: ["gpt-4", "pair-v2"],
    turn: 1,
    ...extra,
  });

function rejectsAt(text: string, field: string | undefined, pattern: RegExp, options = {}) {
  return async () => {
    const path = await tempFile(text);
    await assert.rejects(readJudgments(path, options), (e: DataError) => {
      assert.ok(e instanceof DataError);
      assert.equal(e.field, field);
      assert.match(e.message, pattern);
      assert.match(e.message, new RegExp(`line \\d+ of "${path}"`));
      return true;
    });
  };
}

Deno.test("readJudgments()", async (t) => {
  await t.step({
    name: "reads every sample judgment file, single and pairwise",
    ...onSharedData,
    fn: async () => {
      const samples = join(SHARED_DATA, "samples");
      const single = await readJudgments(
        join(samples, "vanbujm__FastChat", "model_judgment", "gpt-4_single.jsonl"),
      );
      assert.equal(single.length, 480);
      assert.ok(single.every((record) => !isPairJudgment(record)));
      const pairs = await readJudgments(
        join(samples, "Stefanstud__FastChat", "model_judgment", "gpt-4_pair.jsonl"),
      );
      assert.equal(pairs.length, 75);
      assert.ok(pairs.every(isPairJudgment));
      const origin = await readJudgments(
        join(samples, "dreaming-panda__MTBench", "model_judgment", "gpt-4_single-origin.jsonl"),
      );
      assert.equal(
        origin.filter((record) => !isPairJudgment(record) && record.score === -1).length,
        4,
      );
    },
  });

  await t.step("keeps float and integer scores as FastChat wrote them", async () => {
    const path = await tempFile(single({ score: 8.5 }) + "\n" + single({ score: 10 }) + "\n");
    const records = await readJudgments(path);
    assert.deepEqual(records.map((record) => !isPairJudgment(record) && record.score), [8.5, 10]);
  });

  await t.step(
    "rejects a missing score",
    rejectsAt(single({ score: undefined }) + "\n", "score", /missing required field "score"/),
  );
  await t.step(
    "rejects a string score",
    rejectsAt(
      single({ score: "7" }) + "\n",
      "score",
      /expected "score" to be a number, got string "7"/,
    ),
  );
  await t.step(
    "rejects a judge that is not [model, prompt]",
    rejectsAt(single({ judge: "gpt-4" }) + "\n", "judge", /\[judge_model, prompt_name\]/),
  );
  await t.step("rejects turn 0", rejectsAt(single({ turn: 0 }) + "\n", "turn", /1 or 2/));
  await t.step("rejects turn 3", rejectsAt(single({ turn: 3 }) + "\n", "turn", /1 or 2/));
  await t.step("rejects score 11", rejectsAt(single({ score: 11 }) + "\n", "score", /1 and 10/));
  await t.step("rejects score 0", rejectsAt(single({ score: 0 }) + "\n", "score", /1 and 10/));
  await t.step("accepts scores -1 and 8.5", async () => {
    const path = await tempFile(single({ score: -1 }) + "\n" + single({ score: 8.5 }) + "\n");
    const scores = (await readJudgments(path)).map((record) => (record as { score: number }).score);
    assert.deepEqual(scores, [-1, 8.5]);
  });
  await t.step("rejects an empty file", async () => {
    await assert.rejects(readJudgments(await tempFile("\n")), /holds no judgment record/);
  });
  await t.step(
    "rejects an unknown winner",
    rejectsAt(pair({ g2_winner: "A" }) + "\n", "g2_winner", /got string "A"/),
  );
  await t.step(
    "rejects a record of neither kind",
    rejectsAt('{"question_id":81}\n', undefined, /single judgment/),
  );
  await t.step(
    "rejects an unknown question id",
    rejectsAt(
      single() + "\n" + single({ question_id: 7 }) + "\n",
      "question_id",
      /unknown question_id 7/,
      { questionIds: new Set([81]) },
    ),
  );
  await t.step(
    "rejects a truncated last line",
    rejectsAt(single() + "\n" + single().slice(0, 40), undefined, /truncated/),
  );
});

Deno.test("streamSingleJudgments() and streamPairJudgments()", async (t) => {
  const drain = async (batches: AsyncGenerator<unknown[]>) => {
    let count = 0;
    for await (const batch of batches) count += batch.length;
    return count;
  };

  await t.step("read records of their own kind", async () => {
    assert.equal(await drain(streamSingleJudgments(await tempFile(single() + "\n"))), 1);
    assert.equal(await drain(streamPairJudgments(await tempFile(pair() + "\n"))), 1);
  });

  await t.step("reject a record of the other kind with the line and the hint", async () => {
    const path = await tempFile(single() + "\n" + pair() + "\n");
    await assert.rejects(
      drain(streamSingleJudgments(path, { hint: "use --mode pairwise-all" })),
      (e: DataError) => {
        assert.equal(e.line, 2);
        assert.match(e.message, /got a pairwise one; use --mode pairwise-all/);
        return true;
      },
    );
    await assert.rejects(
      drain(streamPairJudgments(path)),
      (e: DataError) => e.line === 1 && e.field === "g1_winner",
    );
  });
});
