/**
 * Formats a number as Python's `format(value, ".Nf")` does (and so pandas and
 * f-strings such as `{ratio:.2f}`): the exact binary value rounded half to
 * even. JavaScript's `toFixed` rounds an exact tie up instead (`0.125` gives
 * `"0.13"`, Python `"0.12"`). `space` adds the leading space of `" .Nf"` to
 * numbers that are not negative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pythonFixed } from "./python_fixed.ts";
 * assert.equal(pythonFixed(0.125, 2), "0.12");
 * assert.equal(pythonFixed(0.375, 2), "0.38");
 * assert.equal(pythonFixed(8.3625, 6, { space: true }), " 8.362500");
 * ```
 */
export function pythonFixed(
  value: number,
  digits: number,
  options: PythonFixedOptions = {},
): string {
  const sign = options.space === true && !(value < 0 || Object.is(value, -0)) ? " " : "";
  if (!Number.isFinite(value)) {
    return sign + (Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf");
  }
  if (Object.is(value, -0)) return "-" + (0).toFixed(digits);
  return sign + roundHalfEven(value, digits);
}

/** Options for {@linkcode pythonFixed}. */
export interface PythonFixedOptions {
  /**
   * Put a space before numbers that are not negative (Python's `" .6f"`).
   * @default {false}
   */
  space?: boolean;
}

function roundHalfEven(value: number, digits: number): string {
  const rounded = value.toFixed(digits);
  const magnitude = Math.abs(value);
  // toFixed(100) is exact for every double of magnitude 2^-47 or more; smaller
  // values cannot sit on a tie at the digits used here.
  if (magnitude < 2 ** -47 || magnitude >= 1e21) return rounded;
  const exact = magnitude.toFixed(100);
  const point = exact.indexOf(".");
  const tail = exact.slice(point + 1 + digits);
  if (tail[0] !== "5" || /[1-9]/.test(tail.slice(1))) return rounded;
  // An exact tie: toFixed rounded away from zero; Python rounds to even.
  const kept = exact.slice(0, point + 1 + digits).replace(/\.$/, "");
  const lastDigit = Number(kept[kept.length - 1]);
  if (lastDigit % 2 === 1) return rounded;
  return (value < 0 ? "-" : "") + kept;
}
