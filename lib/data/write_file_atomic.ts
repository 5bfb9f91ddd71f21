import { dirname, join } from "node:path";

/**
 * Writes bytes to a file all at once, as {@linkcode writeTextFileAtomic} does
 * for text: they go to a temporary file in the same directory, which is then
 * renamed over the target, so readers never see a half-written file (a PNG
 * chart, for instance) and a failure leaves the old file (or none) in place.
 * The file gets the usual permissions of a new file (0666 less the umask).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFileAtomic } from "./write_file_atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/charts/radar.png`, new Uint8Array([0x89, 0x50]));
 * assert.equal(Deno.readFileSync(`${dir}/charts/radar.png`).length, 2);
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const directory = dirname(path);
  await Deno.mkdir(directory, { recursive: true });
  // Not Deno.makeTempFile: it creates the file with mode 0600, which the rename
  // would carry over to the output. A new file gets 0666 less the umask.
  const temporary = join(directory, `.llm-judge-${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeFile(temporary, data, { createNew: true });
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
