/**
 * Reports: tables as aligned text, CSV or Markdown, and the use cases behind
 * `agree` and `demo`, which read a data root, compute agreement and win rates,
 * and render them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderTable } from "./mod.ts";
 * const text = renderTable({ columns: [{ key: "model", label: "model" }], rows: [{ model: "a" }] }, "csv");
 * assert.equal(text, "model\na\n");
 * ```
 * @module
 */
export * from "./render_table.ts";
export * from "./agreement_report.ts";
export * from "./render_agreement_report.ts";
export * from "./unknown_judge_error.ts";
export * from "./human_study_report.ts";
export * from "./render_human_study_report.ts";
export * from "./python_fixed.ts";
export * from "./render_pandas_frame.ts";
export * from "./fastchat_single_report.ts";
export * from "./fastchat_pair_report.ts";
export * from "./fastchat_agreement_report.ts";
