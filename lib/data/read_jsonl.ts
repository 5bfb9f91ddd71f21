import { openInput } from "./_open_input.ts";
import { duplicateKey } from "./_duplicate_key.ts";
import { DataError } from "./data_error.ts";

/** One parsed line of a JSON Lines file. */
export interface JsonLine {
  /** 1-based line number in the file. */
  line: number;
  /** The parsed JSON value. */
  value: unknown;
}

/** Options for {@linkcode readJsonl}. */
export interface ReadJsonlOptions {
  /**
   * Name used for the file in error messages.
   * @default {the path}
   */
  label?: string;
  /**
   * Bytes read per chunk.
   * @default {1048576}
   */
  chunkSize?: number;
  /**
   * Read only the lines that start at a byte offset in `[start, end)`, so that
   * workers can split a file at any offsets and each line is read once. Line
   * numbers then count from the first line of the range (1).
   * @default {undefined} (the whole file)
   */
  range?: { start: number; end: number };
}

/**
 * Streams a JSON Lines file in batches of parsed lines, one batch per chunk read,
 * so that memory stays bounded whatever the file size.
 *
 * Blank lines are skipped and `\r\n` line ends are accepted (JSON allows the
 * `\r`). A byte-order mark, a line that is not JSON, and a last line cut off
 * mid-value each throw a {@linkcode DataError} naming the file and line.
 *
 * @example Count the records of a file
 * ```ts
 * import assert from "node:assert/strict";
 * import { readJsonl } from "./read_jsonl.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, '{"a":1}\n\n{"a":2}\n');
 * let count = 0;
 * for await (const batch of readJsonl(path)) count += batch.length;
 * assert.equal(count, 2);
 * ```
 */
export async function* readJsonl(
  path: string,
  options: ReadJsonlOptions = {},
): AsyncGenerator<JsonLine[]> {
  const label = options.label ?? path;
  const chunkSize = options.chunkSize ?? 1 << 20;
  const file = await openInput(path, label);
  let buffer = new Uint8Array(chunkSize);
  let filled = 0;
  let lineNumber = 0;
  let first = true;
  // With a range: the absolute offset of buffer[0], and whether the partial
  // line before the range start is still to be skipped.
  const range = options.range;
  let offset = 0;
  let skipPartial = false;
  if (range !== undefined && range.start > 0) {
    // From the byte before the start: the first newline read ends the line
    // that the previous range owns (possibly an empty remainder).
    offset = range.start - 1;
    await file.seek(offset, Deno.SeekMode.Start);
    skipPartial = true;
    first = false;
  }
  try {
    while (true) {
      if (filled === buffer.length) {
        // A line longer than the buffer: grow it.
        const grown = new Uint8Array(buffer.length * 2);
        grown.set(buffer);
        buffer = grown;
      }
      const read = await file.read(buffer.subarray(filled));
      let done = read === null;
      if (read !== null) filled += read;
      if (skipPartial) {
        const newline = buffer.subarray(0, filled).indexOf(NEWLINE);
        if (newline === -1 && !done) {
          offset += filled;
          filled = 0;
          continue;
        }
        const drop = newline === -1 ? filled : newline + 1;
        buffer.copyWithin(0, drop, filled);
        filled -= drop;
        offset += drop;
        skipPartial = false;
        if (filled === 0 && !done) continue;
      }
      if (range !== undefined && offset + filled >= range.end) {
        // The last line of the range is the one holding byte end - 1.
        const from = Math.max(0, range.end - 1 - offset);
        const newline = from < filled ? buffer.subarray(0, filled).indexOf(NEWLINE, from) : -1;
        if (range.end <= offset) {
          filled = 0;
          done = true;
        } else if (newline !== -1) {
          filled = newline + 1;
          done = true;
        }
      }
      if (first && (filled >= 3 || done)) {
        first = false;
        if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
          throw new DataError(
            "the file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM",
            { file: label, line: 1 },
          );
        }
      }
      // Decode whole lines only: a newline byte never occurs inside a multi-byte
      // character, so each decoded piece is self-contained.
      const end = done ? filled : buffer.lastIndexOf(NEWLINE, filled - 1) + 1;
      if (end === 0 && !done) continue;
      const text = decodeLines(buffer.subarray(0, end), label, lineNumber);
      const batch: JsonLine[] = [];
      let start = 0;
      let newline = text.indexOf("\n");
      while (newline !== -1) {
        lineNumber++;
        parseInto(batch, text, start, newline, lineNumber, label, false);
        start = newline + 1;
        newline = text.indexOf("\n", start);
      }
      if (start < text.length) {
        // Only at the end of the file: a last line without a newline.
        lineNumber++;
        parseInto(batch, text, start, text.length, lineNumber, label, true);
      }
      buffer.copyWithin(0, end, filled);
      filled -= end;
      offset += end;
      if (batch.length > 0) yield batch;
      if (done) return;
    }
  } finally {
    file.close();
  }
}

const NEWLINE = 0x0a;
const lenient = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Decodes complete lines. The lenient decoder is much faster than a fatal one;
 * only when it produced a replacement character is the text checked strictly,
 * line by line, to tell a stored U+FFFD from invalid bytes.
 */
function decodeLines(bytes: Uint8Array, label: string, linesBefore: number): string {
  const text = lenient.decode(bytes);
  if (!text.includes("\uFFFD")) return text;
  const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let start = 0;
  let line = linesBefore;
  while (start < bytes.length) {
    line++;
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    try {
      strict.decode(bytes.subarray(start, end));
    } catch (error) {
      throw new DataError("the line is not valid UTF-8", { file: label, line }, { cause: error });
    }
    start = end + 1;
  }
  return text;
}

function parseInto(
  batch: JsonLine[],
  data: string,
  start: number,
  end: number,
  line: number,
  label: string,
  last: boolean,
): void {
  if (end > start && data.charCodeAt(end - 1) === 13) end--;
  if (end === start) return;
  const text = data.slice(start, end);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (text.trim().length === 0) return;
    const reason = last
      ? "the last line is truncated: the file ends without a newline in the middle of a JSON value"
      : `invalid JSON: ${(error as Error).message}`;
    throw new DataError(reason, { file: label, line }, { cause: error });
  }
  const repeated = duplicateKey(text, value);
  if (repeated !== undefined) {
    throw new DataError(
      `duplicate key "${repeated}" in one JSON object (a JSON parser would keep only the last)`,
      { file: label, line, field: repeated },
    );
  }
  batch.push({ line, value });
}
