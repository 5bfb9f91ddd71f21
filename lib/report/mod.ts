/**
 * Report rendering shared by the commands: tables as aligned text, CSV or Markdown.
 * @module
 */
export * from "./render_table.ts";
