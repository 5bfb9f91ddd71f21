// Duplicate keys in one JSON object are invalid input (JSON.parse silently keeps
// the last one). Checking every line precisely costs as much as parsing it, so a
// cheap count comes first: every key in the text ends with a quote and a colon
// (a quote inside a string is escaped), and every key survives parsing unless it
// was repeated. Only when the counts differ, or a colon follows white space
// (`"key" :`, which the count misses), is the text scanned precisely.

const QUOTE = 34;
const COLON = 58;

/** Returns a key that occurs twice in one object of a valid JSON text, if any. */
export function duplicateKey(text: string, value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  // One pass over the colons: a colon right after an unescaped quote ends a key;
  // white space before a colon would hide a key from the count, so such text
  // is scanned precisely.
  let keys = 0;
  let at = text.indexOf(":");
  while (at !== -1) {
    const before = text.charCodeAt(at - 1);
    if (before === QUOTE) {
      if (!escapedQuote(text, at - 1)) keys++;
    } else if (before === 32 || before === 9 || before === 10 || before === 13) {
      return scanForDuplicate(text);
    }
    at = text.indexOf(":", at + 1);
  }
  if (keys === parsedKeys(value)) return undefined;
  return scanForDuplicate(text);
}

function escapedQuote(text: string, quote: number): boolean {
  let before = quote - 1;
  while (before >= 0 && text.charCodeAt(before) === 92) before--;
  return (quote - 1 - before) % 2 === 1;
}

function parsedKeys(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += parsedKeys(item);
    return count;
  }
  for (const key in value) {
    count++;
    count += parsedKeys((value as Record<string, unknown>)[key]);
  }
  return count;
}

function scanForDuplicate(text: string): string | undefined {
  const objects: (Set<string> | null)[] = [];
  let at = 0;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      let end = text.indexOf('"', at + 1);
      while (escapedQuote(text, end)) end = text.indexOf('"', end + 1);
      let next = end + 1;
      while (/\s/.test(text[next] ?? "")) next++;
      const keys = objects[objects.length - 1];
      if (keys && text.charCodeAt(next) === COLON) {
        const key = JSON.parse(text.slice(at, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      at = end + 1;
      continue;
    }
    if (code === 123) objects.push(new Set());
    else if (code === 91) objects.push(null);
    else if (code === 125 || code === 93) objects.pop();
    at++;
  }
  return undefined;
}
