import { parseTemplate } from "./_parse_template.ts";

/**
 * Lists the field names a Python format template refers to, in order of first
 * use, with the same parsing (and errors) as `formatPython`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatFields } from "./format_fields.ts";
 * assert.deepEqual(formatFields("{a} {{b}} {c} {a}"), ["a", "c"]);
 * ```
 */
export function formatFields(template: string): string[] {
  const fields: string[] = [];
  for (const part of parseTemplate(template)) {
    if (part.literal === undefined && !fields.includes(part.field)) fields.push(part.field);
  }
  return fields;
}
