import assert from "node:assert/strict";
import { parseMarkdown } from "../../lib/browse/static/markdown.js";

type Node = { type: string; text?: string; children?: Node[]; items?: Node[][] };

/** All text of a tree, in order. */
function textOf(nodes: readonly Node[]): string {
  return nodes.map((node) => {
    if (node.type === "br") return "\n";
    if (node.text !== undefined) return node.text;
    if (node.items !== undefined) return node.items.map(textOf).join("|");
    return textOf(node.children ?? []);
  }).join("");
}

const types = (nodes: readonly Node[]) => nodes.map((node) => node.type);

Deno.test("parseMarkdown()", async (t) => {
  await t.step("keeps HTML as text", () => {
    const source = 'Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> & <b>b</b>';
    const blocks = parseMarkdown(source) as Node[];
    assert.deepEqual(types(blocks), ["paragraph"]);
    assert.equal(textOf(blocks), source);
  });

  await t.step("parses headings, paragraphs and line breaks", () => {
    const blocks = parseMarkdown("# Title #\nnot a heading\n\nline one\nline two") as Node[];
    assert.deepEqual(types(blocks), ["heading", "paragraph", "paragraph"]);
    assert.equal((blocks[0] as unknown as { level: number }).level, 1);
    assert.equal(textOf([blocks[0]!]), "Title");
    assert.deepEqual(types(blocks[2]!.children!), ["text", "br", "text"]);
  });

  await t.step("parses bold, italic and code, leaving snake_case alone", () => {
    const [paragraph] = parseMarkdown(
      "**bold** *it* _em_ `a < b` snake_case_name 2 * 3 * 4",
    ) as Node[];
    assert.deepEqual(types(paragraph!.children!), [
      "strong",
      "text",
      "em",
      "text",
      "em",
      "text",
      "code",
      "text",
    ]);
    assert.equal(textOf(paragraph!.children!), "bold it em a < b snake_case_name 2 * 3 * 4");
  });

  await t.step("parses fenced code verbatim", () => {
    const blocks = parseMarkdown("```python\nif a < b:\n    print('**x**')\n```\nafter") as Node[];
    assert.deepEqual(blocks[0], {
      type: "code",
      lang: "python",
      text: "if a < b:\n    print('**x**')",
    });
    assert.equal(textOf([blocks[1]!]), "after");
  });

  await t.step("an unclosed fence runs to the end", () => {
    const blocks = parseMarkdown("```\ncode\nmore") as Node[];
    assert.deepEqual(blocks, [{ type: "code", lang: "", text: "code\nmore" }]);
  });

  await t.step("parses lists, nested, and lists right after a paragraph", () => {
    const blocks = parseMarkdown(
      "Steps:\n1. one\n2. two\n   - a\n   - b\n3. three\n\n- x\n- y",
    ) as Node[];
    assert.deepEqual(types(blocks), ["paragraph", "list", "list"]);
    const list = blocks[1] as unknown as { ordered: boolean; items: Node[][] };
    assert.equal(list.ordered, true);
    assert.equal(list.items.length, 3);
    assert.deepEqual(types(list.items[1]!), ["paragraph", "list"]);
    assert.equal((blocks[2] as unknown as { ordered: boolean }).ordered, false);
  });

  await t.step("keeps a loose list together and its start number", () => {
    const [list] = parseMarkdown("3. three\n\n4. four\n\n   more four") as unknown as {
      start: number;
      items: Node[][];
    }[];
    assert.equal(list!.start, 3);
    assert.equal(list!.items.length, 2);
    assert.deepEqual(types(list!.items[1]!), ["paragraph", "paragraph"]);
  });

  await t.step("parses quotes, rules and tables", () => {
    const blocks = parseMarkdown(
      "> quoted **b**\n\n---\n\n| a | b |\n|:--|--:|\n| 1 | `2` |",
    ) as Node[];
    assert.deepEqual(types(blocks), ["quote", "rule", "table"]);
    const table = blocks[2] as unknown as { align: string[]; rows: Node[][][] };
    assert.deepEqual(table.align, ["left", "right"]);
    assert.deepEqual(types(table.rows[0]![1]!), ["code"]);
  });

  await t.step("survives deep nesting and long input", () => {
    assert.ok(parseMarkdown(">".repeat(200) + " deep").length === 1);
    assert.ok(parseMarkdown("*".repeat(30000)).length === 1);
    assert.ok(parseMarkdown("- ".repeat(100) + "x").length === 1);
  });

  await t.step("accepts CRLF and tabs", () => {
    const blocks = parseMarkdown("a\r\nb\r\n\r\n-\titem") as Node[];
    assert.deepEqual(types(blocks), ["paragraph", "list"]);
  });
});
