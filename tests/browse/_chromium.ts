/** Launches Debian's Chromium through playwright-core for the browser tests and benchmarks. */
import { type Browser, chromium } from "npm:playwright-core@1.65.1";

/** The Chromium binary: `LLM_JUDGE_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH: string = Deno.env.get("LLM_JUDGE_CHROMIUM") ?? "/usr/bin/chromium";

/**
 * Flags for a headless run in a container: no sandbox (no user namespaces in
 * CI), no GPU, no background traffic, `/tmp` instead of a small `/dev/shm`.
 * playwright-core adds `--headless` and a fresh temporary profile
 * (`--user-data-dir`) itself on every launch.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-dev-shm-usage",
];

/** Starts Chromium over a pipe; fails with a clear message when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  try {
    const info = await Deno.stat(CHROMIUM_PATH);
    if (!info.isFile) throw new Error("not a file");
  } catch (error) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH} (${(error as Error).message}): the browser tests ` +
        `need it. Install Debian's package (apt-get install -y chromium; .ci/run does this) ` +
        `or set LLM_JUDGE_CHROMIUM to a Chromium or Chrome binary.`,
    );
  }
  return await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
    timeout: 60_000,
  });
}
