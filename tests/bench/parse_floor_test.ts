import assert from "node:assert/strict";
import { parseFloor } from "../../bench/parse_floor.ts";
import { tempFile } from "../_helpers.ts";

Deno.test("parseFloor() parses each line once, whatever the number of workers", async () => {
  const lines = Array.from(
    { length: 50 },
    (_, index) =>
      JSON.stringify({ index, text: "é".repeat(index % 7), long: "x".repeat(index * 37) }),
  );
  const path = await tempFile(`${lines.slice(0, 20).join("\n")}\n\n${lines.slice(20).join("\n")}`);
  try {
    for (const workers of [1, 2, 3, 7]) {
      assert.equal(await parseFloor(path, workers), 50, `${workers} workers`);
    }
    await Deno.writeTextFile(path, `${lines[0]}\n{"broken"\n`);
    await assert.rejects(parseFloor(path, 2), /Expected ':'/);
  } finally {
    await Deno.remove(path);
  }
});
