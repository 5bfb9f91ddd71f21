import { isTerminal, stdout, writeAll } from "./_io.ts";

/**
 * The width pandas fits a table to in a script, as Python's
 * `shutil.get_terminal_size()` finds it: `COLUMNS` when set, else the
 * terminal's width when standard output is one, else 80.
 */
export function terminalWidth(): number {
  const columns = Number(Deno.env.get("COLUMNS"));
  if (Number.isInteger(columns) && columns > 0) return columns;
  if (isTerminal(stdout())) {
    try {
      const width = Deno.consoleSize().columns;
      if (width > 0) return width;
    } catch {
      // Not a console after all: the fallback below.
    }
  }
  return 80;
}

/** Writes text to standard output, all of it. */
export function writeStdout(text: string): Promise<void> {
  writeAll(stdout(), new TextEncoder().encode(text));
  return Promise.resolve();
}
