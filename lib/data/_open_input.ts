import { DataError } from "./data_error.ts";

/**
 * Opens an input file for reading; a failure, or a path that is a directory
 * (which opens but cannot be read), is a DataError naming the file.
 */
export async function openInput(path: string, label: string = path): Promise<Deno.FsFile> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    throw new DataError(`cannot open the file: ${(error as Error).message}`, { file: label }, {
      cause: error,
    });
  }
  let isFile = true;
  try {
    isFile = (await file.stat()).isFile;
  } catch {
    // A stat failure shows up again at the first read, with its own message.
  }
  if (!isFile) {
    file.close();
    throw new DataError("expected a file, found a directory or another kind of entry", {
      file: label,
    });
  }
  return file;
}
