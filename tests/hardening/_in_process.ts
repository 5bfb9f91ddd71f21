// Runs the CLI in this process with its console output captured: many cases per
// test process, no subprocess start-up per case.
import { main } from "../../cli/main.ts";
import { Collector } from "../_helpers.ts";

/** Exit code and captured output of one in-process CLI call. */
export interface InProcessResult {
  /** The exit code `main` returned. */
  code: number;
  /** What went to console.log / console.info. */
  stdout: string;
  /** What went to console.error / console.warn. */
  stderr: string;
}

/**
 * Runs `main(args)` with its output captured and `env` on top of the process's
 * environment; an exception escaping `main` is rethrown. The variables go
 * through `main`'s io, not `Deno.env`: the test files run in parallel workers
 * of one process, and setting and restoring `Deno.env` from several of them
 * at once could leave another file's value (e.g. a removed data root) behind.
 */
export async function runInProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<InProcessResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await main(args, { env, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
