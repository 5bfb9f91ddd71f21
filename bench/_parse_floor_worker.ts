// One worker of bench/parse_floor.ts: JSON.parses each line that starts in its
// byte range of the file; posts the number of lines.
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import type { FloorRange } from "./parse_floor.ts";

const NEWLINE = 10;

self.onmessage = async (event: MessageEvent<FloorRange>) => {
  try {
    self.postMessage({ lines: await parseRange(event.data) });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};

async function parseRange({ path, start, end }: FloorRange): Promise<number> {
  using file = await Deno.open(path);
  const decoder = new TextDecoder();
  let buffer = new Uint8Array(1 << 20);
  // Start one byte early: the first newline ends the line the previous range owns.
  let offset = Math.max(0, start - 1); // file offset of buffer[0]
  await file.seek(offset, Deno.SeekMode.Start);
  let filled = 0;
  let from = -1; // start of the first line of this range in the buffer, once found
  let lines = 0;
  let done = false;
  while (!done) {
    if (filled === buffer.length) {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
    }
    const read = await file.read(buffer.subarray(filled));
    if (read === null) done = true;
    else filled += read;
    if (from === -1) {
      if (start === 0) from = 0;
      else {
        const newline = buffer.subarray(0, filled).indexOf(NEWLINE);
        if (newline === -1 && !done) {
          offset += filled;
          filled = 0;
          continue;
        }
        from = newline === -1 ? filled : newline + 1;
      }
    }
    if (offset + from >= end) break; // no line starts in this range (any more)
    // Whole lines that start before `end`, as one block.
    let stop = done ? filled : buffer.lastIndexOf(NEWLINE, filled - 1) + 1;
    if (offset + stop > end) {
      // The line holding byte end - 1 is the last one of this range.
      const newline = buffer.subarray(0, filled).indexOf(NEWLINE, Math.max(from, end - 1 - offset));
      stop = newline === -1 ? filled : newline + 1;
      done = true;
    }
    if (stop > from) {
      const text = decoder.decode(buffer.subarray(from, stop));
      let at = 0;
      let newline = text.indexOf("\n");
      while (at < text.length) {
        const lineEnd = newline === -1 ? text.length : newline;
        if (lineEnd > at) {
          JSON.parse(text.slice(at, lineEnd));
          lines++;
        }
        at = lineEnd + 1;
        newline = text.indexOf("\n", at);
      }
    }
    const keep = Math.max(stop, from);
    buffer.copyWithin(0, keep, filled);
    filled -= keep;
    offset += keep;
    from = 0;
  }
  return lines;
}
