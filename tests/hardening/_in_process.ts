// deno-lint-ignore-file no-console
// Runs the CLI in this process with its console output captured: many cases per
// test process, no subprocess start-up per case.
import { main } from "../../cli/main.ts";

/** Exit code and captured output of one in-process CLI call. */
export interface InProcessResult {
  /** The exit code `main` returned. */
  code: number;
  /** What went to console.log / console.info. */
  stdout: string;
  /** What went to console.error / console.warn. */
  stderr: string;
}

/** Runs `main(args)` with console output captured; an exception escaping `main` is rethrown. */
export async function runInProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<InProcessResult> {
  const saved = {
    log: console.log,
    info: console.info,
    error: console.error,
    warn: console.warn,
  };
  const savedEnv = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(env)) {
    savedEnv.set(name, Deno.env.get(name));
    if (value === undefined) Deno.env.delete(name);
    else Deno.env.set(name, value);
  }
  const out: string[] = [];
  const err: string[] = [];
  const join = (values: unknown[]) =>
    values.map((value) => (typeof value === "string" ? value : Deno.inspect(value))).join(" ");
  console.log = (...values: unknown[]) => void out.push(join(values));
  console.info = console.log;
  console.error = (...values: unknown[]) => void err.push(join(values));
  console.warn = console.error;
  try {
    const code = await main(args);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    Object.assign(console, saved);
    for (const [name, value] of savedEnv) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
}
