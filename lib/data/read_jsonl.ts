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
}

const BOM = "\uFEFF";

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
 * import { readJsonl } from "./read_jsonl.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, '{"a":1}\n\n{"a":2}\n');
 * let count = 0;
 * for await (const batch of readJsonl(path)) count += batch.length;
 * console.assert(count === 2);
 * ```
 */
export async function* readJsonl(
  path: string,
  options: ReadJsonlOptions = {},
): AsyncGenerator<JsonLine[]> {
  const label = options.label ?? path;
  const chunkSize = options.chunkSize ?? 1 << 20;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    throw new DataError(`cannot open the file: ${(error as Error).message}`, { file: label }, {
      cause: error,
    });
  }
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const buffer = new Uint8Array(chunkSize);
  let pending = "";
  let lineNumber = 0;
  let first = true;
  try {
    while (true) {
      const read = await file.read(buffer);
      const done = read === null;
      let text: string;
      try {
        text = done ? decoder.decode() : decoder.decode(buffer.subarray(0, read), { stream: true });
      } catch (error) {
        throw new DataError("the file is not valid UTF-8", { file: label, line: lineNumber + 1 }, {
          cause: error,
        });
      }
      if (first && (text.length > 0 || done)) {
        first = false;
        if (text.startsWith(BOM)) {
          throw new DataError(
            "the file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM",
            { file: label, line: 1 },
          );
        }
      }
      const data = pending + text;
      const batch: JsonLine[] = [];
      let start = 0;
      let newline = data.indexOf("\n", start);
      while (newline !== -1) {
        lineNumber++;
        parseInto(batch, data, start, newline, lineNumber, label, false);
        start = newline + 1;
        newline = data.indexOf("\n", start);
      }
      pending = data.slice(start);
      if (done) {
        if (pending.length > 0) {
          lineNumber++;
          parseInto(batch, pending, 0, pending.length, lineNumber, label, true);
        }
        if (batch.length > 0) yield batch;
        return;
      }
      if (batch.length > 0) yield batch;
    }
  } finally {
    file.close();
  }
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
  try {
    batch.push({ line, value: JSON.parse(text) });
  } catch (error) {
    if (text.trim().length === 0) return;
    const reason = last
      ? "the last line is truncated: the file ends without a newline in the middle of a JSON value"
      : `invalid JSON: ${(error as Error).message}`;
    throw new DataError(reason, { file: label, line }, { cause: error });
  }
}
