import assert from "node:assert/strict";
import { checkFileName, MAX_FILE_NAME_BYTES } from "../../lib/data/check_file_name.ts";

Deno.test("checkFileName()", async (t) => {
  await t.step("returns portable names unchanged", () => {
    for (
      const name of ["Phi-3-mini-4k-instruct", "gpt-4", "llama-3.1-8b-instant", "qwen2.5:7b", "Ä"]
    ) {
      assert.equal(checkFileName(name), name);
    }
    assert.equal(checkFileName("x".repeat(MAX_FILE_NAME_BYTES)).length, MAX_FILE_NAME_BYTES);
  });

  await t.step("refuses names that leave their folder or are not portable", () => {
    const refused: [string, RegExp][] = [
      ["", /cannot be empty/],
      ["  ", /cannot be empty/],
      [".", /cannot be "\." or "\.\."/],
      ["..", /cannot be "\." or "\.\."/],
      ["../../../../tmp/x", /cannot contain "\/" or "\\"/],
      ["org/model", /cannot contain "\/"/],
      ["a\\b", /cannot contain "\/" or "\\"/],
      ["a\u0000b", /control characters/],
      ["a\nb", /control characters/],
      ["a\u007fb", /control characters/],
      ["x".repeat(MAX_FILE_NAME_BYTES + 1), /201 bytes long, more than 200/],
      ["ä".repeat(101), /202 bytes long/],
    ];
    for (const [name, message] of refused) {
      assert.throws(
        () => checkFileName(name, { what: "--model-id" }),
        (error: unknown) =>
          error instanceof RangeError && /^--model-id names a file/.test(error.message) &&
          message.test(error.message),
        JSON.stringify(name),
      );
    }
  });
});
