/** Where a problem in an input file was found. */
export interface DataErrorLocation {
  /** Path of the file, as given by the caller. */
  file: string;
  /** 1-based line number, when the problem is on one line. */
  line?: number;
  /** Field name (dotted path for nested fields), when one field is at fault. */
  field?: string;
  /** What `line` counts: text lines, or rows of a table file such as parquet. @default {"line"} */
  unit?: "line" | "row";
}

/**
 * Raised when an input file is malformed. The message names the file, the line
 * and the field, so the CLI can print it as is and exit non-zero.
 *
 * @example Catch and inspect
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataError } from "./data_error.ts";
 * const error = new DataError("expected a number", { file: "a.jsonl", line: 3, field: "score" });
 * assert.equal(error.line, 3);
 * assert.ok(error.message.includes('line 3 of "a.jsonl"'));
 * ```
 */
export class DataError extends Error {
  /** Path of the file. */
  readonly file: string;
  /** 1-based line number, if known. */
  readonly line: number | undefined;
  /** Field at fault, if known. */
  readonly field: string | undefined;
  /** The problem alone, without the location prefix. */
  readonly reason: string;

  /**
   * Creates the error; the message puts the location before the reason.
   * @param reason The problem alone, e.g. `expected a number, got string "81"`.
   * @param location The file, and the line and field when known.
   * @param options The error's `cause`, if any.
   */
  constructor(reason: string, location: DataErrorLocation, options?: ErrorOptions) {
    const where = location.line === undefined
      ? `"${location.file}"`
      : `${location.unit ?? "line"} ${location.line} of "${location.file}"`;
    const field = location.field === undefined ? "" : ` (field "${location.field}")`;
    super(`Cannot read ${where}${field}: ${reason}`, options);
    this.name = "DataError";
    this.file = location.file;
    this.line = location.line;
    this.field = location.field;
    this.reason = reason;
  }
}
