import { dirname } from "node:path";

/**
 * Writes a file all at once: the text goes to a temporary file in the same
 * directory, which is then renamed over the target. Readers never see a
 * half-written file, and a failure leaves the old file (or none) in place.
 *
 * @example
 * ```ts
 * import { writeTextFileAtomic } from "./write_atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeTextFileAtomic(`${dir}/out/result.json`, "{}\n");
 * console.assert(Deno.readTextFileSync(`${dir}/out/result.json`) === "{}\n");
 * ```
 */
export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  const directory = dirname(path);
  await Deno.mkdir(directory, { recursive: true });
  const temporary = await Deno.makeTempFile({
    dir: directory,
    prefix: ".llm-judge-",
    suffix: ".tmp",
  });
  try {
    await Deno.writeTextFile(temporary, text);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
