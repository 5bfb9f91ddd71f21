// A judgment file indexed by question without parsing it: the browser shows one
// question at a time, so only that question's lines are parsed (and validated).
import { DataError } from "../data/data_error.ts";
import { parseJudgment } from "../data/read_judgments.ts";
import type { Judgment } from "../data/types.ts";
import type { JudgmentLine } from "./select_judgments.ts";

/** `{"question_id": 81,` or `{"question_id": "abc",` at the start of a line (FastChat's order). */
const LEADING_ID = /^\s*\{\s*"question_id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*[,}]/;
const PREFIX_BYTES = 96;
const NEWLINE = 10;

/** Where a file's lines are, grouped by question id; lines are parsed on demand and cached. */
export class JudgmentFileIndex {
  readonly path: string;
  /** Lines indexed. */
  readonly lines: number;
  readonly #bytes: Uint8Array;
  /** Question id → flat [line, start, end, line, start, end, …]. */
  readonly #ranges: Map<string, number[]>;
  readonly #parsed = new Map<string, JudgmentLine[]>();
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });

  private constructor(
    path: string,
    bytes: Uint8Array,
    ranges: Map<string, number[]>,
    lines: number,
  ) {
    this.path = path;
    this.#bytes = bytes;
    this.#ranges = ranges;
    this.lines = lines;
  }

  /**
   * Reads a judgment file and finds each line's question id: from the start of
   * the line when it begins with `"question_id"` (as FastChat and llm-judge write
   * it), else by parsing the line. A line that is not JSON or has no usable
   * question id is a DataError now; other problems when its question is read.
   */
  static async read(path: string): Promise<JudgmentFileIndex> {
    const bytes = await Deno.readFile(path);
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      throw new DataError("the file starts with a UTF-8 byte-order mark; save it without one", {
        file: path,
        line: 1,
      });
    }
    const prefixDecoder = new TextDecoder("utf-8");
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const ranges = new Map<string, number[]>();
    let start = 0;
    let line = 0;
    while (start < bytes.length) {
      let end = bytes.indexOf(NEWLINE, start);
      if (end === -1) end = bytes.length;
      line++;
      const prefix = prefixDecoder.decode(
        bytes.subarray(start, Math.min(end, start + PREFIX_BYTES)),
      );
      const match = LEADING_ID.exec(prefix);
      let key: string | undefined;
      if (match !== null) {
        key = String(JSON.parse(match[1]!));
      } else if (!isBlank(bytes, start, end)) {
        key = String(parseLine(decoder, bytes, start, end, path, line).question_id);
      }
      if (key !== undefined) {
        const list = ranges.get(key);
        if (list === undefined) ranges.set(key, [line, start, end]);
        else list.push(line, start, end);
      }
      start = end + 1;
    }
    return new JudgmentFileIndex(path, bytes, ranges, line);
  }

  /** The validated records of one question, in file order. */
  records(questionKey: string): JudgmentLine[] {
    let parsed = this.#parsed.get(questionKey);
    if (parsed === undefined) {
      const ranges = this.#ranges.get(questionKey) ?? [];
      parsed = [];
      for (let index = 0; index < ranges.length; index += 3) {
        const [line, start, end] = [ranges[index]!, ranges[index + 1]!, ranges[index + 2]!];
        const record = parseLine(this.#decoder, this.#bytes, start, end, this.path, line);
        parsed.push({ line, record });
      }
      this.#parsed.set(questionKey, parsed);
    }
    return parsed;
  }

  /** Every record of the file, question by question. */
  *all(): Generator<JudgmentLine> {
    for (const key of this.#ranges.keys()) yield* this.records(key);
  }
}

function parseLine(
  decoder: TextDecoder,
  bytes: Uint8Array,
  start: number,
  end: number,
  file: string,
  line: number,
): Judgment {
  let text: string;
  try {
    text = decoder.decode(bytes.subarray(start, end));
  } catch (error) {
    throw new DataError("invalid UTF-8", { file, line }, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = end === bytes.length
      ? "the last line is cut off or is not JSON"
      : `invalid JSON: ${(error as Error).message}`;
    throw new DataError(reason, { file, line }, { cause: error });
  }
  return parseJudgment(value, { file, line });
}

/** Whether a line holds only JSON whitespace (blank lines are skipped, as readJsonl does). */
function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const byte = bytes[index];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}
