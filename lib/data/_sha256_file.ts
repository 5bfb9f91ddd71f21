import { createHash } from "node:crypto";

/** Streams a file through sha256 and returns the lowercase hex digest and the size. */
export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  const buffer = new Uint8Array(1 << 16);
  let bytes = 0;
  const file = await Deno.open(path, { read: true });
  try {
    while (true) {
      const count = await file.read(buffer);
      if (count === null) break;
      hash.update(buffer.subarray(0, count));
      bytes += count;
    }
  } finally {
    file.close();
  }
  return { sha256: hash.digest("hex"), bytes };
}
