// deno-lint-ignore-file no-console
/**
 * The `llm-judge` command line: one entry that dispatches subcommands.
 *
 * ```sh
 * deno task show --bench-name mt_bench --mode single
 * deno run -A cli/main.ts --help
 * ```
 * @module
 */
import { redactSecrets } from "../lib/http/redact.ts";
import { type Command, describeUnexpected, runCommand } from "./_command.ts";
import { type CliIo, withCliIo } from "./_io.ts";

export type { CliIo, CliWriter } from "./_io.ts";

/**
 * Imports a command module at run time. The specifier is computed on purpose:
 * Deno installs the npm packages of every module it can see from the entry
 * before running it, and a literal `import("./gen.ts")` would make `demo`
 * install ONNX Runtime. `typeof import()` keeps the module's type.
 */
function load<T>(path: string): Promise<T> {
  return import(new URL(path, import.meta.url).href);
}

/**
 * The subcommands, in `--help` order. Each module is imported only when its
 * command runs (or for `--help`), so `show` does not pay for loading (or
 * installing) the judge client, the ONNX backend, the plot renderer or the
 * browser server (see `load`: literal `import("./x.ts")` specifiers would be
 * loaded, npm packages included, when the program starts).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  "fetch-data": async () =>
    (await load<typeof import("./fetch_data.ts")>("./fetch_data.ts")).fetchDataCommand,
  agree: async () => (await load<typeof import("./agree.ts")>("./agree.ts")).agreeCommand,
  calibrate: async () =>
    (await load<typeof import("./calibrate.ts")>("./calibrate.ts")).calibrateCommand,
  audit: async () => (await load<typeof import("./audit.ts")>("./audit.ts")).auditCommand,
  show: async () => (await load<typeof import("./show.ts")>("./show.ts")).showCommand,
  gen: async () => (await load<typeof import("./gen.ts")>("./gen.ts")).genCommand,
  "gen-api": async () => (await load<typeof import("./gen_api.ts")>("./gen_api.ts")).genApiCommand,
  serve: async () => (await load<typeof import("./serve.ts")>("./serve.ts")).serveCommand,
  judge: async () => (await load<typeof import("./judge.ts")>("./judge.ts")).judgeCommand,
  demo: async () => (await load<typeof import("./demo.ts")>("./demo.ts")).demoCommand,
  plot: async () => (await load<typeof import("./plot.ts")>("./plot.ts")).plotCommand,
  browse: async () => (await load<typeof import("./browse.ts")>("./browse.ts")).browseCommand,
};

/** Loads every subcommand, in `--help` order. */
export async function commands(): Promise<Command[]> {
  return await Promise.all(Object.values(COMMANDS).map((load) => load()));
}

async function usage(): Promise<string> {
  const loaded = await commands();
  const width = Math.max(...loaded.map((command) => command.name.length));
  const lines = loaded.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    "llm-judge: MT-Bench generation, judging and analysis (a Deno port of FastChat llm_judge)",
    "",
    "Usage: llm-judge <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    'Run "llm-judge <command> --help" for the options of a command.',
    "Data root: --data-dir DIR, or LLM_JUDGE_DATA, default ./data.",
  ].join("\n");
}

type ConsoleMethod = "log" | "info" | "warn" | "error";

/**
 * Routes every console line of a run through {@linkcode redactSecrets}, so no
 * command prints a credential; returns the function that undoes it.
 */
function redactConsole(): () => void {
  const methods: ConsoleMethod[] = ["log", "info", "warn", "error"];
  const saved = methods.map((method) => console[method]);
  methods.forEach((method, index) => {
    const original = saved[index]!;
    console[method] = (...values: unknown[]) =>
      original(
        ...values.map((value) =>
          redactSecrets(typeof value === "string" ? value : Deno.inspect(value))
        ),
      );
  });
  return () => methods.forEach((method, index) => (console[method] = saved[index]!));
}

/**
 * Runs the CLI on the given arguments and returns the exit code; nothing it
 * prints holds a credential. With `io`, the run's console output, progress and
 * environment reads go through the given streams and variables (tests run
 * commands in-process this way).
 */
export function main(args: string[], io?: CliIo): Promise<number> {
  const run = async () => {
    const restore = redactConsole();
    try {
      return await dispatch(args);
    } finally {
      restore();
    }
  };
  return io === undefined ? run() : withCliIo(io, run);
}

async function dispatch(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(await usage());
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    console.error(`llm-judge: unknown command "${name}"\n\n${await usage()}`);
    return 2;
  }
  return await runCommand(await load(), rest);
}

if (import.meta.main) {
  // Nothing ends in an uncaught exception: a rejection no command awaited, or a
  // failure to load a command, is one line and exit 1 (the stack with LLM_JUDGE_DEBUG=1).
  const report = (error: unknown): never => {
    console.error(`llm-judge: ${describeUnexpected(error)}`);
    if (Deno.env.get("LLM_JUDGE_DEBUG") === "1" && error instanceof Error) {
      console.error(error.stack);
    }
    Deno.exit(1);
  };
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    report(event.reason);
  });
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (error) {
    code = report(error);
  }
  Deno.exit(code);
}
