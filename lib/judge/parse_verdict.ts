/** FastChat's tie margin for `[[rating_a,rating_b]]` verdicts. */
export const TIE_DELTA = 0.1;

/** The verdict read from a judgment text. */
export type Verdict =
  | {
    kind: "rating";
    /** The score. */
    score: number;
    /**
     * The score as FastChat writes it to JSON: Python's `ast.literal_eval`
     * keeps ints and floats apart, so `[[8]]` is `8` and `[[8.0]]` is `8.0`.
     */
    literal: string;
  }
  | {
    kind: "winner";
    /** `A`/`B` is the assistant shown first/second; `tie` for `[[C]]` or close ratings. */
    winner: "A" | "B" | "tie";
  }
  | {
    kind: "error";
    /** Why no verdict could be read. */
    error: string;
  };

const ONE_SCORE = /\[\[(\d+\.?\d*)\]\]/;
const ONE_SCORE_BACKUP = /\[(\d+\.?\d*)\]/;
const TWO_SCORE = /\[\[(\d+\.?\d*),\s?(\d+\.?\d*)\]\]/;
const TWO_SCORE_BACKUP = /\[(\d+\.?\d*),\s?(\d+\.?\d*)\]/;

/**
 * Reads the verdict from a judge's text the way FastChat does, for the prompt's
 * `output_format`:
 * - `[[rating]]`: the first `[[x]]`, else the first `[x]`, as a number that
 *   keeps Python's int/float distinction;
 * - `[[A]]`: `[[A]]` wins, else `[[B]]`, else `[[C]]` is a tie (checked in that
 *   order, wherever they occur);
 * - `[[rating_a,rating_b]]`: `[[a,b]]`, else `[a,b]`; ratings within
 *   {@linkcode TIE_DELTA} are a tie.
 *
 * Reasoning blocks (`<think>…</think>`) are removed first, so a verdict-like
 * string inside the reasoning is not read; a `<think>` that is never closed
 * is an error. When nothing matches, the result is an error whose text says
 * what was looked for. An unknown `output_format` throws a `RangeError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseVerdict } from "./parse_verdict.ts";
 * const rating = parseVerdict("Good answer. Rating: [[8.5]]", "[[rating]]");
 * assert.equal(rating.kind, "rating");
 * assert.equal(rating.score, 8.5);
 * const tie = parseVerdict("Both are fine. [[C]]", "[[A]]");
 * assert.equal(tie.kind, "winner");
 * assert.equal(tie.winner, "tie");
 * const cut = parseVerdict("<think>Let me see", "[[rating]]");
 * assert.equal(cut.kind, "error");
 * ```
 */
export function parseVerdict(judgment: string, outputFormat: string): Verdict {
  if (!["[[rating]]", "[[A]]", "[[rating_a,rating_b]]"].includes(outputFormat)) {
    throw new RangeError(
      `Cannot parse a verdict: unknown output format ${
        JSON.stringify(outputFormat)
      } (expected "[[rating]]", "[[A]]" or "[[rating_a,rating_b]]")`,
    );
  }
  const stripped = stripReasoning(judgment);
  if (typeof stripped !== "string") return stripped;
  if (outputFormat === "[[rating]]") {
    const match = ONE_SCORE.exec(stripped) ?? ONE_SCORE_BACKUP.exec(stripped);
    if (match === null) {
      return { kind: "error", error: "no rating found: expected [[rating]] or [rating]" };
    }
    const rating = pythonNumber(match[1]!);
    // FastChat records any number; a grade off its 1–10 scale would skew the means.
    if (rating.kind === "rating" && !(rating.score >= 1 && rating.score <= 10)) {
      return {
        kind: "error",
        error: `the rating ${match[1]} is outside the 1–10 scale`,
      };
    }
    return rating;
  }
  if (outputFormat === "[[A]]") {
    if (stripped.includes("[[A]]")) return { kind: "winner", winner: "A" };
    if (stripped.includes("[[B]]")) return { kind: "winner", winner: "B" };
    if (stripped.includes("[[C]]")) return { kind: "winner", winner: "tie" };
    return { kind: "error", error: "no verdict found: expected [[A]], [[B]] or [[C]]" };
  }
  const match = TWO_SCORE.exec(stripped) ?? TWO_SCORE_BACKUP.exec(stripped);
  if (match === null) {
    return {
      kind: "error",
      error: "no ratings found: expected [[rating_a,rating_b]] or [rating_a,rating_b]",
    };
  }
  const a = pythonNumber(match[1]!);
  const b = pythonNumber(match[2]!);
  if (a.kind !== "rating") return a;
  if (b.kind !== "rating") return b;
  if (Math.abs(a.score - b.score) <= TIE_DELTA) return { kind: "winner", winner: "tie" };
  return { kind: "winner", winner: a.score > b.score ? "A" : "B" };
}

/** Removes `<think>…</think>` blocks; returns an error verdict for an unclosed one. */
function stripReasoning(text: string): string | Verdict {
  let out = text;
  // Some servers drop the opening tag and send "reasoning</think>answer".
  const firstOpen = out.indexOf("<think>");
  const firstClose = out.indexOf("</think>");
  if (firstClose !== -1 && (firstOpen === -1 || firstClose < firstOpen)) {
    out = out.slice(firstClose + "</think>".length);
  }
  while (true) {
    const open = out.indexOf("<think>");
    if (open === -1) return out;
    const close = out.indexOf("</think>", open);
    if (close === -1) {
      return {
        kind: "error",
        error:
          "unclosed <think> block: the judge's reasoning has no </think> (cut off, e.g. by max_tokens), so no verdict was read",
      };
    }
    out = out.slice(0, open) + out.slice(close + "</think>".length);
  }
}

/** Python's `ast.literal_eval` of `\d+\.?\d*`, with the JSON literal `json.dumps` would write. */
function pythonNumber(text: string): Extract<Verdict, { kind: "rating" | "error" }> {
  if (!text.includes(".")) {
    if (/^0+[1-9]/.test(text)) {
      return {
        kind: "error",
        error: `cannot read rating ${
          JSON.stringify(text)
        }: leading zeros are not allowed in an integer (Python raises SyntaxError)`,
      };
    }
    const literal = BigInt(text).toString();
    return { kind: "rating", score: Number(literal), literal };
  }
  const score = Number(text);
  return { kind: "rating", score, literal: pythonFloatRepr(score) };
}

/** Python's `repr(float)`: shortest round-trip digits, always with a `.` or an exponent. */
function pythonFloatRepr(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "NaN";
  const magnitude = Math.abs(value);
  if (value !== 0 && (magnitude >= 1e16 || magnitude < 1e-4)) {
    const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
    const sign = exponent.startsWith("-") ? "-" : "+";
    const digits = exponent.replace(/^[+-]/, "").padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(value);
  return text.includes(".") ? text : `${text}.0`;
}
