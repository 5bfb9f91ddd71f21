/**
 * No variant of a multi-variant ONNX repo fits `--variant`, `--ep` and
 * `--dtype`, or several fit equally: a usage error. The message lists the
 * variants to pick from with `--variant`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { VariantChoiceError } from "./variant_choice_error.ts";
 * const error = new VariantChoiceError("no cuda variant", ["cpu/int4"]);
 * assert.deepEqual(error.variants, ["cpu/int4"]);
 * ```
 */
export class VariantChoiceError extends Error {
  /** The variants there are (folder paths; `""` for the repo root). */
  readonly variants: readonly string[];

  /** Makes the error; the message gets the list of variants appended. */
  constructor(reason: string, variants: readonly string[], options?: ErrorOptions) {
    super(
      `${reason}. Variants in the repo (choose one with --variant): ${
        variants.map((variant) => variant === "" ? "(root)" : variant).join(", ")
      }`,
      options,
    );
    this.name = "VariantChoiceError";
    this.variants = variants;
  }
}
