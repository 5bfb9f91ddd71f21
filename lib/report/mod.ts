/**
 * Report rendering shared by the commands: tables as aligned text, CSV or Markdown.
 * @module
 */
export * from "./render_table.ts";
export * from "./python_fixed.ts";
export * from "./render_pandas_frame.ts";
export * from "./fastchat_single_report.ts";
export * from "./fastchat_pair_report.ts";
export * from "./fastchat_agreement_report.ts";
