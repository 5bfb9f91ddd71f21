/** Options for {@linkcode formatRecordLine}. */
export interface FormatRecordLineOptions {
  /**
   * Top-level fields written as Python floats (`8.0`, not `8`).
   * @default {["tstamp"]}
   */
  floatFields?: readonly string[];
  /**
   * Exact JSON literals for some top-level fields, e.g. `{ score: "8.0" }`.
   * @default {{}}
   */
  literals?: Readonly<Record<string, string>>;
}

/**
 * Serializes a judgment record as one line the way FastChat's
 * `json.dumps(result)` does: `", "` and `": "` separators, non-ASCII as
 * `\uXXXX` escapes, floats as Python writes them. The line ends with `\n`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRecordLine } from "./format_record_line.ts";
 * const line = formatRecordLine({ question_id: 81, judgment: "Très bien", score: 8, tstamp: 1700000000 }, { literals: { score: "8.0" } });
 * assert.equal(line, '{"question_id": 81, "judgment": "Tr\\u00e8s bien", "score": 8.0, "tstamp": 1700000000.0}\n');
 * ```
 */
export function formatRecordLine(
  record: Readonly<Record<string, unknown>>,
  options: FormatRecordLineOptions = {},
): string {
  const floats = options.floatFields ?? ["tstamp"];
  const literals = options.literals ?? {};
  const parts: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    let text: string;
    if (Object.hasOwn(literals, key)) text = literals[key]!;
    else if (floats.includes(key) && typeof value === "number") text = pythonFloat(value);
    else text = pythonJson(value);
    parts.push(`${pythonString(key)}: ${text}`);
  }
  return `{${parts.join(", ")}}\n`;
}

function pythonJson(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return pythonString(value);
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return Number.isInteger(value) ? String(value) : pythonFloat(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => `${pythonString(key)}: ${pythonJson(item)}`);
    return `{${entries.join(", ")}}`;
  }
  throw new TypeError(`Cannot serialize a ${typeof value} in a judgment record`);
}

function pythonString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function pythonFloat(value: number): string {
  if (!Number.isFinite(value)) {
    return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  }
  const magnitude = Math.abs(value);
  if (value !== 0 && (magnitude >= 1e16 || magnitude < 1e-4)) {
    const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
    const sign = exponent.startsWith("-") ? "-" : "+";
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  const text = String(value);
  return text.includes(".") ? text : `${text}.0`;
}
