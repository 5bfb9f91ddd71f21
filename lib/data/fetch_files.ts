import { dirname, join } from "node:path";
import { backoffDelay } from "../http/backoff_delay.ts";
import { retryAfterMs } from "../http/retry_after.ts";
import { FetchError } from "./fetch_error.ts";
import { sha256File } from "./_sha256_file.ts";
import { writeTextFileAtomic } from "./write_text_file_atomic.ts";

/** One file to download: where it goes under the root, where it comes from, and its checksum. */
export interface FetchEntry {
  /** Path under the root, with `/` separators (e.g. `mt_bench/question.jsonl`). */
  path: string;
  /** Source URL (replaced by `<mirror>/<path>` when a mirror is set). */
  url: string;
  /** Pinned sha256 (lowercase hex); absent when unknown. */
  sha256?: string | undefined;
}

/** A file that is in place after the run. */
export interface FetchedFile {
  /** Path under the root. */
  path: string;
  /** URL it came from (for a skipped file, the URL it would have come from). */
  url: string;
  /** Size in bytes. */
  bytes: number;
  /** sha256 of the file as it lies on disk. */
  sha256: string;
  /** Whether that sha256 was checked against a pinned value. */
  pinned: boolean;
}

/** A file that could not be downloaded. */
export interface FailedFile {
  /** Path under the root. */
  path: string;
  /** URL that was requested. */
  url: string;
  /** What went wrong. */
  error: FetchError;
}

/** What {@linkcode fetchFiles} did. */
export interface FetchReport {
  /** Files downloaded in this run. */
  downloaded: FetchedFile[];
  /** Files already present (and verified, where a checksum is pinned). */
  skipped: FetchedFile[];
  /** Files that failed; the others were still attempted. */
  failed: FailedFile[];
}

/** Progress events, in order: `start`, `progress`…, then `done` or `failed` (with `retry` between attempts). */
export type FetchProgress =
  | {
    type: "start";
    path: string;
    url: string;
    /** 0-based position of the file in the list. */
    index: number;
    /** Number of files in the list. */
    count: number;
  }
  | {
    type: "progress";
    path: string;
    /** Bytes of the file on disk so far, resumed bytes included. */
    bytes: number;
    /** Full size, when the server said it. */
    total: number | undefined;
  }
  | {
    type: "retry";
    path: string;
    /** The attempt that failed (1-based). */
    attempt: number;
    /** How long the next attempt waits. */
    delayMs: number;
    reason: string;
  }
  | { type: "done"; path: string; status: "downloaded" | "skipped"; file: FetchedFile }
  | { type: "failed"; path: string; error: FetchError };

/** Options for {@linkcode fetchFiles}. */
export interface FetchFilesOptions {
  /**
   * Base URL of a mirror in FastChat's data layout: each URL becomes `<mirror>/<path>`.
   * @default {undefined}
   */
  mirror?: string | undefined;
  /**
   * Download even when the file is present (and drop any `.part` left by an earlier run).
   * @default {false}
   */
  force?: boolean;
  /**
   * Suffix of the file a download goes to until it is complete and verified
   * (`.incomplete` for the Hugging Face cache's blobs).
   * @default {".part"}
   */
  partSuffix?: string;
  /**
   * Retries after the first attempt, for 5xx, 429, timeouts and broken connections.
   * @default {4}
   */
  retries?: number;
  /**
   * Backoff before the first retry; it doubles each time, with jitter (×0.5–1).
   * @default {1000}
   */
  retryDelayMs?: number;
  /**
   * Upper bound on any wait, `Retry-After` included.
   * @default {60000}
   */
  maxRetryDelayMs?: number;
  /**
   * How long to wait for the response headers.
   * @default {15000}
   */
  connectTimeoutMs?: number;
  /**
   * How long the body may stall between two chunks.
   * @default {60000}
   */
  idleTimeoutMs?: number;
  /**
   * Where sha256 values of downloaded files are recorded, relative to the root; `false` for nowhere.
   * @default {".llm-judge-fetch.json"}
   */
  recordFile?: string | false;
  /**
   * The `fetch` to use (tests inject one).
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * Waits between attempts (tests inject one).
   * @default {setTimeout}
   */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Source of jitter in [0, 1).
   * @default {Math.random}
   */
  random?: () => number;
  /**
   * Receives progress events; the library itself prints nothing.
   * @default {undefined}
   */
  onProgress?: ((event: FetchProgress) => void) | undefined;
}

/** Default name of the file, under the root, where computed sha256 values are recorded. */
export const FETCH_RECORD_FILE = ".llm-judge-fetch.json";

const OFFLINE_HINT =
  "Offline? Point the tools at a local copy with --data-dir DIR or LLM_JUDGE_DATA=DIR " +
  "(e.g. ../shared/data), or use --mirror URL.";

/**
 * Downloads files into a root directory, one after the other.
 *
 * Each file goes to `<path>.part` first and is renamed into place only once its
 * size and (when pinned) sha256 are right, so a bad download never sits at the
 * final path. A `.part` left by a broken connection or an earlier run is resumed
 * with `Range: bytes=N-` (appended on 206, restarted on 200). 5xx, 429, timeouts
 * and broken connections are retried with exponential backoff and jitter,
 * honouring `Retry-After`; other error statuses fail the file at once. Files
 * already present are skipped when their checksum matches, or when none is
 * pinned (unless `force`). The sha256 of every file in place is recorded in
 * `<root>/.llm-judge-fetch.json`, so unpinned ones can be pinned.
 *
 * Failed files are listed in the report and the rest are still attempted. When
 * the first connection to a host fails (DNS, refused, unreachable, timeout),
 * the run stops at once with a {@linkcode FetchError} of kind `offline` whose
 * message says how to use a local copy instead.
 *
 * @example Download one file from a server started here
 * ```ts
 * import assert from "node:assert/strict";
 * import { fetchFiles } from "./fetch_files.ts";
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("hi\n"));
 * const root = await Deno.makeTempDir();
 * const report = await fetchFiles([
 *   {
 *     path: "a/b.txt",
 *     url: `http://127.0.0.1:${server.addr.port}/b.txt`,
 *     sha256: "98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4",
 *   },
 * ], root);
 * await server.shutdown();
 * assert.equal(report.downloaded.length, 1);
 * assert.equal(Deno.readTextFileSync(`${root}/a/b.txt`), "hi\n");
 * ```
 */
export async function fetchFiles(
  entries: readonly FetchEntry[],
  root: string,
  options: FetchFilesOptions = {},
): Promise<FetchReport> {
  for (const entry of entries) checkEntry(entry);
  const retries = options.retries ?? 4;
  if (!Number.isInteger(retries) || retries < 0) {
    throw new RangeError(`Invalid retries ${retries}: expected a whole number >= 0`);
  }
  const mirror = options.mirror;
  if (mirror !== undefined && !/^https?:\/\//i.test(mirror)) {
    throw new TypeError(`Invalid mirror "${mirror}": expected an http:// or https:// URL`);
  }
  const context: Context = {
    root,
    force: options.force ?? false,
    partSuffix: options.partSuffix ?? ".part",
    attempts: retries + 1,
    retryDelayMs: options.retryDelayMs ?? 1000,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    fetch: options.fetch ?? globalThis.fetch,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    emit: options.onProgress ?? (() => {}),
    reachedHosts: new Set(),
  };
  const report: FetchReport = { downloaded: [], skipped: [], failed: [] };
  try {
    for (const [index, entry] of entries.entries()) {
      const url = mirror === undefined ? entry.url : mirrorUrl(mirror, entry.path);
      context.emit({ type: "start", path: entry.path, url, index, count: entries.length });
      try {
        const present = await presentFile(context, entry, url);
        if (present !== undefined) {
          report.skipped.push(present);
          context.emit({ type: "done", path: entry.path, status: "skipped", file: present });
          continue;
        }
        const file = await download(context, entry, url);
        report.downloaded.push(file);
        context.emit({ type: "done", path: entry.path, status: "downloaded", file });
      } catch (error) {
        if (!(error instanceof FetchError)) throw error;
        context.emit({ type: "failed", path: entry.path, error });
        if (error.kind === "offline") throw error;
        report.failed.push({ path: entry.path, url, error });
      }
    }
  } finally {
    const recordFile = options.recordFile ?? FETCH_RECORD_FILE;
    if (recordFile !== false) {
      await writeRecord(join(root, recordFile), [...report.downloaded, ...report.skipped]);
    }
  }
  return report;
}

interface Context {
  root: string;
  force: boolean;
  partSuffix: string;
  attempts: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  emit: (event: FetchProgress) => void;
  /** Hosts that have answered at least once in this run. */
  reachedHosts: Set<string>;
}

function checkEntry(entry: FetchEntry): void {
  const segments = entry.path.split("/");
  if (
    entry.path.includes("\\") ||
    segments.some((segment) => segment === "" || segment === "." || segment === "..")
  ) {
    throw new TypeError(
      `Invalid path "${entry.path}": expected a relative path with "/" separators and no "." or ".." parts`,
    );
  }
  if (entry.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(entry.sha256)) {
    throw new TypeError(
      `Invalid sha256 "${entry.sha256}" for "${entry.path}": expected 64 lowercase hex digits`,
    );
  }
}

function mirrorUrl(mirror: string, path: string): string {
  const base = mirror.replace(/\/+$/, "");
  return `${base}/${path.split("/").map(encodeURIComponent).join("/")}`;
}

function targetPath(context: Context, entry: FetchEntry): string {
  return join(context.root, ...entry.path.split("/"));
}

/** The file at the final path, if it may be kept. */
async function presentFile(
  context: Context,
  entry: FetchEntry,
  url: string,
): Promise<FetchedFile | undefined> {
  if (context.force) return undefined;
  const target = targetPath(context, entry);
  let digest: { sha256: string; bytes: number };
  try {
    digest = await sha256File(target);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (entry.sha256 !== undefined && digest.sha256 !== entry.sha256) return undefined;
  return { path: entry.path, url, ...digest, pinned: entry.sha256 !== undefined };
}

/** Thrown inside one attempt for failures that another attempt may fix. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly delayMs: number | undefined,
    readonly error: FetchError,
  ) {
    super(message);
  }
}

/** A network failure worth another attempt, wrapping the error reported if attempts run out. */
function networkFailure(
  entry: FetchEntry,
  url: string,
  reason: string,
  cause?: unknown,
): Retryable {
  return new Retryable(
    reason,
    undefined,
    new FetchError(`Cannot download "${entry.path}" from ${url}: ${reason}`, {
      kind: "network",
      path: entry.path,
      url,
    }, cause === undefined ? undefined : { cause }),
  );
}

async function download(context: Context, entry: FetchEntry, url: string): Promise<FetchedFile> {
  const target = targetPath(context, entry);
  const part = `${target}${context.partSuffix}`;
  await Deno.mkdir(dirname(target), { recursive: true });
  if (context.force) await removeIfPresent(part);
  let restartedAfterMismatch = false;
  for (let attempt = 1;; attempt++) {
    try {
      const resumed = await attemptDownload(context, entry, url, part);
      const digest = await sha256File(part);
      if (entry.sha256 !== undefined && digest.sha256 !== entry.sha256) {
        await removeIfPresent(part);
        const error = new FetchError(
          `Checksum mismatch for "${entry.path}" from ${url}: expected sha256 ${entry.sha256}, ` +
            `got ${digest.sha256} (${digest.bytes} bytes). The download was deleted; if upstream ` +
            `changed on purpose, pin the new value in lib/data/upstream_files.ts.`,
          {
            kind: "checksum",
            path: entry.path,
            url,
            expected: entry.sha256,
            actual: digest.sha256,
          },
        );
        // A stale `.part` from another version of the file: start over once.
        if (resumed && !restartedAfterMismatch && attempt < context.attempts) {
          restartedAfterMismatch = true;
          throw new Retryable("resumed file failed its checksum; restarting", 0, error);
        }
        throw error;
      }
      await Deno.rename(part, target);
      return { path: entry.path, url, ...digest, pinned: entry.sha256 !== undefined };
    } catch (error) {
      if (!(error instanceof Retryable)) throw error;
      if (attempt >= context.attempts) throw error.error;
      const delayMs = error.delayMs ??
        backoffDelay(attempt, {
          baseMs: context.retryDelayMs,
          maxMs: context.maxRetryDelayMs,
          random: context.random,
        });
      context.emit({ type: "retry", path: entry.path, attempt, delayMs, reason: error.message });
      if (delayMs > 0) await context.sleep(delayMs);
    }
  }
}

/**
 * One request: appends to (or restarts) `part` and returns whether the file was
 * assembled from an earlier partial download. Throws {@linkcode Retryable} or FetchError.
 */
async function attemptDownload(
  context: Context,
  entry: FetchEntry,
  url: string,
  part: string,
): Promise<boolean> {
  const offset = await fileSize(part);
  const host = hostOf(url);
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
  };
  try {
    const headers: Record<string, string> = { "accept-encoding": "identity" };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    arm(context.connectTimeoutMs);
    let response: Response;
    try {
      response = await context.fetch(url, { headers, signal: controller.signal });
    } catch (error) {
      const reason = timedOut
        ? `no response within ${context.connectTimeoutMs} ms`
        : networkReason(error);
      if (!context.reachedHosts.has(host)) {
        throw new FetchError(`Cannot reach ${host} (${reason}). ${OFFLINE_HINT}`, {
          kind: "offline",
          path: entry.path,
          url,
        }, { cause: error });
      }
      throw networkFailure(entry, url, reason, error);
    }
    context.reachedHosts.add(host);
    arm(context.idleTimeoutMs);

    let start: number;
    let total: number | undefined;
    const length = headerNumber(response, "content-length");
    if (response.status === 206 && offset > 0) {
      const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
      if (range === null || Number(range[1]) !== offset) {
        await response.body?.cancel();
        await removeIfPresent(part);
        throw new Retryable(
          `unexpected Content-Range "${response.headers.get("content-range")}" for a resume at ` +
            `byte ${offset}; restarting`,
          0,
          httpError(entry, url, response),
        );
      }
      start = offset;
      total = range[2] === "*" ? undefined : Number(range[2]);
    } else if (response.status === 200) {
      start = 0;
      total = length;
    } else if (response.status === 416 && offset > 0) {
      await response.body?.cancel();
      await removeIfPresent(part);
      throw new Retryable(
        `server refused a resume at byte ${offset}; restarting`,
        0,
        httpError(entry, url, response),
      );
    } else {
      await response.body?.cancel();
      const error = httpError(entry, url, response);
      if (response.status === 429 || response.status >= 500) {
        throw new Retryable(
          `HTTP ${response.status}`,
          cappedRetryAfter(response, context.maxRetryDelayMs),
          error,
        );
      }
      throw error;
    }
    if (response.body === null) {
      throw networkFailure(entry, url, "empty response body");
    }
    if (response.headers.has("content-encoding")) total = undefined;

    let bytes = start;
    const file = await Deno.open(part, {
      write: true,
      create: true,
      append: start > 0,
      truncate: start === 0,
    });
    const reader = response.body.getReader();
    try {
      // Written chunk by chunk, so what reached the disk is known when the connection breaks.
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let written = 0; written < value.byteLength;) {
          written += await file.write(value.subarray(written));
        }
        bytes += value.byteLength;
        arm(context.idleTimeoutMs);
        context.emit({ type: "progress", path: entry.path, bytes, total });
      }
    } catch (error) {
      if (!(error instanceof TypeError) && !timedOut) throw error;
      await reader.cancel().catch(() => {});
      const reason = timedOut
        ? `no data for ${context.idleTimeoutMs} ms after byte ${bytes}`
        : `connection broke off after byte ${bytes} (${networkReason(error)})`;
      throw networkFailure(entry, url, reason, error);
    } finally {
      file.close();
    }
    if (total !== undefined && bytes !== total) {
      const reason = `got ${bytes} of ${total} bytes`;
      if (bytes > total) await removeIfPresent(part);
      throw new Retryable(
        reason,
        undefined,
        new FetchError(`Cannot download "${entry.path}" from ${url}: ${reason}`, {
          kind: "network",
          path: entry.path,
          url,
        }),
      );
    }
    return start > 0;
  } finally {
    clearTimeout(timer);
  }
}

function httpError(entry: FetchEntry, url: string, response: Response): FetchError {
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  const hint = response.status === 404 || response.status === 403 || response.status === 401
    ? " (check the URL, or the mirror's layout)"
    : "";
  return new FetchError(`Cannot download "${entry.path}" from ${url}: ${status}${hint}`, {
    kind: "http",
    path: entry.path,
    url,
    status: response.status,
  });
}

/** The server's `Retry-After`, no longer than `maxMs`. */
function cappedRetryAfter(response: Response, maxMs: number): number | undefined {
  const ms = retryAfterMs(response.headers);
  return ms === undefined ? undefined : Math.min(maxMs, ms);
}

function headerNumber(response: Response, name: string): number | undefined {
  const value = response.headers.get(name);
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The useful tail of a fetch error, e.g. "tcp connect error: Connection refused (os error 111)". */
function networkReason(error: unknown): string {
  // Deno says "fetch failed" and keeps the details in `cause`.
  let deepest = error;
  while (deepest instanceof Error && deepest.cause instanceof Error) deepest = deepest.cause;
  const message = deepest instanceof Error ? deepest.message : String(deepest);
  return message.split(": ").slice(-2).join(": ") || "network error";
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

interface RecordEntry {
  url: string;
  sha256: string;
  bytes: number;
  pinned: boolean;
  recorded_at: string;
}

/** Merges the files into the record file, keeping entries of other files. */
async function writeRecord(path: string, files: FetchedFile[]): Promise<void> {
  if (files.length === 0) return;
  let record: { files: Record<string, RecordEntry> } = { files: {} };
  try {
    const parsed: unknown = JSON.parse(await Deno.readTextFile(path));
    if (
      typeof parsed === "object" && parsed !== null && "files" in parsed &&
      typeof parsed.files === "object" && parsed.files !== null
    ) {
      record = parsed as typeof record;
    }
  } catch {
    // Missing or unreadable: start a new record.
  }
  const now = new Date().toISOString();
  for (const file of files) {
    const previous = record.files[file.path];
    const same = previous?.sha256 === file.sha256;
    record.files[file.path] = {
      url: file.url,
      sha256: file.sha256,
      bytes: file.bytes,
      pinned: file.pinned,
      recorded_at: same && previous !== undefined ? previous.recorded_at : now,
    };
  }
  const sorted = Object.fromEntries(
    Object.entries(record.files).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0),
  );
  await writeTextFileAtomic(path, JSON.stringify({ files: sorted }, null, 2) + "\n");
}
