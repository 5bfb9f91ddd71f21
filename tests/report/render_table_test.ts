import assert from "node:assert/strict";
import { renderTable, type ReportTable } from "../../lib/report/render_table.ts";

const TABLE: ReportTable = {
  title: "Average",
  columns: [
    { key: "model", label: "model" },
    { key: "score", label: "score" },
    { key: "games", label: "games" },
    { key: "win", label: "win rate", digits: 2 },
  ],
  rows: [
    { model: "gpt-4", score: 8.99, games: 160, win: 0.5 },
    { model: "vicuna-13b-v1.3", score: NaN, games: 2, win: null },
  ],
  notes: ["Excluded 1 of 161 records."],
};

Deno.test("renderTable()", async (t) => {
  await t.step("prints aligned text: numbers right, text left, NaN shown", () => {
    assert.equal(
      renderTable(TABLE, "table"),
      [
        "Average",
        "",
        "model               score  games  win rate",
        "gpt-4            8.990000    160      0.50",
        "vicuna-13b-v1.3       NaN      2",
        "Excluded 1 of 161 records.",
        "",
      ].join("\n"),
    );
  });

  await t.step("prints a Markdown table with right-aligned number columns", () => {
    const lines = renderTable(TABLE, "markdown").split("\n");
    assert.equal(lines[0], "### Average");
    assert.equal(lines[2], "| model           |    score | games | win rate |");
    assert.equal(lines[3], "|-----------------|---------:|------:|---------:|");
    assert.equal(lines[4], "| gpt-4           | 8.990000 |   160 |     0.50 |");
    assert.equal(lines[5], "| vicuna-13b-v1.3 |          |     2 |          |");
    assert.equal(lines.at(-2), "Excluded 1 of 161 records.");
  });

  await t.step("escapes pipes in Markdown cells", () => {
    const text = renderTable({
      columns: [{ key: "name", label: "a|b" }],
      rows: [{ name: "x|y" }],
    }, "markdown");
    assert.match(text, /\| a\\\|b \|/);
    assert.match(text, /\| x\\\|y \|/);
  });

  await t.step("prints RFC 4180 CSV without title or notes", () => {
    const csv = renderTable({
      ...TABLE,
      rows: [...TABLE.rows, { model: 'say "hi", then\nleave', score: 1, games: 0, win: 1 }],
    }, "csv");
    assert.equal(
      csv,
      [
        "model,score,games,win rate",
        "gpt-4,8.990000,160,0.50",
        "vicuna-13b-v1.3,,2,",
        '"say ""hi"", then\nleave",1,0,1.00',
        "",
      ].join("\n"),
    );
  });

  await t.step("prints just the header for no rows", () => {
    assert.equal(
      renderTable({ columns: [{ key: "a", label: "a" }], rows: [] }, "table"),
      "a\n",
    );
  });
});
