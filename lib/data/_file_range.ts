/**
 * Reads `length` bytes of an open file from byte `offset` into a new buffer
 * (fewer at the end of the file).
 */
export async function readFileRange(
  file: Deno.FsFile,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  await file.seek(offset, Deno.SeekMode.Start);
  return await readFully(file, length);
}

/** Reads up to `length` bytes from the file's position into a new buffer (fewer at its end). */
export async function readFully(file: Deno.FsFile, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(Math.max(0, length));
  let filled = 0;
  while (filled < buffer.length) {
    const read = await file.read(buffer.subarray(filled));
    if (read === null) break;
    filled += read;
  }
  return filled === buffer.length ? buffer : buffer.subarray(0, filled);
}

/** Counts the newlines in bytes `[0, end)` of a file, read synchronously (for an error message). */
export function newlinesBefore(path: string, end: number): number {
  const file = Deno.openSync(path, { read: true });
  const buffer = new Uint8Array(1 << 20);
  let lines = 0;
  let offset = 0;
  try {
    while (offset < end) {
      const read = file.readSync(buffer.subarray(0, Math.min(buffer.length, end - offset)));
      if (read === null) break;
      let at = buffer.indexOf(10);
      while (at !== -1 && at < read) {
        lines++;
        at = buffer.indexOf(10, at + 1);
      }
      offset += read;
    }
  } finally {
    file.close();
  }
  return lines;
}

/** Reads bytes `[start, end)` of a file synchronously (for an error message). */
export function readRangeSync(path: string, start: number, end: number): Uint8Array {
  const file = Deno.openSync(path, { read: true });
  try {
    const buffer = new Uint8Array(end - start);
    file.seekSync(start, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < buffer.length) {
      const read = file.readSync(buffer.subarray(filled));
      if (read === null) break;
      filled += read;
    }
    return buffer.subarray(0, filled);
  } finally {
    file.close();
  }
}
