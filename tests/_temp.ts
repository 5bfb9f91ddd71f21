/**
 * Temporary files and folders of a test file, removed when its worker ends (the `unload` event
 * of the test module), so that a test run leaves nothing in the temporary folder. Drop-in for
 * `Deno.makeTempDir` and `Deno.makeTempFile`; a test may still remove its own earlier.
 * @module
 */

const made = new Set<string>();

globalThis.addEventListener("unload", () => {
  for (const path of made) {
    try {
      Deno.removeSync(path, { recursive: true });
    } catch {
      // Removed by its test already.
    }
  }
});

/** Marks `path` for removal when this test file ends; returns it. */
export function removeAtEnd(path: string): string {
  made.add(path);
  return path;
}

/** `Deno.makeTempDir`, removed when this test file ends. */
export async function tempDir(options?: Deno.MakeTempOptions): Promise<string> {
  return removeAtEnd(await Deno.makeTempDir(options));
}

/** `Deno.makeTempFile`, removed when this test file ends. */
export async function tempPath(options?: Deno.MakeTempOptions): Promise<string> {
  return removeAtEnd(await Deno.makeTempFile(options));
}
