/**
 * FastChat's safety pause before a paid run: after the stats and the cost
 * estimate, wait for Enter when standard input is a terminal. `--yes` skips
 * it; without a terminal (CI, pipes) the run goes on after the estimate.
 * @module
 */

/**
 * Waits for Enter on a terminal; returns false when input ended (Ctrl-D)
 * instead, so the caller stops without doing anything.
 */
export async function confirmRun(
  yes: boolean,
  say: (text: string) => void,
  command: string,
): Promise<boolean> {
  if (yes) return true;
  if (!Deno.stdin.isTerminal()) {
    say(`llm-judge ${command}: standard input is not a terminal: going on without asking (--yes)`);
    return true;
  }
  say(`llm-judge ${command}: press Enter to start, Ctrl-C to stop (--yes skips this)`);
  const buffer = new Uint8Array(1);
  while (true) {
    const read = await Deno.stdin.read(buffer);
    if (read === null) {
      say(`llm-judge ${command}: no confirmation (end of input); nothing done`);
      return false;
    }
    if (buffer[0] === 10 || buffer[0] === 13) return true;
  }
}
