/**
 * FastChat's text for an output that could not be made: a model answer turn
 * that failed to generate, or a judgment whose request failed. Records that
 * carry it also carry an `error` field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ERROR_OUTPUT } from "./error_output.ts";
 * assert.equal(ERROR_OUTPUT, "$ERROR$");
 * ```
 */
export const ERROR_OUTPUT = "$ERROR$";
