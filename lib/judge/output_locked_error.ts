/**
 * Raised when another run holds the lock of a judgment file: two runs
 * appending to one file would judge the same matches twice.
 *
 * @example
 * ```ts
 * import { OutputLockedError } from "./output_locked_error.ts";
 * const error = new OutputLockedError("out/gpt-4_single.jsonl");
 * console.assert(error.lockPath === "out/gpt-4_single.jsonl.lock");
 * ```
 */
export class OutputLockedError extends Error {
  /** The judgment file. */
  readonly path: string;
  /** Its lock file. */
  readonly lockPath: string;

  constructor(path: string, options?: ErrorOptions) {
    super(
      `Another llm-judge run is writing "${path}" (its lock "${path}.lock" is held); wait for it to finish or write elsewhere with --output-file`,
      options,
    );
    this.name = "OutputLockedError";
    this.path = path;
    this.lockPath = `${path}.lock`;
  }
}
