import { redactSecrets } from "../http/redact.ts";
import { writeFileAtomic } from "./write_file_atomic.ts";

/**
 * Writes a file all at once, credentials redacted (`redactSecrets`): the text goes to a temporary file in the same
 * directory, which is then renamed over the target. Readers never see a
 * half-written file, and a failure leaves the old file (or none) in place.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeTextFileAtomic } from "./write_text_file_atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeTextFileAtomic(`${dir}/out/result.json`, "{}\n");
 * assert.equal(Deno.readTextFileSync(`${dir}/out/result.json`), "{}\n");
 * ```
 */
export async function writeTextFileAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, new TextEncoder().encode(redactSecrets(text)));
}
