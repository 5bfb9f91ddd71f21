import assert from "node:assert/strict";
import { formatFields, formatPython } from "../../lib/prompts/mod.ts";

Deno.test("formatPython()", async (t) => {
  await t.step("replaces named fields and ignores extra values", () => {
    assert.equal(formatPython("{a}-{b}-{a}", { a: "x", b: 2, c: "unused" }), "x-2-x");
  });

  await t.step("turns {{ and }} into single braces", () => {
    assert.equal(formatPython("{{}} {{a}} }}{{", { a: "x" }), "{} {a} }{");
  });

  await t.step("does not re-read braces inside values", () => {
    assert.equal(formatPython("{a}", { a: "{b} }} {{" }), "{b} }} {{");
  });

  await t.step("throws for a field with no value, like Python's KeyError", () => {
    assert.throws(() => formatPython("{missing}", { a: "x" }), /no value for field "\{missing\}"/);
  });

  await t.step("throws for a single } and an unclosed {", () => {
    assert.throws(() => formatPython("a } b", {}), /single "\}" encountered at offset 2/);
    assert.throws(() => formatPython("a { b", {}), /expected "\}" before the end/);
  });

  await t.step("throws for positional fields, conversions and format specs", () => {
    assert.throws(() => formatPython("{}", {}), /positional field/);
    assert.throws(() => formatPython("{0}", {}), /positional field/);
    assert.throws(() => formatPython("{a!r}", { a: "x" }), /conversion or format spec/);
    assert.throws(() => formatPython("{a:>4}", { a: "x" }), /conversion or format spec/);
    assert.throws(() => formatPython("{a.b}", { a: "x" }), /attribute, index/);
  });
});

Deno.test("formatFields() lists each field once, in order", () => {
  assert.deepEqual(formatFields("{b} {{a}} {a} {b}"), ["b", "a"]);
});
