/**
 * Raised when a model directory cannot be used: a missing or unreadable
 * file, a config without a needed field, an ONNX file that does not parse or
 * lacks the decoder's inputs, or an execution provider that is not
 * available. The message names the file and says what to do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ModelLoadError } from "./model_load_error.ts";
 * const error = new ModelLoadError("the file is missing", { file: "models/x/tokenizer.json" });
 * assert.equal(error.message, 'Cannot load the model: "models/x/tokenizer.json": the file is missing');
 * ```
 */
export class ModelLoadError extends Error {
  /** The file at fault, when one is. */
  readonly file: string | undefined;
  /** The problem alone. */
  readonly reason: string;

  /**
   * Creates the error; the message names the file when there is one.
   * @param reason The problem alone, e.g. `the file is missing`.
   * @param location The file at fault, if any.
   * @param options The error's `cause`, if any.
   */
  constructor(
    reason: string,
    location: { file?: string | undefined } = {},
    options?: ErrorOptions,
  ) {
    super(
      location.file === undefined
        ? `Cannot load the model: ${reason}`
        : `Cannot load the model: "${location.file}": ${reason}`,
      options,
    );
    this.name = "ModelLoadError";
    this.file = location.file;
    this.reason = reason;
  }
}
