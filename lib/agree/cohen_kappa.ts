/**
 * Cohen's kappa of a square confusion matrix (`confusion[i][j]`: how often the
 * first rater said category i and the second j): `(p_o - p_e) / (1 - p_e)`, with
 * p_o the share on the diagonal and p_e the agreement expected from the two
 * raters' marginals. Cells may be fractional (weighted pairs). NaN when the
 * matrix is empty or p_e is 1 (both raters always use one same category).
 *
 * A symmetric matrix (both marginals equal, as built from unordered pairs of one
 * judge) gives Scott's pi, the usual choice when raters are interchangeable.
 *
 * @example The textbook example: 50 items, 20+15 agreements, kappa 0.4
 * ```ts
 * import assert from "node:assert/strict";
 * import { cohenKappa } from "./cohen_kappa.ts";
 * const kappa = cohenKappa([[20, 5], [10, 15]]);
 * assert.ok(Math.abs(kappa - 0.4) < 1e-12);
 * ```
 */
export function cohenKappa(confusion: readonly (readonly number[])[]): number {
  const size = confusion.length;
  const rows = new Array<number>(size).fill(0);
  const columns = new Array<number>(size).fill(0);
  let total = 0;
  let diagonal = 0;
  for (let i = 0; i < size; i++) {
    const row = confusion[i]!;
    if (row.length !== size) {
      throw new RangeError(
        `Cannot compute kappa: the confusion matrix must be square, row ${i} has ${row.length} cells for ${size} rows`,
      );
    }
    for (let j = 0; j < size; j++) {
      const cell = row[j]!;
      rows[i]! += cell;
      columns[j]! += cell;
      total += cell;
      if (i === j) diagonal += cell;
    }
  }
  if (total === 0) return NaN;
  let expected = 0;
  for (let i = 0; i < size; i++) expected += (rows[i]! / total) * (columns[i]! / total);
  if (expected === 1) return NaN;
  return (diagonal / total - expected) / (1 - expected);
}
