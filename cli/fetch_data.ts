// deno-lint-ignore-file no-console
/**
 * `llm-judge fetch-data`: downloads the upstream MT-Bench files into the data root.
 * @module
 */
import { join, resolve } from "node:path";
import { type Command, listOption, parseCommandArgs, UsageError } from "./_command.ts";
import { isTerminal, stderr, writeAll } from "./_io.ts";
import { resolveRoots } from "../lib/data/data_root.ts";
import { FetchError } from "../lib/data/fetch_error.ts";
import {
  FETCH_RECORD_FILE,
  type FetchedFile,
  fetchFiles,
  type FetchProgress,
  type FetchReport,
} from "../lib/data/fetch_files.ts";
import {
  UPSTREAM_FILES,
  UPSTREAM_GROUPS,
  type UpstreamFile,
  type UpstreamGroup,
} from "../lib/data/upstream_files.ts";

const HELP = `Usage: llm-judge fetch-data [options]

Downloads the upstream MT-Bench files into the data root, in FastChat's
fastchat/llm_judge/data/ layout. Files are verified against pinned sha256
checksums where known; for the others the computed sha256 is printed and
recorded in <data root>/${FETCH_RECORD_FILE}. Interrupted downloads resume from
<file>.part; files already present (and verified) are skipped.

Groups:
  fastchat   judge prompts, MT-Bench and Vicuna-Bench questions and GPT-4
             references (lm-sys/FastChat on GitHub, pinned commit)
  answers    the 31 pre-generated MT-Bench answers (HF space lmsys/mt-bench)
  judgments  gpt-4_single.jsonl and gpt-4_pair.jsonl (HF space lmsys/mt-bench)
  human      human and gpt4_pair splits of lmsys/mt_bench_human_judgments (parquet)
  de         German MT-Bench and multilingual judge prompts (ServiceNow/FastChat)

Options:
  --data-dir DIR     destination root (default: LLM_JUDGE_DATA, then ./data)
  --only G[,G]       only these groups (default: all)
  --mirror URL       fetch every file from URL/<path> instead (a directory in
                     FastChat's data layout served over HTTP)
  --force            download again even when a file is present
  --retries N        retries per file for 5xx, 429 and broken connections (default 4)
  --list             print the files, their URLs and checksums; no network
  -h, --help         show this help

Offline? Point the other commands at a local copy instead:
  --data-dir DIR or LLM_JUDGE_DATA=DIR (e.g. ../shared/data).`;

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  "data-dir": { type: "string" },
  only: { type: "string", multiple: true },
  mirror: { type: "string" },
  force: { type: "boolean" },
  retries: { type: "string" },
  list: { type: "boolean" },
} as const;

/** The `fetch-data` command. */
export const fetchDataCommand: Command = {
  name: "fetch-data",
  help: HELP,
  run: runFetchData,
};

async function runFetchData(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  const groups = parseGroups(values.only);
  const files = UPSTREAM_FILES.filter((file) => groups.includes(file.group));
  if (values.list) {
    printList(files);
    return 0;
  }
  const retries = parseRetries(values.retries);
  const mirror = parseMirror(values.mirror);
  const root = resolveRoots({ dataDir: values["data-dir"] }).data;
  const progress = new ProgressPrinter(isTerminal(stderr()));
  console.error(
    `Fetching ${files.length} file(s) into ${resolve(root)}` +
      (mirror === undefined ? "" : ` from mirror ${mirror}`),
  );
  let report: FetchReport;
  try {
    report = await fetchFiles(files, root, {
      mirror,
      force: values.force ?? false,
      retries,
      onProgress: (event) => progress.handle(event),
    });
  } catch (error) {
    progress.clear();
    if (!(error instanceof FetchError) || error.kind !== "offline") throw error;
    console.error(`llm-judge fetch-data: ${error.message}`);
    console.error(
      `Stopped: ${progress.downloaded} downloaded, ${progress.skipped} skipped, ` +
        `${files.length - progress.downloaded - progress.skipped} not fetched.`,
    );
    return 1;
  }
  progress.clear();
  printSummary(report, root);
  return report.failed.length === 0 ? 0 : 1;
}

function parseGroups(value: string[] | undefined): UpstreamGroup[] {
  const names = listOption(value);
  if (names === undefined) return [...UPSTREAM_GROUPS];
  for (const name of names) {
    if (!(UPSTREAM_GROUPS as readonly string[]).includes(name)) {
      throw new UsageError(
        `Invalid --only group "${name}": expected one of ${UPSTREAM_GROUPS.join(", ")}`,
      );
    }
  }
  return names as UpstreamGroup[];
}

function parseRetries(value: string | undefined): number {
  if (value === undefined) return 4;
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`Invalid --retries "${value}": expected a whole number >= 0`);
  }
  return Number(value);
}

function parseMirror(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL("file:///");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `Invalid --mirror "${value}": expected an http:// or https:// URL ` +
        `(for a local copy, pass --data-dir DIR to the other commands instead)`,
    );
  }
  return value;
}

function printList(files: readonly UpstreamFile[]): void {
  for (const file of files) {
    console.log(`${file.group}\t${file.path}\t${file.url}\t${file.sha256 ?? "not pinned"}`);
  }
}

function printSummary(report: FetchReport, root: string): void {
  const unpinned = [...report.downloaded, ...report.skipped].filter((file) => !file.pinned);
  if (unpinned.length > 0) {
    console.log(`Not pinned (sha256 recorded in ${join(root, FETCH_RECORD_FILE)}):`);
    for (const file of unpinned) console.log(`  ${file.sha256}  ${file.path}`);
  }
  if (report.failed.length > 0) {
    console.error("Failed:");
    for (const failure of report.failed) console.error(`  ${failure.error.message}`);
  }
  console.log(
    `fetch-data: ${report.downloaded.length} downloaded, ${report.skipped.length} skipped, ` +
      `${report.failed.length} failed (data root ${resolve(root)})`,
  );
}

/** Draws a one-line progress bar on a terminal, or plain lines otherwise. */
class ProgressPrinter {
  downloaded = 0;
  skipped = 0;
  #tty: boolean;
  #encoder = new TextEncoder();
  #label = "";
  #started = 0;
  #startBytes: number | undefined;
  #lastDraw = 0;
  #drawn = false;

  constructor(tty: boolean) {
    this.#tty = tty;
  }

  handle(event: FetchProgress): void {
    switch (event.type) {
      case "start": {
        const width = String(event.count).length;
        this.#label = `[${String(event.index + 1).padStart(width)}/${event.count}] ${event.path}`;
        this.#started = performance.now();
        this.#startBytes = undefined;
        this.#lastDraw = 0;
        return;
      }
      case "progress": {
        this.#startBytes ??= event.bytes;
        const now = performance.now();
        if (!this.#tty || (now - this.#lastDraw < 100 && event.bytes !== event.total)) return;
        this.#lastDraw = now;
        this.#draw(this.#bar(event.bytes, event.total, now));
        return;
      }
      case "retry":
        this.#line(
          `  retry ${event.path}: ${event.reason}; attempt ${event.attempt + 1} in ` +
            `${(event.delayMs / 1000).toFixed(1)} s`,
        );
        return;
      case "done":
        if (event.status === "downloaded") this.downloaded++;
        else this.skipped++;
        this.#line(`${this.#label}  ${event.status}, ${describe(event.file)}`);
        return;
      case "failed":
        this.#line(
          `${this.#label}  FAILED (${
            event.error.status === undefined ? event.error.kind : `HTTP ${event.error.status}`
          })`,
        );
        return;
    }
  }

  /** Removes the bar, if one is drawn. */
  clear(): void {
    if (this.#drawn) this.#write("\r\x1b[K");
    this.#drawn = false;
  }

  #bar(bytes: number, total: number | undefined, now: number): string {
    const seconds = (now - this.#started) / 1000;
    const rate = seconds >= 0.2
      ? `  ${formatBytes((bytes - (this.#startBytes ?? 0)) / seconds)}/s`
      : "";
    const size = total === undefined
      ? formatBytes(bytes)
      : `${formatBytes(bytes)}/${formatBytes(total)}`;
    let tail = `  ${size}${rate}`;
    if (total !== undefined && total > 0) {
      const fraction = Math.min(1, bytes / total);
      const filled = Math.round(fraction * 20);
      const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
      tail = `  [${"#".repeat(filled)}${"-".repeat(20 - filled)}] ${percent}${tail}`;
    }
    // Keep the bar whole on a narrow terminal: shorten the path from the left.
    const room = Math.max(10, terminalColumns() - 1 - tail.length);
    const label = this.#label.length <= room ? this.#label : `…${this.#label.slice(-(room - 1))}`;
    return `${label}${tail}`;
  }

  #draw(text: string): void {
    this.#write(`\r\x1b[K${text}`);
    this.#drawn = true;
  }

  #line(text: string): void {
    this.clear();
    console.error(text);
  }

  #write(text: string): void {
    writeAll(stderr(), this.#encoder.encode(text));
  }
}

function describe(file: FetchedFile): string {
  const checksum = file.pinned ? "sha256 verified" : `sha256 ${file.sha256} (not pinned)`;
  return `${formatBytes(file.bytes)}, ${checksum}`;
}

function terminalColumns(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 100;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
