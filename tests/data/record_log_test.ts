import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "../../lib/data/data_error.ts";
import { OutputLockedError } from "../../lib/data/output_locked_error.ts";
import { openRecordLog, readRecordLog } from "../../lib/data/record_log.ts";
import { tempDir } from "../_temp.ts";

interface Row {
  id: number;
}

function parseRow(value: unknown, source: { file: string; line: number }): Row {
  const id = (value as { id?: unknown }).id;
  if (typeof id !== "number") {
    throw new DataError(`expected "id" to be a number, got ${JSON.stringify(id)}`, source);
  }
  return { id };
}

async function logFile(text: string | undefined): Promise<string> {
  const dir = await tempDir({ prefix: "llm-judge-record-log-" });
  const path = join(dir, "records.jsonl");
  if (text !== undefined) await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("readRecordLog()", async (t) => {
  await t.step("reads every line with its 1-based number, skipping blank lines", async () => {
    const path = await logFile('{"id":1}\n\n{"id":2}\r\n');
    const contents = await readRecordLog(path, parseRow);
    assert.deepEqual(contents, {
      records: [{ record: { id: 1 }, line: 1 }, { record: { id: 2 }, line: 3 }],
      tornTail: 0,
    });
  });

  await t.step("reads a missing file as empty", async () => {
    const path = await logFile(undefined);
    assert.deepEqual(await readRecordLog(path, parseRow), { records: [], tornTail: 0 });
  });

  await t.step("keeps a complete last line without a newline", async () => {
    const path = await logFile('{"id":1}\n{"id":2}');
    const contents = await readRecordLog(path, parseRow);
    assert.deepEqual(contents.records.map((entry) => entry.line), [1, 2]);
    assert.equal(contents.tornTail, 0);
  });

  await t.step("reports a torn last line by its length instead of throwing", async () => {
    const path = await logFile('{"id":1}\n{"id":');
    const contents = await readRecordLog(path, parseRow);
    assert.equal(contents.records.length, 1);
    assert.equal(contents.tornTail, 6);
  });

  await t.step("names the file and line of bad JSON and of a rejected record", async () => {
    const broken = await logFile('{"id":1}\nnot json\n');
    await assert.rejects(readRecordLog(broken, parseRow), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.match(error.message, /invalid JSON/);
      assert.ok(error.message.includes(broken), error.message);
      assert.match(error.message, /\b2\b/);
      return true;
    });
    const wrong = await logFile('{"id":"81"}\n');
    await assert.rejects(readRecordLog(wrong, parseRow), /expected "id" to be a number, got "81"/);
  });

  await t.step("rejects a file that is not UTF-8", async () => {
    const path = await logFile(undefined);
    await Deno.writeFile(path, new Uint8Array([0xff, 0xfe, 0x0a]));
    await assert.rejects(readRecordLog(path, parseRow), /not valid UTF-8/);
  });
});

Deno.test("openRecordLog()", async (t) => {
  await t.step("creates the folder and file, appends whole lines and reads them back", async () => {
    const dir = await tempDir();
    const path = join(dir, "model_answer", "m.jsonl");
    const log = await openRecordLog(path, parseRow);
    assert.deepEqual(log.records, []);
    await Promise.all([log.append('{"id":1}\n'), log.append('{"id":2}\n')]);
    await log.close();
    assert.equal(await Deno.readTextFile(path), '{"id":1}\n{"id":2}\n');
    const again = await openRecordLog(path, parseRow);
    assert.deepEqual(again.records.map((entry) => entry.record.id), [1, 2]);
    await again.close();
  });

  await t.step("refuses a line that is not one whole line", async () => {
    const log = await openRecordLog(await logFile(""), parseRow);
    try {
      await assert.rejects(log.append('{"id":1}'), RangeError);
      await assert.rejects(log.append('{"id":1}\n{"id":2}\n'), RangeError);
    } finally {
      await log.close();
    }
  });

  await t.step("cuts off a torn last line and says how many bytes", async () => {
    const path = await logFile('{"id":1}\n{"id":');
    const log = await openRecordLog(path, parseRow);
    assert.equal(log.repairedBytes, 6);
    await log.append('{"id":2}\n');
    await log.close();
    assert.equal(await Deno.readTextFile(path), '{"id":1}\n{"id":2}\n');
  });

  await t.step("drops lines and rewrites the file atomically under the lock", async () => {
    const path = await logFile('{"id":3}\n{"id":1}\n{"id":2}\n');
    const log = await openRecordLog(path, parseRow);
    await log.dropLines(new Set([2]));
    assert.equal(await Deno.readTextFile(path), '{"id":3}\n{"id":2}\n');
    await log.rewrite((text) => text.trimEnd().split("\n").sort().join("\n") + "\n");
    await log.append('{"id":4}\n');
    await log.close();
    assert.equal(await Deno.readTextFile(path), '{"id":2}\n{"id":3}\n{"id":4}\n');
  });

  await t.step("refuses a second writer while the first holds the lock", async () => {
    const path = await logFile("");
    const first = await openRecordLog(path, parseRow);
    try {
      await assert.rejects(
        openRecordLog(path, parseRow, { lockedHint: "--output-dir" }),
        (error: unknown) => {
          assert.ok(error instanceof OutputLockedError);
          assert.match(error.message, /--output-dir/);
          return true;
        },
      );
    } finally {
      await first.close();
    }
    const second = await openRecordLog(path, parseRow);
    await second.close();
    await assert.rejects(Deno.stat(`${path}.lock`), Deno.errors.NotFound);
  });

  await t.step("releases the lock when the existing records are bad", async () => {
    const path = await logFile("oops\n");
    await assert.rejects(openRecordLog(path, parseRow), DataError);
    await Deno.writeTextFile(path, "");
    const log = await openRecordLog(path, parseRow);
    await log.close();
  });
});
