// Streams the rows of a parquet file with hyparquet, one row group at a time, over
// a file handle (seek + read) rather than a whole-file buffer.
import { openInput } from "./_open_input.ts";
import {
  type AsyncBuffer,
  type FileMetaData,
  parquetMetadataAsync,
  parquetReadObjects,
} from "npm:hyparquet@1.33.0";
import { DataError } from "./data_error.ts";

/** One row of a parquet file, with its 1-based row number. */
export interface ParquetRow {
  row: number;
  value: Record<string, unknown>;
}

/** A random-access view of an open file, for hyparquet. Reads are serialized on the one handle. */
class FileBuffer implements AsyncBuffer {
  readonly byteLength: number;
  readonly #file: Deno.FsFile;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: Deno.FsFile, byteLength: number) {
    this.#file = file;
    this.byteLength = byteLength;
  }

  slice(start: number, end?: number): Promise<ArrayBuffer> {
    const stop = Math.min(end ?? this.byteLength, this.byteLength);
    const read = this.#queue.then(() => this.#read(start, stop));
    this.#queue = read.catch(() => {});
    return read;
  }

  async #read(start: number, stop: number): Promise<ArrayBuffer> {
    const bytes = new Uint8Array(Math.max(0, stop - start));
    await this.#file.seek(start, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < bytes.length) {
      const count = await this.#file.read(bytes.subarray(filled));
      if (count === null) throw new Error(`unexpected end of file at byte ${start + filled}`);
      filled += count;
    }
    return bytes.buffer;
  }
}

/** Top-level column names of a parquet file. */
function columnNames(metadata: FileMetaData): Set<string> {
  const names = new Set<string>();
  const schema = metadata.schema;
  // schema[0] is the root; walk its direct children, skipping each child's subtree.
  let index = 1;
  while (index < schema.length) {
    const element = schema[index]!;
    names.add(element.name);
    index = skipSubtree(schema, index);
  }
  return names;
}

function skipSubtree(schema: FileMetaData["schema"], index: number): number {
  const children = schema[index]!.num_children ?? 0;
  let next = index + 1;
  for (let child = 0; child < children; child++) next = skipSubtree(schema, next);
  return next;
}

/**
 * Streams parquet rows in batches (one per row group) as plain objects. `required`
 * columns must exist (else a DataError naming the field); `optional` ones are
 * read when present. Values are as hyparquet decodes them (INT64 as bigint).
 */
export async function* streamParquetRows(
  path: string,
  required: readonly string[],
  optional: readonly string[],
  label: string = path,
): AsyncGenerator<ParquetRow[]> {
  const file = await openInput(path, label);
  try {
    const size = (await file.stat()).size;
    const buffer = new FileBuffer(file, size);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(buffer);
    } catch (error) {
      throw new DataError(
        `not a readable parquet file: ${(error as Error).message}`,
        { file: label },
        { cause: error },
      );
    }
    const present = columnNames(metadata);
    for (const name of required) {
      if (!present.has(name)) {
        throw new DataError(
          `missing required column "${name}" (columns: ${[...present].join(", ")})`,
          { file: label, field: name },
        );
      }
    }
    const columns = [...required, ...optional.filter((name) => present.has(name))];
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      if (rowEnd === rowStart) continue;
      let rows: Record<string, unknown>[];
      try {
        rows = await parquetReadObjects({ file: buffer, metadata, columns, rowStart, rowEnd });
      } catch (error) {
        throw new DataError(
          `cannot decode rows ${rowStart + 1}-${rowEnd}: ${(error as Error).message}`,
          { file: label },
          { cause: error },
        );
      }
      const batch: ParquetRow[] = new Array(rows.length);
      for (let index = 0; index < rows.length; index++) {
        batch[index] = { row: rowStart + index + 1, value: rows[index]! };
      }
      rowStart = rowEnd;
      yield batch;
    }
  } finally {
    file.close();
  }
}
