import assert from "node:assert/strict";
import { DataError, type JsonLine, readJsonl } from "../../lib/data/mod.ts";
import { tempFile } from "../_helpers.ts";

async function collect(path: string, chunkSize?: number): Promise<JsonLine[]> {
  const lines: JsonLine[] = [];
  for await (const batch of readJsonl(path, chunkSize ? { chunkSize } : {})) lines.push(...batch);
  return lines;
}

Deno.test("readJsonl()", async (t) => {
  await t.step("reads lines with their 1-based line numbers, skipping blank lines", async () => {
    const path = await tempFile('{"a":1}\n\n{"a":2}\n');
    assert.deepEqual(await collect(path), [{ line: 1, value: { a: 1 } }, {
      line: 3,
      value: { a: 2 },
    }]);
  });

  await t.step("accepts CRLF line ends and gives the same records", async () => {
    const path = await tempFile('{"a":1}\r\n{"a":"x\\r\\n"}\r\n');
    assert.deepEqual(await collect(path), [{ line: 1, value: { a: 1 } }, {
      line: 2,
      value: { a: "x\r\n" },
    }]);
  });

  await t.step("accepts a valid last line without a newline", async () => {
    const path = await tempFile('{"a":1}\n{"a":2}');
    assert.equal((await collect(path)).length, 2);
  });

  await t.step(
    "keeps line numbers right across chunk boundaries and multi-byte characters",
    async () => {
      const lines = Array.from(
        { length: 200 },
        (_, i) => JSON.stringify({ i, text: "Grüße ✓ ".repeat(i % 7) }),
      );
      const path = await tempFile(lines.join("\n") + "\n");
      const read = await collect(path, 64);
      assert.equal(read.length, 200);
      assert.deepEqual(read[199], { line: 200, value: JSON.parse(lines[199]!) });
    },
  );

  await t.step(
    "accepts a stored U+FFFD character and lines longer than the chunk size",
    async () => {
      const long = JSON.stringify({ text: "x".repeat(500) + "\uFFFD" });
      const path = await tempFile(`{"a":1}\n${long}\n`);
      const read = await collect(path, 16);
      assert.equal(read.length, 2);
      assert.deepEqual(read[1], { line: 2, value: JSON.parse(long) });
    },
  );

  await t.step("names the line with invalid UTF-8", async () => {
    const bytes = new TextEncoder().encode('{"a":1}\n{"a":2}\n{"a":"');
    const path = await tempFile(new Uint8Array([...bytes, 0xc3, 0x28, 0x22, 0x7d, 0x0a]));
    await assert.rejects(
      collect(path),
      (e: DataError) => e.line === 3 && /not valid UTF-8/.test(e.message),
    );
  });

  await t.step("rejects invalid JSON naming file and line", async () => {
    const path = await tempFile('{"a":1}\n{"a":\n');
    await assert.rejects(collect(path), (e: DataError) => {
      assert.equal(e.line, 2);
      assert.equal(e.file, path);
      assert.match(e.message, new RegExp(`line 2 of "${path}".*invalid JSON`));
      return true;
    });
  });

  await t.step("rejects a key repeated in one object, at any depth, naming it", async () => {
    for (
      const [text, key] of [
        ['{"score":5,"turn":1,"score":7}', "score"],
        ['{"choices":[{"index":0,"turns":[],"index":1}]}', "index"],
        ['{"a\\"":1, "a\\"" : 2}', 'a"'],
        ['{"a"\t:1,"a":2}', "a"],
        ['{"x":"y : z","a":1,"a"  :2}', "a"],
      ]
    ) {
      const path = await tempFile(`{"ok":1}\n${text}\n`);
      await assert.rejects(collect(path), (e: DataError) => {
        assert.equal(e.line, 2);
        assert.equal(e.field, key);
        assert.match(e.message, /duplicate key/);
        return true;
      });
    }
  });

  await t.step(
    "accepts the same key in sibling objects, spaced colons and quoted colons",
    async () => {
      const text = '{"a" : {"x":1}, "b": {"x":2}, "c": "he said\\": no", "d": "\\\\"}';
      const path = await tempFile(text + "\n");
      assert.deepEqual((await collect(path))[0]!.value, JSON.parse(text));
    },
  );

  await t.step("rejects a truncated last line", async () => {
    const path = await tempFile('{"a":1}\n{"a": "cut');
    await assert.rejects(collect(path), (e: DataError) => {
      assert.equal(e.line, 2);
      assert.match(e.message, /last line is truncated/);
      return true;
    });
  });

  await t.step("rejects a byte-order mark on line 1", async () => {
    const path = await tempFile('\uFEFF{"a":1}\n');
    await assert.rejects(collect(path), (e: DataError) => {
      assert.equal(e.line, 1);
      assert.match(e.message, /byte-order mark/);
      return true;
    });
  });

  await t.step("rejects invalid UTF-8", async () => {
    const path = await tempFile(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0x7d, 0x0a]));
    await assert.rejects(collect(path), /line 1 .*not valid UTF-8/);
  });

  await t.step("names the file when it cannot be opened", async () => {
    await assert.rejects(collect("/nonexistent/x.jsonl"), (e: DataError) => {
      assert.equal(e.file, "/nonexistent/x.jsonl");
      assert.match(e.message, /cannot open the file/);
      return true;
    });
  });
});
