/** Helpers shared by the tests. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root. */
export const REPO_ROOT: string = fileURLToPath(new URL("..", import.meta.url));

/** The upstream data root: LLM_JUDGE_DATA, else ../shared/data beside the repo. */
export const SHARED_DATA: string = Deno.env.get("LLM_JUDGE_DATA") ??
  join(REPO_ROOT, "..", "shared", "data");

/** Writes text to a new temporary file and returns its path. */
export async function tempFile(text: string | Uint8Array, suffix = ".jsonl"): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "llm-judge-test-", suffix });
  if (typeof text === "string") await Deno.writeTextFile(path, text);
  else await Deno.writeFile(path, text);
  return path;
}

/** Result of running the CLI as a subprocess. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cli/main.ts` with the given arguments in a subprocess. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", join(REPO_ROOT, "cli", "main.ts"), ...args],
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
