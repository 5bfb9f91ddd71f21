/** How a column's values are printed. */
export interface ReportColumn {
  /** Key of the value in each row. */
  key: string;
  /** Header text. */
  label: string;
  /**
   * Digits after the decimal point for numbers; integers print as they are.
   * @default {6}
   */
  digits?: number;
}

/** A value in a report row. */
export type ReportValue = string | number | null | undefined;

/** A titled table of rows, printable in several formats. */
export interface ReportTable {
  /** Heading printed above the table (not in CSV). */
  title?: string;
  /** The columns, in print order. */
  columns: ReportColumn[];
  /** One row per line; values by column key. */
  rows: Record<string, ReportValue>[];
  /** Lines printed under the table (not in CSV), e.g. how many records were excluded. */
  notes?: string[];
}

/** Text formats of {@linkcode renderTable}. JSON is left to the caller, who has the typed result. */
export type TableFormat = "table" | "csv" | "markdown";

/**
 * Renders a report table as aligned text (like pandas' print), CSV (RFC 4180)
 * or a Markdown table. Numbers are right-aligned; NaN and missing values print
 * as an empty cell (`NaN` in text).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderTable } from "./render_table.ts";
 * const text = renderTable({
 *   columns: [{ key: "model", label: "model" }, { key: "score", label: "score", digits: 4 }],
 *   rows: [{ model: "gpt-4", score: 8.99 }],
 * }, "markdown");
 * assert.ok(text.includes("| gpt-4 | 8.9900 |"));
 * ```
 */
export function renderTable(table: ReportTable, format: TableFormat): string {
  const cells = table.rows.map((row) =>
    table.columns.map((column) => formatCell(row[column.key], column, format))
  );
  const numeric = table.columns.map((column) =>
    table.rows.some((row) => typeof row[column.key] === "number")
  );
  if (format === "csv") {
    const lines = [table.columns.map((column) => csvCell(column.label))];
    for (const row of cells) lines.push(row.map(csvCell));
    return lines.map((line) => line.join(",")).join("\n") + "\n";
  }
  const header = table.columns.map((column) => column.label);
  const widths = header.map((label, index) =>
    Math.max(label.length, ...cells.map((row) => row[index]!.length))
  );
  const pad = (text: string, index: number) =>
    numeric[index] ? text.padStart(widths[index]!) : text.padEnd(widths[index]!);
  const out: string[] = [];
  if (table.title) out.push(format === "markdown" ? `### ${table.title}` : table.title, "");
  if (format === "markdown") {
    const escape = (text: string) => text.replaceAll("|", "\\|");
    out.push(`| ${header.map((label, index) => pad(escape(label), index)).join(" | ")} |`);
    out.push(
      `|${
        widths.map((width, index) =>
          numeric[index] ? `${"-".repeat(width + 1)}:` : "-".repeat(width + 2)
        ).join("|")
      }|`,
    );
    for (const row of cells) {
      out.push(`| ${row.map((text, index) => pad(escape(text), index)).join(" | ")} |`);
    }
  } else {
    out.push(header.map(pad).join("  ").trimEnd());
    for (const row of cells) out.push(row.map(pad).join("  ").trimEnd());
  }
  for (const note of table.notes ?? []) out.push(format === "markdown" ? `\n${note}` : note);
  return out.join("\n") + "\n";
}

function formatCell(value: ReportValue, column: ReportColumn, format: TableFormat): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Number.isNaN(value)) return format === "table" ? "NaN" : "";
  if (Number.isInteger(value) && column.digits === undefined) return String(value);
  return value.toFixed(column.digits ?? 6);
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
