import assert from "node:assert/strict";
import { formatRecordLine, parseVerdict } from "../../lib/judge/mod.ts";
import { loadBench, loadSampleSets } from "./_samples.ts";
import { onSharedData } from "../_helpers.ts";

Deno.test("formatRecordLine() writes FastChat's lines byte for byte", onSharedData, async (t) => {
  const bench = await loadBench();
  for (const set of await loadSampleSets()) {
    await t.step(`${set.name}: every record line reproduces`, () => {
      for (const { value, text, file, line } of set.records) {
        const literals: Record<string, string> = {};
        if ("score" in value) {
          const format = bench.prompts.get((value.judge as string[])[1]!)!.output_format;
          const verdict = parseVerdict(String(value.judgment), format);
          if (verdict.kind === "rating") literals.score = verdict.literal;
        }
        assert.equal(formatRecordLine(value, { literals }), `${text}\n`, `${file}:${line}`);
      }
    });
  }
});

Deno.test("formatRecordLine()", async (t) => {
  await t.step("escapes non-ASCII as Python's json.dumps (ensure_ascii)", () => {
    assert.equal(
      formatRecordLine({ text: "Grüße 😀 \u007f" }, { floatFields: [] }),
      '{"text": "Gr\\u00fc\\u00dfe \\ud83d\\ude00 \\u007f"}\n',
    );
  });

  await t.step("writes float fields with a decimal point and skips undefined", () => {
    assert.equal(
      formatRecordLine({ tstamp: 1718409720, gone: undefined, nested: { a: [1, 0.5, null] } }),
      '{"tstamp": 1718409720.0, "nested": {"a": [1, 0.5, null]}}\n',
    );
  });
});
