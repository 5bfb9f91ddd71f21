import assert from "node:assert/strict";
import { checkAnswerLanguage } from "../../lib/judge/mod.ts";

const GERMAN =
  "Hawaii ist ein wunderschönes Reiseziel mit einer reichen Kultur, freundlichen Menschen und atemberaubenden Stränden.";
const ENGLISH =
  "Hawaii is a beautiful destination with a rich culture, friendly people and breathtaking beaches to explore.";

Deno.test("checkAnswerLanguage()", async (t) => {
  await t.step("passes an answer in the declared language, by name or code", () => {
    assert.equal(checkAnswerLanguage(GERMAN, "German")?.ok, true);
    assert.equal(checkAnswerLanguage(GERMAN, "de")?.ok, true);
    assert.equal(checkAnswerLanguage(GERMAN, "deu")?.ok, true);
  });

  await t.step("fails an answer clearly in another language", () => {
    assert.deepEqual(checkAnswerLanguage(ENGLISH, "German"), {
      expected: "deu",
      detected: "eng",
      ok: false,
    });
  });

  await t.step("ignores code blocks and does not judge short answers", () => {
    assert.equal(
      checkAnswerLanguage("```python\nprint('hello world')\n```\nOk.", "German"),
      undefined,
    );
    assert.equal(checkAnswerLanguage("Ja, genau.", "German"), undefined);
  });

  await t.step("does not judge an unknown language name", () => {
    assert.equal(checkAnswerLanguage(ENGLISH, "Klingon"), undefined);
  });
});
