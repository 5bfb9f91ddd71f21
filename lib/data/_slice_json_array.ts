// Reads the elements of a large JSON array a few hundred KiB at a time with one native
// JSON.parse per slice, instead of walking the text one character at a time.
//
// A slice is cut at a comma that follows a "}" or "]" (cheap byte searches) and
// parsed as "[" + slice + "]". The slice starts where an element may start (after
// the "[" or a top-level comma), so if that parses, the comma after it is a
// top-level one and the slices together are exactly the array's elements; a
// comma inside a string or a nested value makes the parse fail. Anything the fast
// path cannot take (a BOM, invalid UTF-8 or JSON, an empty array, a comma inside
// strings three times in a row) stops it, and the caller goes on from the stop
// with the precise scanner, which reports errors with their line.

import { readFully } from "./_file_range.ts";

/** A run of whole elements of a JSON array and where its text lies in the file. */
export interface ArraySlice {
  /** The elements, parsed. */
  values: unknown[];
  /** Byte offset of the slice's text (just after the `[` or `,` before its first element). */
  start: number;
  /** Byte offset of the `,` or `]` after its last element. */
  end: number;
}

/** Where the fast path stopped: the precise scanner goes on from there. */
export interface SliceStop {
  /** Byte offset of the first byte not read into a slice (the `[`, or just after a top-level `,`). */
  offset: number;
  /** Whether `offset` is before the opening `[` (nothing read yet). */
  beforeArray: boolean;
}

/** Bytes of a range of a file: a JSON array's text, or part of it. */
export interface ArrayRange {
  /** Byte offset of the range: 0, or just after a comma believed to be top-level. */
  start: number;
  /** Byte offset past the range: the file's size, or just after a comma believed to be top-level. */
  end: number;
  /** Whether the range runs to the end of the file (then it ends with `]`). */
  last: boolean;
}

const COMMA = 44;
const OPEN_SQUARE = 91;
const CLOSE_SQUARE = 93;
const CLOSE_CURLY = 125;
/**
 * Bytes per slice: small enough that its text (and the "[...]" copy JSON.parse
 * reads) is an ordinary young object, not a large one, which only a full
 * collection frees; its values then die young too.
 */
export const SLICE_SIZE = 64 << 10;
/** Bytes read at once (several slices). */
const READ_SIZE = 1 << 20;
/** Slices tried at earlier commas before giving up on a chunk (each costs a parse). */
const TRIES = 3;

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/**
 * Yields the elements of a JSON array's range in slices of about `chunkSize`
 * bytes. Returns undefined when the whole range was read (a range that is not
 * the last ends with a top-level `,`), else where it stopped.
 */
export async function* sliceJsonArray(
  file: Deno.FsFile,
  range: ArrayRange,
  sliceSize: number = SLICE_SIZE,
): AsyncGenerator<ArraySlice, SliceStop | undefined> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const readSize = Math.max(READ_SIZE, sliceSize);
  // Bytes [offset, offset + data.length) are read and not yet in a slice.
  let offset = range.start;
  let data: Uint8Array = new Uint8Array(0);
  let readAt = range.start;
  let beforeArray = range.start === 0;
  let yielded = false;
  // Stopped before any slice of the file's first range: the scanner starts over
  // at the "[" (which tells an empty array from a missing element).
  const stop = (): SliceStop =>
    range.start === 0 && !yielded ? { offset: 0, beforeArray: true } : { offset, beforeArray };
  const parse = (length: number): unknown[] | undefined => {
    try {
      const values = JSON.parse(`[${decoder.decode(data.subarray(0, length))}]`);
      return Array.isArray(values) && values.length > 0 ? values : undefined;
    } catch {
      return undefined;
    }
  };
  await file.seek(range.start, Deno.SeekMode.Start);
  while (true) {
    const chunk = await readFully(file, Math.min(readSize, range.end - readAt));
    readAt += chunk.length;
    const done = chunk.length === 0 || readAt >= range.end;
    data = append(data, chunk);
    if (beforeArray) {
      let at = 0;
      while (at < data.length && isSpace(data[at]!)) at++;
      if (at === data.length && !done) continue;
      if (data[at] !== OPEN_SQUARE) return stop();
      data = data.subarray(at + 1);
      offset += at + 1;
      beforeArray = false;
    }
    // Slices of about sliceSize while the data holds more than one.
    while (data.length > sliceSize) {
      let cut = Math.min(data.length, sliceSize + 1);
      let values: unknown[] | undefined;
      for (let tries = 0; tries < TRIES && values === undefined; tries++) {
        cut = lastElementEnd(data, cut);
        if (cut < 0) break;
        values = parse(cut);
      }
      if (values === undefined) {
        if (cut < 0) break; // no comma after an element yet: read more
        return stop();
      }
      yield { values, start: offset, end: offset + cut };
      yielded = true;
      data = data.subarray(cut + 1);
      offset += cut + 1;
    }
    if (!done) continue;
    if (data.length === 0 && !range.last) return undefined;
    let last = data.length - 1;
    if (range.last) {
      while (last >= 0 && isSpace(data[last]!)) last--;
      if (data[last] !== CLOSE_SQUARE) return stop();
    } else if (data[last] !== COMMA) return stop();
    const values = parse(last);
    if (values === undefined) return stop();
    yield { values, start: offset, end: offset + last };
    return undefined;
  }
}

/** The last comma before `before` that follows a `}` or `]`, or -1. */
function lastElementEnd(data: Uint8Array, before: number): number {
  let comma = before;
  while (true) {
    comma = comma > 0 ? data.lastIndexOf(COMMA, comma - 1) : -1;
    if (comma <= 0) return -1;
    let previous = comma - 1;
    while (previous > 0 && isSpace(data[previous]!)) previous--;
    const code = data[previous];
    if (code === CLOSE_CURLY || code === CLOSE_SQUARE) return comma;
  }
}

function append(data: Uint8Array, chunk: Uint8Array): Uint8Array {
  if (data.length === 0) return chunk;
  const joined = new Uint8Array(data.length + chunk.length);
  joined.set(data);
  joined.set(chunk, data.length);
  return joined;
}
