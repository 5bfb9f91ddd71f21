/** Longest name accepted, in UTF-8 bytes (with room for `_single.jsonl` and `.lock`). */
export const MAX_FILE_NAME_BYTES = 200;

/** Options for {@linkcode checkFileName}. */
export interface CheckFileNameOptions {
  /**
   * What the name is, for the message (a flag such as `--model-id`).
   * @default {"the name"}
   */
  what?: string;
}

/**
 * Checks that a model or judge name can name a file inside its folder on
 * every system: not empty, not `.` or `..`, no `/` or `\`, no NUL or other
 * control character, at most {@linkcode MAX_FILE_NAME_BYTES} bytes. Returns
 * the name; throws a `RangeError` that quotes it and says why.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkFileName } from "./check_file_name.ts";
 * assert.equal(checkFileName("Phi-3-mini-4k-instruct"), "Phi-3-mini-4k-instruct");
 * assert.throws(() => checkFileName("../../tmp/x", { what: "--model-id" }), RangeError);
 * ```
 */
export function checkFileName(name: string, options: CheckFileNameOptions = {}): string {
  const what = options.what ?? "the name";
  const refuse = (why: string): never => {
    throw new RangeError(
      `${what} names a file and ${why}: ${JSON.stringify(name)}`,
    );
  };
  if (name.trim() === "") refuse("cannot be empty");
  if (name === "." || name === "..") refuse('cannot be "." or ".."');
  if (/[\\/]/.test(name)) refuse('cannot contain "/" or "\\"');
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) refuse("cannot contain control characters");
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > MAX_FILE_NAME_BYTES) {
    refuse(`is ${bytes} bytes long, more than ${MAX_FILE_NAME_BYTES}`);
  }
  return name;
}
