/**
 * A judge name that is neither a vote group (`gpt4-pair`, `human`, `author`)
 * nor a judgment file; the CLI reports it as a bad command line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnknownJudgeError } from "./unknown_judge_error.ts";
 * const error = new UnknownJudgeError("gpt5", "unknown judge \"gpt5\"");
 * assert.equal(error.judge, "gpt5");
 * assert.equal(error.name, "UnknownJudgeError");
 * ```
 */
export class UnknownJudgeError extends Error {
  /** The judge name as given. */
  readonly judge: string;

  /**
   * Creates the error for one judge name.
   * @param judge The judge name as given.
   * @param message What was looked for.
   */
  constructor(judge: string, message: string) {
    super(message);
    this.name = "UnknownJudgeError";
    this.judge = judge;
  }
}
