/** Helpers shared by the tests. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CliWriter, main } from "../cli/main.ts";
import { tempPath } from "./_temp.ts";

/** Repository root. */
export const REPO_ROOT: string = fileURLToPath(new URL("..", import.meta.url));

/**
 * `--lock` for the `deno run` subprocesses of tests: deno.json sets no default
 * lockfile (see the README's Dependencies), and an unlocked run would resolve
 * npm packages afresh from the registry.
 */
export const LOCK_FLAG: string = `--lock=${join(REPO_ROOT, "deno.lock")}`;

/** The upstream data root: LLM_JUDGE_DATA, else ../shared/data beside the repo. */
export const SHARED_DATA: string = Deno.env.get("LLM_JUDGE_DATA") ??
  join(REPO_ROOT, "..", "shared", "data");

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

if (Deno.env.get("LLM_JUDGE_DATA") !== undefined && !isDirectory(SHARED_DATA)) {
  // Set but wrong: fail loudly rather than skip the FastChat-equivalence tests.
  throw new Error(`LLM_JUDGE_DATA=${SHARED_DATA} is not a folder; unset it to skip the tests`);
}

/**
 * Whether the upstream data root is absent (LLM_JUDGE_DATA unset and no
 * ../shared/data): then the tests that compare with FastChat's numbers on the
 * upstream files are skipped, and `deno task test` counts them as skipped.
 */
export const SHARED_DATA_MISSING: boolean = !isDirectory(SHARED_DATA);

/** Test options for a test on the upstream data: `Deno.test(name, onSharedData, fn)`. */
export const onSharedData: { ignore: boolean } = { ignore: SHARED_DATA_MISSING };

/** Writes text to a new temporary file and returns its path. */
export async function tempFile(text: string | Uint8Array, suffix = ".jsonl"): Promise<string> {
  const path = await tempPath({ prefix: "llm-judge-test-", suffix });
  if (typeof text === "string") await Deno.writeTextFile(path, text);
  else await Deno.writeFile(path, text);
  return path;
}

/** Result of running the CLI. */
export interface CliResult {
  /** The exit code. */
  code: number;
  /** Everything printed on stdout. */
  stdout: string;
  /** Everything printed on stderr. */
  stderr: string;
}

/** Collects what a command writes. */
export class Collector implements CliWriter {
  #chunks: Uint8Array[] = [];
  writeSync(bytes: Uint8Array): number {
    this.#chunks.push(bytes.slice());
    return bytes.length;
  }
  text(): string {
    const decoder = new TextDecoder();
    return this.#chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join("") +
      decoder.decode();
  }
}

/**
 * Runs the CLI in this process: `main(args)` with `env` on top of the
 * process's environment (`NO_COLOR=1` added) and its output collected. An
 * uncaught error becomes exit code 1 with the error on stderr, as in a
 * subprocess.
 */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  let code: number;
  try {
    code = await main(args, { env: { NO_COLOR: "1", ...env }, stdout, stderr });
  } catch (error) {
    const text = error instanceof Error ? error.stack ?? error.message : String(error);
    stderr.writeSync(new TextEncoder().encode(`error: Uncaught ${text}\n`));
    code = 1;
  }
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Runs `cli/main.ts` in a subprocess with `--allow-all`, for what only a real
 * process shows: exit codes through `Deno.exit`, permissions, signals.
 */
export async function runCliProcess(
  args: string[],
  env: Record<string, string> = {},
  permissions: string[] = ["--allow-all"],
): Promise<CliResult> {
  return await runDeno([
    "run",
    ...(permissions.some((flag) => flag.startsWith("--lock")) ? [] : [LOCK_FLAG]),
    ...permissions,
    join(REPO_ROOT, "cli", "main.ts"),
    ...args,
  ], env);
}

/** Where a spawned CLI's output goes (see {@linkcode spawnCli}). */
export interface SpawnCliOptions {
  /** Environment on top of the process's (`NO_COLOR=1` added). @default {{}} */
  env?: Record<string, string>;
  /** @default {"null"} */
  stdout?: "piped" | "null";
  /** @default {"null"} */
  stderr?: "piped" | "null";
}

/**
 * Starts `cli/main.ts` in a subprocess with `--allow-all` and the project's
 * lockfile, and leaves it running: for tests that talk to it (a server) or
 * kill it mid-run.
 */
export function spawnCli(args: string[], options: SpawnCliOptions = {}): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", LOCK_FLAG, "--allow-all", join(REPO_ROOT, "cli", "main.ts"), ...args],
    env: { NO_COLOR: "1", ...options.env },
    stdin: "null",
    stdout: options.stdout ?? "null",
    stderr: options.stderr ?? "null",
  }).spawn();
}

/**
 * Reads a stream (a server's stdout) until its first line has come, or it
 * ends; returns what was read and `stop`, which releases the stream (call it
 * before awaiting the process).
 */
export async function readFirstLine(
  stream: ReadableStream<Uint8Array>,
): Promise<{ text: string; stop: () => Promise<void> }> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  return { text, stop: () => reader.cancel() };
}

/**
 * Runs `deno <args>` from the repository root (`NO_COLOR=1` and `env` added,
 * no stdin) and collects its exit code and output.
 */
export async function runDeno(
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1", ...env },
    // Not the terminal of whoever runs the tests: judge and gen-api would wait for Enter.
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/**
 * Waits for `event` (e.g. a mock server seeing a request), or fails as soon as
 * `child` exits first: a child that failed early would leave the wait hanging.
 */
export async function beforeExit<T>(
  event: Promise<T>,
  child: Deno.ChildProcess,
  what: string,
): Promise<T> {
  const exited = child.status.then((status): never => {
    throw new Error(`the child process exited (code ${status.code}) before ${what}`);
  });
  return await Promise.race([event, exited]);
}
