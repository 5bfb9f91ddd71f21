// deno-lint-ignore-file no-console
/**
 * The CLI's input and output, swappable per call of `main()` so that tests run
 * commands in-process.
 *
 * Commands keep printing with `console.log`/`console.error` and reading
 * `Deno.env.get`: while {@linkcode withCliIo} runs, those calls, made anywhere
 * in the call's async context, go to the injected streams and environment.
 * The context is an `AsyncLocalStorage`, so two in-process runs at once do not
 * mix their output, and code outside a run (a test's loopback server) prints
 * as usual. Raw byte writes (progress bars, `agree`'s report) go through
 * {@linkcode stdout}/{@linkcode stderr} below.
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";

/** A byte sink, as `Deno.stdout` and `Deno.stderr` are. */
export interface CliWriter {
  /** Writes some of `bytes`; returns how many were written. */
  writeSync(bytes: Uint8Array): number;
  /** Whether this is a terminal (progress bars redraw in place). @default {false} */
  isTerminal?(): boolean;
}

/** What one `main()` call reads and writes instead of the process's own. */
export interface CliIo {
  /**
   * Environment variables seen by `Deno.env.get`, on top of the process's: a
   * name mapped to `undefined` reads as unset.
   * @default {{}}
   */
  env?: Record<string, string | undefined>;
  /** Where `console.log`/`console.info` and reports go. @default {Deno.stdout} */
  stdout?: CliWriter;
  /** Where `console.error`/`console.warn` and progress go. @default {Deno.stderr} */
  stderr?: CliWriter;
}

const storage = new AsyncLocalStorage<CliIo>();
const encoder = new TextEncoder();
let installed = false;

/** The output stream of the current run (the process's outside any). */
export function stdout(): CliWriter {
  return storage.getStore()?.stdout ?? Deno.stdout;
}

/** The error stream of the current run (the process's outside any). */
export function stderr(): CliWriter {
  return storage.getStore()?.stderr ?? Deno.stderr;
}

/** Whether a writer is a terminal. */
export function isTerminal(writer: CliWriter): boolean {
  return writer.isTerminal?.() ?? false;
}

/** Writes all of `bytes` to a writer. */
export function writeAll(writer: CliWriter, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += writer.writeSync(bytes.subarray(written));
}

/** Runs `fn` with its console and environment reads going through `io`. */
export function withCliIo<T>(io: CliIo, fn: () => Promise<T>): Promise<T> {
  install();
  return storage.run(io, fn);
}

/** Routes console output and `Deno.env` reads through the current run's `io`, once. */
function install(): void {
  if (installed) return;
  installed = true;
  const route = (
    original: (...data: unknown[]) => void,
    stream: (io: CliIo) => CliWriter | undefined,
  ) =>
  (...data: unknown[]) => {
    const io = storage.getStore();
    const writer = io === undefined ? undefined : stream(io);
    if (writer === undefined) original(...data);
    else writeAll(writer, encoder.encode(`${format(...data)}\n`));
  };
  console.log = route(console.log.bind(console), (io) => io.stdout);
  console.info = route(console.info.bind(console), (io) => io.stdout);
  console.error = route(console.error.bind(console), (io) => io.stderr);
  console.warn = route(console.warn.bind(console), (io) => io.stderr);

  const env = Deno.env;
  const get = env.get.bind(env);
  const has = env.has.bind(env);
  const toObject = env.toObject.bind(env);
  const injected = (name: string) => {
    const vars = storage.getStore()?.env;
    return vars !== undefined && Object.hasOwn(vars, name) ? { value: vars[name] } : undefined;
  };
  env.get = (name) => {
    const hit = injected(name);
    return hit === undefined ? get(name) : hit.value;
  };
  env.has = (name) => {
    const hit = injected(name);
    return hit === undefined ? has(name) : hit.value !== undefined;
  };
  env.toObject = () => {
    const vars = storage.getStore()?.env ?? {};
    const all: Record<string, string> = { ...toObject() };
    for (const [name, value] of Object.entries(vars)) {
      if (value === undefined) delete all[name];
      else all[name] = value;
    }
    return all;
  };
}
