// Keeps credentials out of messages, records and logs.

/** Replaces each secret (and any bearer token) in a text with `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    out = out.split(secret).join("[REDACTED]");
  }
  return out.replace(/(Bearer\s+)[^\s"',;]+/gi, "$1[REDACTED]");
}

/** A URL without user info or credential-like query parameters, for records and messages. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@]*@/, "//");
  }
  parsed.username = "";
  parsed.password = "";
  for (const name of [...parsed.searchParams.keys()]) {
    if (/key|token|secret|sig|auth|password/i.test(name)) parsed.searchParams.delete(name);
  }
  const text = parsed.toString();
  return url.endsWith("/") || !text.endsWith("/") ? text : text.slice(0, -1);
}
