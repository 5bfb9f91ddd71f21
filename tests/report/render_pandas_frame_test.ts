import assert from "node:assert/strict";
import { renderPandasFrame } from "../../lib/report/render_pandas_frame.ts";
import type { PandasFrame } from "../../lib/report/render_pandas_frame.ts";

/** Frames and what `print(df)` gave for them under pandas 1.5.3 (Debian's python3-pandas). */
const CASES: { spec: PandasFrame; text: string }[] = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/pandas_frames.json", import.meta.url)),
);

Deno.test("renderPandasFrame()", async (t) => {
  await t.step("prints what pandas printed for every recorded frame", () => {
    assert.ok(CASES.length >= 10);
    for (const { spec, text } of CASES) assert.equal(renderPandasFrame(spec), text);
  });
  await t.step("covers cut rows, cut columns and cut names among the recorded frames", () => {
    assert.ok(CASES.some(({ text }) => /^\.\.\. /m.test(text)), "a frame with cut rows");
    assert.ok(CASES.some(({ text }) => text.split("\n")[0]!.includes(" ...")), "cut columns");
    assert.ok(CASES.some(({ text }) => /\w\.\.\. /.test(text)), "a name cut to 50 characters");
    assert.ok(CASES.some(({ spec }) => spec.indexNames.length === 2), "a (model, turn) index");
  });
  await t.step("trims the zeros all values of a float column share", () => {
    const text = renderPandasFrame({
      indexNames: ["model"],
      index: [["a"], ["b"]],
      columns: [{ name: "score", kind: "float", values: [8.2, 6.39375] }],
    });
    assert.equal(text, "         score\nmodel         \na      8.20000\nb      6.39375");
  });
  await t.step("prints an empty frame as pandas does", () => {
    const text = renderPandasFrame({
      indexNames: ["model", "turn"],
      index: [],
      columns: [{ name: "score", kind: "float", values: [] }],
    });
    assert.equal(text, "Empty DataFrame\nColumns: [score]\nIndex: []");
  });
  await t.step("drops middle columns to fit a narrower terminal (as COLUMNS=24 python3)", () => {
    const frame: PandasFrame = {
      indexNames: ["model"],
      index: [["model-a"]],
      columns: ["win", "loss", "tie", "win_rate"].map((name) => ({
        name,
        kind: "int" as const,
        values: [1],
      })),
    };
    assert.equal(
      renderPandasFrame(frame, { lineWidth: 24 }),
      "         win  ...  win_rate\nmodel         ...          \nmodel-a    1  ...         1\n\n[1 rows x 4 columns]",
    );
  });
});
