import assert from "node:assert/strict";
import { join } from "node:path";
import { openJudgmentLog, readJudgmentLog } from "../../lib/judge/mod.ts";
import { OutputLockedError } from "../../lib/data/mod.ts";
import { DataError } from "../../lib/data/mod.ts";
import { tempDir } from "../_temp.ts";

const LINE = (id: number, score = 7) =>
  `{"question_id": ${id}, "model": "m", "judge": ["j", "single-v1"], "score": ${score}, "turn": 1}\n`;

Deno.test("openJudgmentLog()", async (t) => {
  await t.step("appends whole lines and reads them back on reopening", async () => {
    const dir = await tempDir();
    const path = join(dir, "mt_bench", "model_judgment", "j_single.jsonl");
    const log = await openJudgmentLog(path);
    assert.equal(log.records.length, 0);
    await Promise.all([1, 2, 3].map((id) => log.append(LINE(id))));
    await log.close();
    const again = await openJudgmentLog(path);
    assert.deepEqual(again.records.map((logged) => logged.record.question_id).sort(), [1, 2, 3]);
    await again.close();
  });

  await t.step("refuses a second opening while the first holds the lock", async () => {
    const path = join(await tempDir(), "j_single.jsonl");
    const first = await openJudgmentLog(path);
    await assert.rejects(openJudgmentLog(path), (error: Error) => {
      assert.ok(error instanceof OutputLockedError);
      assert.match(error.message, /Another llm-judge run is writing/);
      return true;
    });
    await first.close();
    const second = await openJudgmentLog(path);
    await second.close();
  });

  await t.step("cuts off a torn last line and keeps the complete ones", async () => {
    const path = join(await tempDir(), "j_single.jsonl");
    await Deno.writeTextFile(path, LINE(1) + LINE(2).slice(0, 30));
    const log = await openJudgmentLog(path);
    assert.equal(log.repairedBytes, 30);
    assert.equal(log.records.length, 1);
    await log.append(LINE(3));
    await log.close();
    assert.equal(await Deno.readTextFile(path), LINE(1) + LINE(3));
  });

  await t.step("adds the newline a complete last line lacks before appending", async () => {
    const path = join(await tempDir(), "j_single.jsonl");
    await Deno.writeTextFile(path, LINE(1).trimEnd());
    const log = await openJudgmentLog(path);
    assert.equal(log.records.length, 1);
    await log.append(LINE(2));
    await log.close();
    assert.equal(await Deno.readTextFile(path), LINE(1) + LINE(2));
  });

  await t.step("drops lines atomically and keeps appending after", async () => {
    const path = join(await tempDir(), "j_single.jsonl");
    const log = await openJudgmentLog(path);
    for (const id of [1, 2, 3]) await log.append(LINE(id));
    await log.dropLines(new Set([2]));
    await log.append(LINE(4));
    await log.close();
    assert.equal(await Deno.readTextFile(path), LINE(1) + LINE(3) + LINE(4));
  });

  await t.step("rejects a line with an inner newline", async () => {
    const path = join(await tempDir(), "j_single.jsonl");
    const log = await openJudgmentLog(path);
    await assert.rejects(log.append("a\nb\n"), /must be one line/);
    await log.close();
  });
});

Deno.test("readJudgmentLog() names the line of a bad record", async () => {
  const path = join(await tempDir(), "j_single.jsonl");
  await Deno.writeTextFile(path, LINE(1) + '{"question_id": 2, "model": "m"}\n');
  await assert.rejects(readJudgmentLog(path), (error: Error) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.line, 2);
    return true;
  });
});
