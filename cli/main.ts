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
 * The subcommands, in `--help` order, each with its line of the command list.
 * A command's module is imported only when the command runs, so `show` does
 * not pay for loading (or installing) the judge client, the ONNX backend, the
 * plot renderer or the browser server, and `--help` loads none of them (see
 * `load`: literal `import("./x.ts")` specifiers would be loaded, npm packages
 * included, when the program starts).
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  "fetch-data": {
    summary: "download the upstream MT-Bench data files (with checksums) into the data root",
    load: async () =>
      (await load<typeof import("./fetch_data.ts")>("./fetch_data.ts")).fetchDataCommand,
  },
  agree: {
    summary: "agreement between judges (GPT-4 pair, humans, judgment files)",
    load: async () => (await load<typeof import("./agree.ts")>("./agree.ts")).agreeCommand,
  },
  calibrate: {
    summary: "measure a judge against the MT-Bench human experts",
    load: async () =>
      (await load<typeof import("./calibrate.ts")>("./calibrate.ts")).calibrateCommand,
  },
  audit: {
    summary: "biases of a judge's run: position, length, self-preference, errors",
    load: async () => (await load<typeof import("./audit.ts")>("./audit.ts")).auditCommand,
  },
  show: {
    summary: "mean scores or win rates of a judgment file (show_result.py)",
    load: async () => (await load<typeof import("./show.ts")>("./show.ts")).showCommand,
  },
  gen: {
    summary: "answer questions with a local ONNX model (FastChat gen_model_answer)",
    load: async () => (await load<typeof import("./gen.ts")>("./gen.ts")).genCommand,
  },
  "gen-api": {
    summary: "answer questions through OpenAI-compatible APIs (FastChat gen_api_answer)",
    load: async () => (await load<typeof import("./gen_api.ts")>("./gen_api.ts")).genApiCommand,
  },
  serve: {
    summary: "serve a local ONNX model as an OpenAI-compatible API",
    load: async () => (await load<typeof import("./serve.ts")>("./serve.ts")).serveCommand,
  },
  judge: {
    summary: "judge model answers with an LLM judge (FastChat gen_judgment)",
    load: async () => (await load<typeof import("./judge.ts")>("./judge.ts")).judgeCommand,
  },
  demo: {
    summary: "the paper's agreement table and win rates, from the data root",
    load: async () => (await load<typeof import("./demo.ts")>("./demo.ts")).demoCommand,
  },
  plot: {
    summary: "radar, win-rate, agreement or score charts (SVG, PNG, Vega-Lite)",
    load: async () => (await load<typeof import("./plot.ts")>("./plot.ts")).plotCommand,
  },
  browse: {
    summary: "QA browser: a local web page over questions, answers, judgments and votes",
    load: async () => (await load<typeof import("./browse.ts")>("./browse.ts")).browseCommand,
  },
};

function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((name) => name.length));
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name]!.summary}`);
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
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    console.error(`llm-judge: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return await runCommand(await command.load(), rest);
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
