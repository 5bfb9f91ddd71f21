// Keeps credentials out of messages, records and logs: the one function every
// printed or written text of the CLI goes through.

const REDACTED = "[REDACTED]";

/** Environment variables whose values are credentials, by name. */
const SECRET_ENV = /(?:^|_)(?:API_KEY|APIKEY|TOKEN|SECRET|PASSWORD|ACCESS_KEY)$|^HF_TOKEN$/i;

/** A word that looks like a credential rather than prose: 8+ characters with a digit. */
function tokenLike(word: string): boolean {
  return word.length >= 8 && /\d/.test(word);
}

/** `Basic <base64>` is a credential when it decodes to `user:password`. */
function basicLike(word: string): boolean {
  try {
    return /^[A-Za-z0-9+/]+={0,2}$/.test(word) && atob(word).includes(":");
  } catch {
    return false;
  }
}

type Replacer = (match: string, ...groups: string[]) => string;

/** Token characters: never a quote, a backslash or a separator, so JSON text stays valid. */
const PATTERNS: readonly [RegExp, Replacer][] = [
  // Authorization: Bearer <token> / Basic <base64(user:password)>; prose ("Basic rules") stays
  [
    /\b(Bearer|Basic)(\s+)([^\s"'\\,;<>]+)/gi,
    (match, scheme, space, token) =>
      (scheme!.toLowerCase() === "basic" ? basicLike(token!) : tokenLike(token!))
        ? `${scheme}${space}${REDACTED}`
        : match,
  ],
  // user:password@ (or token@) in a URL anywhere in a text
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'\\<>]+@/gi, (_, scheme) => `${scheme}${REDACTED}@`],
  // ?api_key=..., &token=..., &sig=... in a URL
  [
    /([?&#](?:[\w.-]*[_.-])?(?:api[_-]?key|key|token|secret|sig|signature|auth|password|pwd)=)[^&\s"'\\<>#]+/gi,
    (_, name) => `${name}${REDACTED}`,
  ],
  // api-key / x-api-key / authorization / token headers or fields, echoed as text or JSON
  [
    /\b((?:x-)?api[-_]?key|authorization|x-goog-api-key|hf[-_]token|access[-_]token)("?\s*[:=]\s*"?)(?!Bearer\b|Basic\b|\[REDACTED\])([^\s"'\\,;&<>}]+)/gi,
    (match, name, separator, value) => tokenLike(value!) ? `${name}${separator}${REDACTED}` : match,
  ],
  // Well-known key shapes: OpenAI (sk-...), Hugging Face (hf_...), Groq (gsk_...)
  [/\b(?:sk-[A-Za-z0-9_-]{16,}|hf_[A-Za-z0-9]{16,}|gsk_[A-Za-z0-9]{16,})/g, () => REDACTED],
];

/**
 * Replaces each credential in a text with `[REDACTED]`: the given secrets, the
 * values of credential environment variables (`*_API_KEY`, `*_TOKEN`,
 * `HF_TOKEN`, `*_SECRET`, `*_PASSWORD`, 8 characters or more), Bearer tokens
 * and `api-key`/`authorization` header values (8+ characters with a digit, so
 * prose such as "Bearer bonds" stays), Basic credentials (base64 of
 * `user:password`), `user:password@` in URLs, credential query parameters, and
 * well-known key shapes (`sk-…`, `hf_…`, `gsk_…`). Secrets shorter than 4
 * characters are left alone (they would match everywhere). A JSON text stays
 * valid JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactSecrets } from "./redact.ts";
 * assert.equal(
 *   redactSecrets("GET http://user:pw@host/v1 with Basic dXNlcjpwdw== and k123 (Basic rules)", ["k123"]),
 *   "GET http://[REDACTED]@host/v1 with Basic [REDACTED] and [REDACTED] (Basic rules)",
 * );
 * ```
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of [...secrets, ...environmentSecrets()]) {
    if (secret === undefined || secret.length < 4) continue;
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    // The same secret as it appears inside a JSON string.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(REDACTED);
  }
  for (const [pattern, replace] of PATTERNS) out = out.replace(pattern, replace);
  return out;
}

/**
 * A URL without user info or credential-like query parameters, for records and messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactUrl } from "./redact.ts";
 * assert.equal(redactUrl("http://u:p@host/v1?api_key=x&a=1"), "http://host/v1?a=1");
 * ```
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactSecrets(url.replace(/\/\/[^/@]*@/, "//"));
  }
  parsed.username = "";
  parsed.password = "";
  for (const name of [...parsed.searchParams.keys()]) {
    if (/key|token|secret|sig|auth|password/i.test(name)) parsed.searchParams.delete(name);
  }
  const text = parsed.toString();
  return url.endsWith("/") || !text.endsWith("/") ? text : text.slice(0, -1);
}

/** Values of credential environment variables (none without env permission). */
function environmentSecrets(): string[] {
  let env: Record<string, string>;
  try {
    env = Deno.env.toObject();
  } catch {
    return [];
  }
  const values: string[] = [];
  for (const name in env) {
    // At least 8 characters: a short value ("test") would blank out ordinary words.
    if (SECRET_ENV.test(name) && env[name]!.length >= 8) values.push(env[name]!);
  }
  return values;
}
