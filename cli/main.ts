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
import { fetchDataCommand } from "./fetch_data.ts";
import { agreeCommand } from "./agree.ts";
import { demoCommand } from "./demo.ts";
import { showCommand } from "./show.ts";
import { judgeCommand } from "./judge.ts";
import { genCommand } from "./gen.ts";
import { genApiCommand } from "./gen_api.ts";
import { serveCommand } from "./serve.ts";
import { plotCommand } from "./plot.ts";
import { browseCommand } from "./browse.ts";

const COMMANDS: Command[] = [
  fetchDataCommand,
  agreeCommand,
  showCommand,
  genCommand,
  genApiCommand,
  serveCommand,
  judgeCommand,
  demoCommand,
  plotCommand,
  browseCommand,
];

/** Registers the subcommands; kept in one list so `--help` shows them all. */
export function commands(): readonly Command[] {
  return COMMANDS;
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
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
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    console.error(`llm-judge: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return await runCommand(command, rest);
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
