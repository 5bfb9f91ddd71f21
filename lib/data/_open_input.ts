import { DataError } from "./data_error.ts";

/** Opens an input file for reading; a failure is a DataError naming the file. */
export async function openInput(path: string, label: string = path): Promise<Deno.FsFile> {
  try {
    return await Deno.open(path, { read: true });
  } catch (error) {
    throw new DataError(`cannot open the file: ${(error as Error).message}`, { file: label }, {
      cause: error,
    });
  }
}
