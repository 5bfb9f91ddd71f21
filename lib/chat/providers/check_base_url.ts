import { redactUrl } from "../../http/redact.ts";

/**
 * Checks a base URL given on the command line or in the environment: it must
 * parse as an absolute `http:` or `https:` URL. Returns it unchanged; throws a
 * `RangeError` that names where it came from (`source`, e.g. `--judge-base-url`
 * or `GROQ_BASE_URL`) and quotes it without credentials.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBaseUrl } from "./check_base_url.ts";
 * assert.equal(checkBaseUrl("http://127.0.0.1:8000/v1", "--judge-base-url"), "http://127.0.0.1:8000/v1");
 * assert.throws(() => checkBaseUrl("localhost:8000", "GROQ_BASE_URL"), /GROQ_BASE_URL/);
 * ```
 */
export function checkBaseUrl(url: string, source: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new RangeError(
      `${source} must be an http:// or https:// URL, got ${JSON.stringify(redactUrl(url))}`,
    );
  }
  return url;
}
