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
import { type Command, runCommand } from "./_command.ts";

/**
 * The subcommands, in `--help` order. Each module is imported only when its
 * command runs (or for `--help`), so `show` does not pay for loading the judge
 * client, the ONNX backend, the plot renderer or the browser server. The
 * specifiers are computed on purpose: Deno loads the module graph of every
 * literal `import("./x.ts")` when the program starts (npm packages included),
 * which cost `show` about 120 ms of CPU before its first byte.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  "fetch-data": async () =>
    (await import(new URL("./fetch_data.ts", import.meta.url).href)).fetchDataCommand,
  agree: async () => (await import(new URL("./agree.ts", import.meta.url).href)).agreeCommand,
  show: async () => (await import(new URL("./show.ts", import.meta.url).href)).showCommand,
  gen: async () => (await import(new URL("./gen.ts", import.meta.url).href)).genCommand,
  "gen-api": async () =>
    (await import(new URL("./gen_api.ts", import.meta.url).href)).genApiCommand,
  serve: async () => (await import(new URL("./serve.ts", import.meta.url).href)).serveCommand,
  judge: async () => (await import(new URL("./judge.ts", import.meta.url).href)).judgeCommand,
  demo: async () => (await import(new URL("./demo.ts", import.meta.url).href)).demoCommand,
  plot: async () => (await import(new URL("./plot.ts", import.meta.url).href)).plotCommand,
  browse: async () => (await import(new URL("./browse.ts", import.meta.url).href)).browseCommand,
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

/** Runs the CLI on the given arguments and returns the exit code. */
export async function main(args: string[]): Promise<number> {
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
  Deno.exit(await main(Deno.args));
}
