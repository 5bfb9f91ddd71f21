/** Options for {@linkcode OutputLockedError}. */
export interface OutputLockedErrorOptions extends ErrorOptions {
  /**
   * The command-line option that writes elsewhere, named in the message.
   * @default {"--output-file"}
   */
  option?: string;
}

/**
 * Raised when another run holds the lock of an output file (judgments or
 * answers): two runs appending to one file would do the same work twice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OutputLockedError } from "./output_locked_error.ts";
 * const error = new OutputLockedError("out/gpt-4_single.jsonl");
 * assert.equal(error.lockPath, "out/gpt-4_single.jsonl.lock");
 * ```
 */
export class OutputLockedError extends Error {
  /** The output file. */
  readonly path: string;
  /** Its lock file. */
  readonly lockPath: string;

  /**
   * Creates the error for an output file whose lock is held.
   * @param path The output file.
   * @param options The command-line option the message suggests for writing elsewhere.
   */
  constructor(path: string, options: OutputLockedErrorOptions = {}) {
    super(
      `Another llm-judge run is writing "${path}" (its lock "${path}.lock" is held); wait for it to finish or write elsewhere with ${
        options.option ?? "--output-file"
      }`,
      options,
    );
    this.name = "OutputLockedError";
    this.path = path;
    this.lockPath = `${path}.lock`;
  }
}
