// deno-lint-ignore-file no-console
/**
 * The floor under any reader of a JSON Lines file on this machine: workers
 * (one per core) each read a byte range of the file, decode it and
 * `JSON.parse` every line, and nothing else — no validation, no duplicate-key
 * check, no tally. `deno task bench --vs-fastchat` times it beside `show`, so
 * the table says how far a ratio could go at all.
 *
 * ```sh
 * deno run --allow-read bench/parse_floor.ts FILE [WORKERS]
 * ```
 * @module
 */

/** A byte range of a file for one worker: the lines that start in `[start, end)`. */
export interface FloorRange {
  /** The file. */
  path: string;
  /** First byte of the range. */
  start: number;
  /** End of the range (exclusive). */
  end: number;
}

/** Parses every line of `path` with `workers` workers; returns the number of lines. */
export async function parseFloor(path: string, workers: number): Promise<number> {
  const size = (await Deno.stat(path)).size;
  const counts = await Promise.all(
    Array.from({ length: workers }, (_, index) =>
      new Promise<number>((resolve, reject) => {
        const worker = new Worker(new URL("./_parse_floor_worker.ts", import.meta.url).href, {
          type: "module",
        });
        worker.onmessage = (event: MessageEvent<{ lines?: number; error?: string }>) => {
          worker.terminate();
          if (event.data.error !== undefined) reject(new Error(`${path}: ${event.data.error}`));
          else resolve(event.data.lines!);
        };
        worker.onerror = (event) => {
          event.preventDefault();
          worker.terminate();
          reject(new Error(event.message));
        };
        const range: FloorRange = {
          path,
          start: Math.floor(size * index / workers),
          end: Math.floor(size * (index + 1) / workers),
        };
        worker.postMessage(range);
      })),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

if (import.meta.main) {
  const [path, workers] = Deno.args;
  if (path === undefined) throw new Error("usage: parse_floor.ts FILE [WORKERS]");
  const lines = await parseFloor(path, Number(workers ?? navigator.hardwareConcurrency));
  console.log(`${lines} lines`);
}
