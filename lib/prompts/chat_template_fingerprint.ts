import { createHash } from "node:crypto";

/**
 * A short fingerprint of a chat template (the first 16 hex digits of its
 * SHA-256), recorded with every answer so that answers made with different
 * templates can be told apart.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chatTemplateFingerprint } from "./chat_template_fingerprint.ts";
 * assert.equal(chatTemplateFingerprint("{{ x }}").length, 16);
 * ```
 */
export function chatTemplateFingerprint(template: string): string {
  return createHash("sha256").update(template).digest("hex").slice(0, 16);
}
