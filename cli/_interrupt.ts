/**
 * Ctrl-C for the resumable runs (`judge`, `calibrate`, `gen`, `gen-api`): the
 * first SIGINT says what is kept and aborts the run's signal, so the run
 * stops after the records in flight are written; the caller resumes by
 * running the same command again.
 * @module
 */

/** A SIGINT handler in place until `dispose()`. */
export interface Interrupt {
  /** Aborted at the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** Removes the handler. */
  dispose(): void;
}

/**
 * Installs the handler: on SIGINT it prints
 * `llm-judge <command>: interrupted; <kept> so far are kept. Re-run to resume.`
 * and aborts `signal`.
 */
export function onInterrupt(say: (text: string) => void, command: string, kept: string): Interrupt {
  const controller = new AbortController();
  const onSignal = () => {
    say(`\nllm-judge ${command}: interrupted; ${kept} so far are kept. Re-run to resume.`);
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  return {
    signal: controller.signal,
    dispose: () => Deno.removeSignalListener("SIGINT", onSignal),
  };
}
