// Streams the elements of a top-level JSON array (FastChat's `human_judgments.json`)
// without holding the whole text: a small file is parsed whole, a large one in
// slices of 64 KiB (_slice_json_array.ts); where that stops (an error, or an
// odd file), a scanner cuts the text at top-level commas and parses one element
// at a time, to name the line of what is wrong. Each element carries the line it
// starts on, computed when first read (only error messages read it).
import { openInput } from "./_open_input.ts";
import { newlinesBefore, readRangeSync } from "./_file_range.ts";
import { type ArraySlice, sliceJsonArray, type SliceStop } from "./_slice_json_array.ts";
import { DataError } from "./data_error.ts";
import type { JsonLine } from "./read_jsonl.ts";

const BOM = 0xfeff;
const NEWLINE = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_SQUARE = 91;
const CLOSE_SQUARE = 93;
const OPEN_CURLY = 123;
const CLOSE_CURLY = 125;

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

// Where the scanner is in the text.
/** Before the opening `[`. */
const START = 0;
/** Inside the array, before an element (after `[` or `,`). */
const BEFORE_ELEMENT = 1;
/** Inside an element. */
const IN_ELEMENT = 2;
/** After the closing `]`. */
const END = 3;

/** Sizes used by {@linkcode readJsonArray} (tests make them small). */
export interface JsonArraySizes {
  /** Files up to this many bytes are parsed with one JSON.parse. @default {16 MiB} */
  wholeLimit?: number;
  /** Bytes per slice of a larger file. @default {64 KiB} */
  sliceSize?: number;
  /** Bytes per chunk read by the precise scanner. @default {1 MiB} */
  chunkSize?: number;
}

/**
 * Streams the elements of a file holding one JSON array, in batches. Errors
 * (not an array, invalid element, text cut off) are DataErrors naming the file
 * (as `label`) and line.
 */
export async function* readJsonArray(
  path: string,
  label: string = path,
  sizes: JsonArraySizes = {},
): AsyncGenerator<JsonLine[]> {
  const chunkSize = sizes.chunkSize ?? 1 << 20;
  const whole = await parseWhole(path, sizes.wholeLimit ?? WHOLE_LIMIT);
  if (whole !== undefined) {
    yield* whole;
    return;
  }
  const file = await openInput(path, label);
  let stop: SliceStop | undefined;
  try {
    const size = (await file.stat()).size;
    const slices = sliceJsonArray(file, { start: 0, end: size, last: true }, sizes.sliceSize);
    while (true) {
      const next = await slices.next();
      if (next.done) {
        stop = next.value;
        break;
      }
      yield sliceLines(path, next.value);
    }
  } finally {
    file.close();
  }
  if (stop !== undefined) yield* scanArray(path, label, chunkSize, stop);
}

/** The elements of a slice, each with its line, computed when first read. */
export function sliceLines(path: string, slice: ArraySlice): JsonLine[] {
  let lines: number[] | undefined;
  const lineOf = (index: number) => (lines ??= sliceElementLines(path, slice))[index]!;
  const values = slice.values;
  const batch: JsonLine[] = new Array(values.length);
  for (let index = 0; index < values.length; index++) {
    batch[index] = lazyLine(values[index], index, lineOf);
  }
  return batch;
}

/** The line each element of a slice starts on, from the file (read again). */
export function sliceElementLines(path: string, slice: { start: number; end: number }): number[] {
  const text = new TextDecoder().decode(readRangeSync(path, slice.start, slice.end));
  const before = newlinesBefore(path, slice.start);
  return elementLines(`[${text}]`).map((line) => line + before);
}

/** Files up to this size are parsed with one JSON.parse. */
export const WHOLE_LIMIT = 16 * 1024 * 1024;
const BATCH = 10_000;

/**
 * A file of up to 16 MiB that is one valid JSON array: parsed with one native
 * JSON.parse (the scanner below walks the text one character at a time, which
 * costs most of a short run before the JIT warms up). The elements' lines are
 * found only if one is asked for (an error message), by the scanner. Anything
 * else (a larger file, invalid JSON, not an array): undefined, and the scanner
 * reads the file and reports what is wrong.
 */
async function parseWhole(path: string, limit: number): Promise<JsonLine[][] | undefined> {
  let bytes: Uint8Array;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile || info.size > limit) return undefined;
    bytes = await Deno.readFile(path);
  } catch {
    return undefined;
  }
  let values: unknown;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    if (text.charCodeAt(0) === BOM) return undefined;
    values = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values)) return undefined;
  let lines: number[] | undefined;
  const lineOf = (index: number) => (lines ??= elementLines(text))[index]!;
  const batches: JsonLine[][] = [];
  for (let from = 0; from < values.length; from += BATCH) {
    const batch: JsonLine[] = [];
    for (let index = from; index < Math.min(values.length, from + BATCH); index++) {
      batch.push(lazyLine(values[index], index, lineOf));
    }
    batches.push(batch);
  }
  return batches;
}

/** An element whose line is computed when first read (error messages only). */
function lazyLine(value: unknown, index: number, lineOf: (index: number) => number): JsonLine {
  return new LazyLine(value, index, lineOf);
}

/** A class, not an object literal with a getter: one small object per element. */
class LazyLine implements JsonLine {
  constructor(
    readonly value: unknown,
    readonly index: number,
    readonly lineOf: (index: number) => number,
  ) {}
  get line(): number {
    return this.lineOf(this.index);
  }
}

/**
 * Streams the elements of a JSON array from where the fast path stopped
 * (`from`), with the precise scanner: what is wrong there is reported with its
 * line.
 */
export function scanJsonArray(
  path: string,
  from: SliceStop,
  label: string = path,
): AsyncGenerator<JsonLine[]> {
  return scanArray(path, label, 1 << 20, from);
}

/** A string literal, or one structural character; whatever else lies between is skipped. */
const TOKENS = /"[^"\\]*(?:\\.[^"\\]*)*"|[[\]{},]/g;

/**
 * The line each top-level element of a valid JSON array starts on. Native
 * searches (a regex over string literals and brackets, indexOf for newlines)
 * instead of a loop over every character.
 */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let newline = text.indexOf("\n");
  const lineAt = (position: number) => {
    while (newline !== -1 && newline < position) {
      line++;
      newline = text.indexOf("\n", newline + 1);
    }
    return line;
  };
  let depth = 0;
  // End of the last top-level token: an element starts at the first
  // non-space character after "[" or a top-level ",".
  let expectingFrom = -1;
  TOKENS.lastIndex = 0;
  for (let match = TOKENS.exec(text); match !== null; match = TOKENS.exec(text)) {
    const at = match.index;
    const code = text.charCodeAt(at);
    if (expectingFrom >= 0) {
      let start = expectingFrom;
      while (isSpace(text.charCodeAt(start))) start++;
      // "]" right after "[" or "," closes the array; anything before it is an element.
      if (!(code === CLOSE_SQUARE && depth === 1 && start === at)) lines.push(lineAt(start));
      expectingFrom = -1;
    }
    if (code === OPEN_CURLY || code === OPEN_SQUARE) {
      depth++;
      if (depth === 1) expectingFrom = at + 1;
    } else if (code === CLOSE_CURLY || code === CLOSE_SQUARE) depth--;
    else if (code === COMMA && depth === 1) expectingFrom = at + 1;
  }
  return lines;
}

/**
 * The precise scanner: from the start of the file, or from where the fast path
 * stopped (before the `[`, or just after a top-level comma).
 */
async function* scanArray(
  path: string,
  label: string,
  chunkSize: number,
  from: SliceStop = { offset: 0, beforeArray: true },
): AsyncGenerator<JsonLine[]> {
  const file = await openInput(path, label);
  if (from.offset > 0) await file.seek(from.offset, Deno.SeekMode.Start);
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const buffer = new Uint8Array(chunkSize);
  const fail = (reason: string, line: number, cause?: unknown): never => {
    throw new DataError(reason, { file: label, line }, cause === undefined ? undefined : { cause });
  };
  let state = from.beforeArray ? START : BEFORE_ELEMENT;
  let line = from.offset > 0 ? newlinesBefore(path, from.offset) + 1 : 1;
  // Text of the element being scanned (from its first character), carried across chunks.
  let carry = "";
  // The line of the last element; 0 before the first (`[]` is an empty array).
  let elementLine = from.beforeArray ? 0 : -1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let first = from.offset === 0;
  try {
    while (true) {
      const read = await file.read(buffer);
      const done = read === null;
      let text: string;
      try {
        text = done ? decoder.decode() : decoder.decode(buffer.subarray(0, read), { stream: true });
      } catch (error) {
        return fail("the file is not valid UTF-8", line, error);
      }
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === BOM) {
          fail(
            "the file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM",
            1,
          );
        }
      }
      const batch: JsonLine[] = [];
      let elementStart = state === IN_ELEMENT ? 0 : -1;
      const data = state === IN_ELEMENT ? carry + text : text;
      const scanFrom = state === IN_ELEMENT ? carry.length : 0;
      for (let index = scanFrom; index < data.length; index++) {
        const code = data.charCodeAt(index);
        if (state === IN_ELEMENT) {
          if (inString) {
            if (escaped) escaped = false;
            else if (code === BACKSLASH) escaped = true;
            else if (code === QUOTE) inString = false;
            else if (code === NEWLINE) line++;
            continue;
          }
          if (code === QUOTE) inString = true;
          else if (code === OPEN_CURLY || code === OPEN_SQUARE) depth++;
          else if ((code === CLOSE_CURLY || code === CLOSE_SQUARE) && depth > 0) depth--;
          else if (depth === 0 && (code === COMMA || code === CLOSE_SQUARE)) {
            batch.push({ line: elementLine, value: parse(data.slice(elementStart, index)) });
            state = code === COMMA ? BEFORE_ELEMENT : END;
            elementStart = -1;
          } else if (code === NEWLINE) line++;
          continue;
        }
        if (code === NEWLINE) {
          line++;
          continue;
        }
        if (isSpace(code)) continue;
        switch (state) {
          case START:
            if (code !== OPEN_SQUARE) {
              fail(
                `expected a JSON array ("[" ... "]"), found ${JSON.stringify(data[index])}${
                  code === OPEN_CURLY ? "; JSON Lines files need the .jsonl extension" : ""
                }`,
                line,
              );
            }
            state = BEFORE_ELEMENT;
            break;
          case BEFORE_ELEMENT:
            if (code === CLOSE_SQUARE && elementLine === 0) {
              state = END; // empty array
              break;
            }
            if (code === COMMA || code === CLOSE_SQUARE) {
              fail(`invalid JSON: expected an array element, found "${data[index]}"`, line);
            }
            state = IN_ELEMENT;
            elementStart = index;
            elementLine = line;
            depth = 0;
            inString = false;
            escaped = false;
            index--; // rescan this character as part of the element
            break;
          case END:
            fail(`invalid JSON: unexpected text after the closing "]"`, line);
        }
      }
      if (state === IN_ELEMENT) carry = data.slice(elementStart);
      if (batch.length > 0) yield batch;
      if (done) break;
    }
    if (state !== END) {
      fail(
        state === START
          ? "the file is empty: expected a JSON array"
          : "the file is truncated: it ends inside the JSON array",
        state === IN_ELEMENT ? elementLine : line,
      );
    }
  } finally {
    file.close();
  }

  function parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      return fail(`invalid JSON: ${(error as Error).message}`, elementLine, error);
    }
  }
}
