// deno-lint-ignore-file no-console
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DataError } from "../lib/data/data_error.ts";
import { ModelLoadError } from "../lib/generate/model_load_error.ts";
import { HubError } from "../lib/hub/hub_error.ts";
import { BatchApiError } from "../lib/chat/batch/batch_api_error.ts";
import { redactSecrets } from "../lib/http/redact.ts";

/** A subcommand of the `llm-judge` CLI. */
export interface Command {
  name: string;
  /** Full `--help` text. */
  help: string;
  /** Runs the command; returns the exit code. */
  run(args: string[]): Promise<number>;
}

/** Raised for a bad command line; printed with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  "data-dir": { type: "string" },
  "output-dir": { type: "string" },
} as const satisfies Options;

/** Parses a command line strictly; unknown options are a UsageError. */
export function parseCommandArgs<T extends Options>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals, allowNegative: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Splits list options given either repeated or space/comma separated (FastChat's `nargs="+"`). */
export function listOption(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  const items = values.flatMap((item) => item.split(/[,\s]+/)).filter((item) => item.length > 0);
  return items.length === 0 ? undefined : items;
}

/** Collects the words after a list option up to the next `--flag`, so `--model-list a b c` works as in FastChat. */
export function expandListArgs(args: string[], listFlags: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    out.push(arg);
    if (listFlags.includes(arg)) {
      const values: string[] = [];
      while (index + 1 < args.length && !args[index + 1]!.startsWith("-")) {
        values.push(args[++index]!);
      }
      if (values.length > 0) out.push(values.join(","));
    }
  }
  return out;
}

/** Whether the arguments ask for help: `--help` or `-h` before any `--`. */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === "--") return false;
    if (arg === "--help" || arg === "-h") return true;
  }
  return false;
}

/**
 * Runs a command, turning known errors into messages and exit codes. `--help`
 * (or `-h`) anywhere before `--` prints the command's help and returns 0.
 */
export async function runCommand(command: Command, args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`llm-judge ${command.name}: ${error.message}`);
      console.error(`Run "llm-judge ${command.name} --help" for usage.`);
      return 2;
    }
    if (
      error instanceof DataError || error instanceof ModelLoadError || error instanceof HubError ||
      error instanceof BatchApiError
    ) {
      console.error(`llm-judge ${command.name}: ${error.message}`);
      return 1;
    }
    console.error(`llm-judge ${command.name}: ${describeUnexpected(error)}`);
    if (Deno.env.get("LLM_JUDGE_DEBUG") === "1" && error instanceof Error && error.stack) {
      console.error(error.stack);
    }
    return 1;
  }
}

/**
 * One line for an error no command handles itself: a file-system error keeps
 * Deno's text, which names the operation and the path (`readdir '/x'`); any
 * other error its class and message. Secrets are redacted.
 */
export function describeUnexpected(error: unknown): string {
  if (!(error instanceof Error)) return redactSecrets(`unexpected error: ${String(error)}`, []);
  const firstLine = error.message.split("\n")[0] ?? "";
  // Deno's file-system errors read "Not a directory (os error 20): readdir '/x'".
  const fs = /^(.*?) \(os error \d+\): (\w+) (.*)$/.exec(firstLine);
  const hint = Deno.env.get("LLM_JUDGE_DEBUG") === "1"
    ? ""
    : " (set LLM_JUDGE_DEBUG=1 for the stack)";
  if (fs !== null) return redactSecrets(`cannot ${fs[2]} ${fs[3]}: ${fs[1]}`, []);
  const kind = error.name === "Error" ? "error" : error.name;
  return redactSecrets(`${kind}: ${firstLine}${hint}`, []);
}

/** Checks that an option is one of its choices. */
export function oneOf<T extends string>(value: string, choices: readonly T[], flag: string): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(
      `${flag} must be one of ${choices.join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** Parses an integer option, optionally with a lower bound. */
export function integerOption(value: string | undefined, flag: string, minimum?: number): number {
  const number = value !== undefined && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || (minimum !== undefined && number < minimum)) {
    const what = minimum === undefined ? "an integer" : `an integer of at least ${minimum}`;
    throw new UsageError(`${flag} must be ${what}, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** Parses a positive number option (seconds, rates, prices). */
export function positiveOption(value: string | undefined, flag: string): number {
  const number = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new UsageError(`${flag} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** For `.catch()`: a RangeError from a library call (a bad option value) becomes a UsageError. */
export function rangeErrorAsUsage(error: unknown): never {
  if (error instanceof RangeError) throw new UsageError(error.message);
  throw error;
}

/**
 * `--price-input`/`--price-output` (USD per million tokens) as a price, or
 * undefined when neither is given; a missing one counts as 0.
 */
export function priceFrom(
  input: string | undefined,
  output: string | undefined,
): { input: number; output: number } | undefined {
  if (input === undefined && output === undefined) return undefined;
  const parse = (value: string | undefined, name: string) => {
    const number = Number(value ?? "0");
    if (!Number.isFinite(number) || number < 0) {
      throw new UsageError(`${name} must be a non-negative number, got ${JSON.stringify(value)}`);
    }
    return number;
  };
  return { input: parse(input, "--price-input"), output: parse(output, "--price-output") };
}
