import { parseTemplate } from "./_parse_template.ts";

/** Values a template can refer to by name. */
export type TemplateValues = Readonly<Record<string, string | number>>;

/**
 * Fills a template the way Python's `str.format(**values)` does, so that
 * prompts render byte for byte as in FastChat: `{name}` is replaced by the
 * value, `{{` and `}}` stand for literal braces, and values not named in the
 * template are ignored.
 *
 * Only named fields are supported. A positional field (`{}`, `{0}`), an
 * attribute or index (`{a.b}`, `{a[0]}`), a conversion or a format spec
 * (`{a!r}`, `{a:>8}`) throws a `RangeError`, as does a field with no value
 * (Python's `KeyError`) and an unmatched brace (Python's `ValueError`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPython } from "./format_python.ts";
 * const text = formatPython("[Question]\n{question}\n{{literal}}", { question: "Why?", unused: "x" });
 * assert.equal(text, "[Question]\nWhy?\n{literal}");
 * ```
 */
export function formatPython(template: string, values: TemplateValues): string {
  let out = "";
  for (const part of parseTemplate(template)) {
    if (part.literal !== undefined) {
      out += part.literal;
      continue;
    }
    const value = Object.hasOwn(values, part.field) ? values[part.field] : undefined;
    if (value === undefined) {
      throw new RangeError(
        `Cannot format template: no value for field "{${part.field}}" (known: ${
          Object.keys(values).join(", ") || "none"
        })`,
      );
    }
    out += String(value);
  }
  return out;
}
