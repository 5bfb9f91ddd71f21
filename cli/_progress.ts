/** The progress line of long runs (`judge`, `gen`, `gen-api`), on stderr. */
import { isTerminal, stderr, writeAll } from "./_io.ts";

/** What a progress line shows. */
export interface ProgressState {
  /** Units done (matches, questions). */
  done: number;
  /** Units in this run. */
  total: number;
  /** Of those, failed ones. */
  errors: number;
  /** Prompt (input) tokens so far. */
  promptTokens: number;
  /** Completion (output) tokens so far. */
  completionTokens: number;
  /** Estimated ms left. */
  etaMs: number | undefined;
  /** Dollars spent, when a price is known. */
  costUsd?: number | undefined;
  /** Extra text, e.g. a rate in completion tokens per second. */
  extra?: string | undefined;
}

/** A progress line: redrawn in place on a terminal, printed every 10% (or 30 s) otherwise. */
export interface ProgressBar {
  update(progress: ProgressState): void;
  /** Prints a message line (prefixed with the command name) without breaking the bar. */
  note(text: string): void;
  done(): void;
}

/** Creates a progress bar that prints through `say` and labels notes `llm-judge <command>:`. */
export function progressBar(say: (text: string) => void, command: string): ProgressBar {
  const err = stderr();
  const tty = isTerminal(err);
  const encoder = new TextEncoder();
  let last = 0;
  let lastPercent = -1;
  let drawn = false;
  const draw = (progress: ProgressState, force: boolean) => {
    const now = performance.now();
    const percent = progress.total === 0 ? 100 : Math.floor((progress.done / progress.total) * 100);
    if (!force && tty && now - last < 100) return;
    if (!tty && !force && percent - lastPercent < 10 && now - last < 30_000) return;
    last = now;
    lastPercent = percent;
    const width = 24;
    const filled = Math.round((percent / 100) * width);
    const text =
      `[${"#".repeat(filled)}${
        "-".repeat(width - filled)
      }] ${progress.done}/${progress.total} (${percent}%)` +
      ` err ${progress.errors} | ${tokenCounts(progress.promptTokens, progress.completionTokens)}` +
      (progress.extra === undefined ? "" : ` | ${progress.extra}`) +
      (progress.costUsd === undefined ? "" : ` | $${progress.costUsd.toFixed(4)}`) +
      ` | ETA ${progress.etaMs === undefined ? "?" : duration(progress.etaMs)}`;
    if (tty) {
      writeAll(err, encoder.encode(`\r\x1b[2K${text}`));
      drawn = true;
    } else say(text);
  };
  let current: ProgressState | undefined;
  return {
    update(progress: ProgressState) {
      current = progress;
      draw(progress, false);
    },
    note(text: string) {
      if (tty && drawn) writeAll(err, encoder.encode("\r\x1b[2K"));
      say(`llm-judge ${command}: ${text}`);
      if (current && tty) draw(current, true);
    },
    done() {
      if (current) draw(current, true);
      if (tty && drawn) writeAll(err, encoder.encode("\n"));
    },
  };
}

/**
 * The token counts, worded the same in the progress line and the summary of
 * every command: "12.3k prompt + 3.9k completion tokens".
 */
export function tokenCounts(prompt: number, completion: number): string {
  return `${compact(prompt)} prompt + ${compact(completion)} completion tokens`;
}

/** 1234 → "1.2k", 2500000 → "2.50M". */
export function compact(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}

/** Milliseconds as "42s", "3m05s" or "1h02m". */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
