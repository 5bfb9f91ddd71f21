import { pythonFixed } from "./python_fixed.ts";

/** One column of a {@linkcode PandasFrame}. */
export interface PandasColumn {
  /** Column label. */
  name: string;
  /** pandas dtype: `int` (int64) or `float` (float64). */
  kind: "int" | "float";
  /** One value per row. */
  values: readonly number[];
}

/** A data frame as pandas holds it: named index levels and numeric columns. */
export interface PandasFrame {
  /** Names of the index levels (one for an Index, more for a MultiIndex). */
  indexNames: readonly string[];
  /** Index values: one entry per row, one value per level. */
  index: readonly (readonly (string | number)[])[];
  /** The columns, in print order. */
  columns: readonly PandasColumn[];
}

/** Options for {@linkcode renderPandasFrame}; the defaults are pandas' for a script. */
export interface RenderPandasFrameOptions {
  /**
   * Terminal width (Python's `shutil.get_terminal_size()`: `COLUMNS`, else the
   * terminal's, else 80): wider tables lose middle columns.
   * @default {80}
   */
  lineWidth?: number;
  /**
   * `display.max_rows`: longer tables show only their head and tail.
   * @default {60}
   */
  maxRows?: number;
  /**
   * `display.min_rows`: rows shown (head and tail together) when truncated.
   * @default {10}
   */
  minRows?: number;
  /**
   * `display.precision`: digits after the point before trailing zeros are trimmed.
   * @default {6}
   */
  precision?: number;
}

/**
 * Renders a frame as `print(df)` does in a pandas script (pandas 1.5 to 3):
 * numeric columns right-aligned under a leading-space header, floats as
 * `" .6f"` with the zeros every value of the column shares trimmed, the index
 * left-aligned with its names on their own line, cells over 50 characters
 * cut with `...`, middle columns dropped for a ` ...` column until the table
 * fits the line width (pandas' terminal fit: a script has `max_columns` 0),
 * and more than 60 rows cut to 5 + 5 with `...`; a cut table ends with
 * `[N rows x M columns]`. Only the shapes FastChat prints are covered: string
 * and integer index levels without repeated neighbours, int64 and float64
 * columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderPandasFrame } from "./render_pandas_frame.ts";
 * const text = renderPandasFrame({
 *   indexNames: ["model"],
 *   index: [["a"], ["bb"]],
 *   columns: [{ name: "score", kind: "float", values: [8.2, 7.25] }],
 * });
 * assert.equal(text, "       score\nmodel       \na       8.20\nbb      7.25");
 * ```
 */
export function renderPandasFrame(
  frame: PandasFrame,
  options: RenderPandasFrameOptions = {},
): string {
  const lineWidth = options.lineWidth ?? 80;
  const maxRows = options.maxRows ?? 60;
  const minRows = options.minRows ?? 10;
  const precision = options.precision ?? 6;
  const rowCount = frame.index.length;
  if (rowCount === 0) {
    return `Empty DataFrame\nColumns: [${
      frame.columns.map((column) => column.name).join(", ")
    }]\nIndex: []`;
  }
  // Vertical truncation: pandas formats only the rows it shows.
  const rowsFitted = rowCount > maxRows && minRows > 0 ? Math.min(minRows, maxRows) : maxRows;
  const truncated = rowsFitted > 0 && rowCount > rowsFitted;
  const half = Math.floor(rowsFitted / 2);
  const shown = truncated
    ? [...range(0, half), ...range(rowCount - half, rowCount)]
    : [...range(0, rowCount)];

  const allColumns = frame.columns.map((_, index) => index);
  const build = (kept: number[], cut: number) =>
    stringColumns(frame, shown, kept, cut, truncated ? half : -1, precision);
  // pandas in a script sets max_columns 0: it drops middle columns until the
  // table fits the terminal width (80 when output is not a terminal).
  let strcols = build(allColumns, -1);
  const lengths = strcols.map((column) => Math.max(...column.map((cell) => cell.length)));
  const widest = Math.max(...adjoin(strcols).map((line) => line.length));
  let excess = widest - lineWidth + 1;
  let count = lengths.length;
  while (excess > 0 && count > 1) {
    const middle = roundHalfEven(count / 2);
    excess -= lengths[middle]! + 1;
    lengths.splice(middle, 1);
    count = lengths.length;
  }
  const fitted = Math.max(count - 1, 2);
  const cutColumns = fitted > 0 && frame.columns.length > fitted;
  if (cutColumns) {
    const side = Math.floor(fitted / 2);
    const total = frame.columns.length;
    strcols = build([...range(0, side), ...range(total - side, total)], side);
  }
  let text = adjoin(strcols).join("\n");
  if (truncated || cutColumns) {
    text += `\n\n[${rowCount} rows x ${frame.columns.length} columns]`;
  }
  return text;
}

/** Python's round() of a half-integer or integer: ties to even. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  if (value - floor !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The text columns, index first: `kept` columns, a ` ...` column after the
 * first `cut` of them (when cut >= 0), a `...` row after row `half` (when
 * half >= 0).
 */
function stringColumns(
  frame: PandasFrame,
  shown: number[],
  kept: number[],
  cut: number,
  half: number,
  precision: number,
): string[][] {
  const headerRows = 2; // column labels, then index names
  const columns = kept.map((position) => {
    const column = frame.columns[position]!;
    const values = shown.map((row) => column.values[row]!);
    const cells = column.kind === "int"
      ? values.map((value) => (value < 0 ? "" : " ") + String(value))
      : floatCells(values, precision);
    const header = " " + column.name;
    const width = Math.min(
      Math.max(header.length, ...cells.map((cell) => cell.length)),
      Math.max(header.length, MAX_COLWIDTH),
    );
    return [header, "", ...cells.map((cell) => fitWidth(cell, width))].map((cell) =>
      cell.padStart(width)
    );
  });
  // Index: each level left-aligned under its name, levels joined by one space.
  const levels = frame.indexNames.map((name, level) => {
    const cells = [name, ...shown.map((row) => String(frame.index[row]![level]))];
    const width = Math.min(Math.max(...cells.map((cell) => cell.length)), MAX_COLWIDTH);
    return cells.map((cell) => fitWidth(cell, width).padEnd(width));
  });
  const indexColumn = [
    "",
    ...levels[0]!.map((_, line) => levels.map((cells) => cells[line]!).join(" ")),
  ];
  const strcols = [indexColumn, ...columns];
  if (cut >= 0) strcols.splice(cut + 1, 0, Array<string>(indexColumn.length).fill(" ..."));
  if (half >= 0) {
    for (const [position, column] of strcols.entries()) {
      const dotColumn = cut >= 0 && position === cut + 1;
      const width = dotColumn ? 4 : column[half]!.length;
      const dots = width > 3 || dotColumn ? "..." : "..";
      column.splice(
        half + headerRows,
        0,
        position === 0 ? dots.padEnd(width) : dots.padStart(width),
      );
    }
  }
  return strcols;
}

/** `display.max_colwidth`: longer cells end in `...` at this width. */
const MAX_COLWIDTH = 50;

function fitWidth(cell: string, width: number): string {
  return cell.length > width ? cell.slice(0, width - 3) + "..." : cell;
}

function* range(start: number, end: number): Generator<number> {
  for (let index = start; index < end; index++) yield index;
}

/** pandas' FloatArrayFormatter: `" .6f"`, then trailing zeros common to all trimmed. */
function floatCells(values: number[], precision: number): string[] {
  const small = values.some((value) => value !== 0 && Math.abs(value) < 10 ** -precision);
  if (small) return values.map((value) => pythonExponent(value, precision));
  let cells = values.map((value) => pythonFixed(value, precision, { space: true }));
  const isNumber = (cell: string) => /^\s*[+-]?[0-9]+\.[0-9]*$/.test(cell);
  const shouldTrim = (list: string[]) => {
    const numbers = list.filter(isNumber);
    return numbers.length > 0 && numbers.every((cell) => cell.endsWith("0"));
  };
  while (shouldTrim(cells)) cells = cells.map((cell) => isNumber(cell) ? cell.slice(0, -1) : cell);
  return cells.map((cell) => isNumber(cell) && cell.endsWith(".") ? cell + "0" : cell);
}

/** Python's `" .6e"`. */
function pythonExponent(value: number, digits: number): string {
  if (!Number.isFinite(value)) return pythonFixed(value, digits, { space: true });
  const [mantissa, exponent] = value.toExponential(digits).split("e") as [string, string];
  const power = Number(exponent);
  const sign = value < 0 ? "" : " ";
  return `${sign}${mantissa}e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
}

/** pandas' adjoin: every column but the last padded to its width plus one space. */
function adjoin(columns: string[][]): string[] {
  const height = Math.max(...columns.map((column) => column.length));
  const widths = columns.map((column, index) =>
    Math.max(...column.map((cell) => cell.length)) + (index < columns.length - 1 ? 1 : 0)
  );
  const lines: string[] = [];
  for (let line = 0; line < height; line++) {
    lines.push(
      columns.map((column, index) => (column[line] ?? "").padEnd(widths[index]!)).join(""),
    );
  }
  return lines;
}
