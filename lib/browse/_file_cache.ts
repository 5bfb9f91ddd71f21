// A per-file cache of parsed contents, refreshed when the file's size or mtime changes.
import { DataError } from "../data/data_error.ts";

interface Entry<T> {
  stamp: string;
  value: Promise<T>;
}

/** Caches what `load` makes of a file until the file changes; failed loads are not kept. */
export class FileCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #load: (path: string) => Promise<T>;

  constructor(load: (path: string) => Promise<T>) {
    this.#load = load;
  }

  /** The parsed file; a missing file is a DataError naming it. */
  async get(path: string): Promise<T> {
    const stamp = await fileStamp(path);
    const entry = this.#entries.get(path);
    if (entry !== undefined && entry.stamp === stamp) return await entry.value;
    const value = this.#load(path);
    this.#entries.set(path, { stamp, value });
    try {
      return await value;
    } catch (error) {
      if (this.#entries.get(path)?.value === value) this.#entries.delete(path);
      throw error;
    }
  }
}

/** Size and modification time of a file; a DataError when it is missing or not a file. */
export async function fileStamp(path: string): Promise<string> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      throw new DataError("file not found", { file: path }, { cause: error });
    }
    throw error;
  }
  if (!info.isFile) throw new DataError("expected a file, got a directory", { file: path });
  return `${info.size}:${info.mtime?.getTime() ?? 0}`;
}
