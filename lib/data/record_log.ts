import { redactSecrets } from "../http/redact.ts";
import { dirname } from "node:path";
import { DataError } from "./data_error.ts";
import { OutputLockedError } from "./output_locked_error.ts";
import { writeTextFileAtomic } from "./write_text_file_atomic.ts";
import { pathExists } from "./path_exists.ts";

/** Validates one parsed line of a record log; throws a `DataError` naming the line. */
export type RecordParser<T> = (value: unknown, source: { file: string; line: number }) => T;

/** A record already in a log file. */
export interface LoggedEntry<T> {
  /** The record as parsed. */
  record: T;
  /** 1-based line number. */
  line: number;
}

/** What {@linkcode readRecordLog} found. */
export interface RecordLogContents<T> {
  /** The complete records, in file order. */
  records: LoggedEntry<T>[];
  /** Bytes after the last newline that are not a complete record (an interrupted write). */
  tornTail: number;
}

/**
 * Reads a JSONL record file (judgments, answers) for resuming, without locking it: every complete
 * line is validated (a bad one throws a `DataError` naming the line); an
 * incomplete last line — a write cut off by a crash — is reported, not
 * thrown. A missing file reads as empty.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readRecordLog } from "./record_log.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, '{"question_id": 81}\n{"question_');
 * const contents = await readRecordLog(path, (value) => value as { question_id: number });
 * assert.equal(contents.records.length, 1);
 * assert.equal(contents.tornTail, 11);
 * ```
 */
export async function readRecordLog<T>(
  path: string,
  parse: RecordParser<T>,
): Promise<RecordLogContents<T>> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { records: [], tornTail: 0 };
    throw new DataError(`cannot read the file: ${(error as Error).message}`, { file: path }, {
      cause: error,
    });
  }
  const lastNewline = bytes.lastIndexOf(10);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, lastNewline + 1));
  } catch (error) {
    throw new DataError("the file is not valid UTF-8", { file: path }, { cause: error });
  }
  const records: LoggedEntry<T>[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.replace(/\r$/, "");
    if (raw.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new DataError(`invalid JSON: ${(error as Error).message}`, {
        file: path,
        line: index + 1,
      }, { cause: error });
    }
    records.push({
      record: parse(value, { file: path, line: index + 1 }),
      line: index + 1,
    });
  }
  let tornTail = bytes.length - (lastNewline + 1);
  if (tornTail > 0) {
    // A last line without its newline is complete if it parses; FastChat always writes one.
    const tail = new TextDecoder().decode(bytes.subarray(lastNewline + 1));
    try {
      const value = JSON.parse(tail);
      const line = lines.length;
      records.push({ record: parse(value, { file: path, line }), line });
      tornTail = -tail.length;
    } catch {
      // torn: reported below
    }
  }
  return { records, tornTail: Math.max(0, tornTail) };
}

/** A record file opened for appending, under an exclusive lock. */
export interface RecordLog<T> {
  /** The file. */
  readonly path: string;
  /** Records already there when it was opened. */
  readonly records: LoggedEntry<T>[];
  /** Bytes of a torn last line that opening removed (0 when none). */
  readonly repairedBytes: number;
  /** Appends one whole line (ending with `\n`) in a single write; calls are serialized. */
  append(line: string): Promise<void>;
  /** Drops the given 1-based lines, rewriting the file atomically. */
  dropLines(lines: ReadonlySet<number>): Promise<void>;
  /** Rewrites the whole file atomically (e.g. sorted), under the lock; appends continue after. */
  rewrite(transform: (text: string) => string): Promise<void>;
  /** Releases the lock. */
  close(): Promise<void>;
}

/** Options for {@linkcode openRecordLog}. */
export interface OpenRecordLogOptions {
  /**
   * The command-line option that writes elsewhere, named when the lock is held.
   * @default {"--output-file"}
   */
  lockedHint?: string;
}

/**
 * Opens a JSONL record file (judgments, answers) for a run: takes an exclusive OS lock on
 * `<path>.lock` (released by the OS if the process dies, so a killed run
 * never blocks the next), refuses with {@linkcode OutputLockedError} when
 * another run holds it, cuts off a torn last line left by an interrupted
 * write, and reads the records already there. Each `append` writes one whole
 * line at the end of the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openRecordLog } from "./record_log.ts";
 * const dir = await Deno.makeTempDir();
 * const log = await openRecordLog(`${dir}/model_answer/m.jsonl`, (value) => value);
 * await log.append('{"question_id": 81}\n');
 * await log.close();
 * assert.equal(Deno.readTextFileSync(`${dir}/model_answer/m.jsonl`), '{"question_id": 81}\n');
 * ```
 */
export async function openRecordLog<T>(
  path: string,
  parse: RecordParser<T>,
  options: OpenRecordLogOptions = {},
): Promise<RecordLog<T>> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const lockPath = `${path}.lock`;
  const lock = await acquireLock(path, lockPath, options.lockedHint);
  try {
    let contents = await readRecordLog(path, parse);
    const repairedBytes = contents.tornTail;
    if (repairedBytes > 0) {
      const size = (await Deno.stat(path)).size;
      await Deno.truncate(path, size - repairedBytes);
      contents = await readRecordLog(path, parse);
    } else if (contents.records.length > 0) {
      // A complete last line without its newline: add the newline before appending.
      const bytes = await Deno.readFile(path);
      if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) {
        await Deno.writeTextFile(path, "\n", { append: true });
      }
    }
    const created = !(await pathExists(path));
    let file = await Deno.open(path, { create: true, append: true });
    let queue: Promise<void> = Promise.resolve();
    const encoder = new TextEncoder();
    const rewrite = async (transform: (text: string) => string): Promise<void> => {
      await queue;
      const next = transform(await Deno.readTextFile(path));
      file.close();
      try {
        await writeTextFileAtomic(path, next);
      } finally {
        file = await Deno.open(path, { create: true, append: true });
      }
    };
    return {
      path,
      records: contents.records,
      repairedBytes,
      append(line: string): Promise<void> {
        if (!line.endsWith("\n") || line.indexOf("\n") !== line.length - 1) {
          return Promise.reject(
            new RangeError("Cannot append: a record must be one line ending with a newline"),
          );
        }
        const bytes = encoder.encode(redactSecrets(line));
        const write = queue.then(async () => {
          let offset = 0;
          while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
        });
        queue = write.catch(() => {});
        return write;
      },
      dropLines(lines: ReadonlySet<number>): Promise<void> {
        if (lines.size === 0) return queue;
        return rewrite((text) =>
          text.split("\n").filter((_, index) => !lines.has(index + 1)).join("\n")
        );
      },
      rewrite,
      async close(): Promise<void> {
        await queue;
        file.close();
        // A run that wrote nothing leaves no empty file behind.
        if (created && (await Deno.stat(path)).size === 0) await Deno.remove(path);
        await releaseLock(lock, lockPath);
      },
    };
  } catch (error) {
    await releaseLock(lock, lockPath);
    throw error;
  }
}

async function acquireLock(
  path: string,
  lockPath: string,
  option: string | undefined,
): Promise<Deno.FsFile> {
  for (let tries = 0; tries < 5; tries++) {
    const file = await Deno.open(lockPath, { create: true, write: true });
    if (!(await file.tryLock(true))) {
      file.close();
      throw new OutputLockedError(path, option === undefined ? {} : { option });
    }
    // The holder before us may have removed the lock file after we opened it:
    // then we locked a file no one else will see. Check that ours is the one on disk.
    const [held, onDisk] = await Promise.all([file.stat(), Deno.stat(lockPath).catch(() => null)]);
    if (onDisk !== null && held.ino === onDisk.ino && held.dev === onDisk.dev) {
      await file.truncate(0);
      await file.write(
        new TextEncoder().encode(
          `${JSON.stringify({ pid: Deno.pid, started: new Date().toISOString() })}\n`,
        ),
      );
      return file;
    }
    file.close();
  }
  throw new OutputLockedError(path, option === undefined ? {} : { option });
}

async function releaseLock(file: Deno.FsFile, lockPath: string): Promise<void> {
  await Deno.remove(lockPath).catch(() => {});
  try {
    await file.unlock();
  } catch {
    // closing releases it anyway
  }
  file.close();
}
