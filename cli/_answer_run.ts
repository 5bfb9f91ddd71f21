/**
 * What `gen` and `gen-api` share: the question slice, the answer file
 * (locked, resumed, reorganized at the end as FastChat's
 * `reorg_answer_file`), the progress line and the summary.
 * @module
 */
import { onInterrupt } from "./_interrupt.ts";
import { join } from "node:path";
import { layout, resolveRoots } from "../lib/data/data_root.ts";
import { parseAnswer } from "../lib/data/read_answers.ts";
import { readQuestions } from "../lib/data/read_questions.ts";
import { openRecordLog } from "../lib/data/record_log.ts";
import { OutputLockedError } from "../lib/data/output_locked_error.ts";
import type { ModelAnswer, Question, QuestionId } from "../lib/data/types.ts";
import {
  answerQuestions,
  type AnswerQuestionsOptions,
  type GenerationBackend,
  type GenerationProgress,
} from "../lib/generate/mod.ts";
import { formatRecordLine } from "../lib/judge/format_record_line.ts";
import { integerOption, UsageError } from "./_command.ts";
import { duration, progressBar, tokenCounts } from "./_progress.ts";

/** Options shared by `gen` and `gen-api`, as FastChat names them. */
export const ANSWER_OPTIONS = {
  "bench-name": { type: "string", default: "mt_bench" },
  "question-begin": { type: "string" },
  "question-end": { type: "string" },
  "answer-file": { type: "string" },
  "num-choices": { type: "string", default: "1" },
} as const;

/** The `ANSWER_OPTIONS` and root options of a parsed `gen`/`gen-api` command line. */
export interface AnswerTargetValues {
  "bench-name": string;
  "question-begin"?: string | undefined;
  "question-end"?: string | undefined;
  "answer-file"?: string | undefined;
  "data-dir"?: string | undefined;
  "output-dir"?: string | undefined;
}

/**
 * What to answer and where: the bench's questions sliced `[begin:end]` (FastChat's
 * `load_questions`) and the answer file (`--answer-file`, else
 * `<output>/<bench>/model_answer/<model-id>.jsonl`).
 */
export async function answerTarget(
  values: AnswerTargetValues,
  modelId: string,
): Promise<{ bench: string; questions: Question[]; path: string }> {
  const bench = values["bench-name"];
  const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
  const begin = values["question-begin"];
  const end = values["question-end"];
  const from = begin === undefined ? 0 : integerOption(begin, "--question-begin", 0);
  const last = end === undefined ? undefined : integerOption(end, "--question-end", 0);
  if (last !== undefined && last <= from) {
    throw new UsageError(
      `--question-end (${last}) must be greater than --question-begin (${from}): the slice is empty`,
    );
  }
  const questionFile = layout.questions(roots.data, bench);
  const all = await readQuestions(questionFile);
  const to = last ?? all.length;
  if (from >= all.length) {
    throw new UsageError(
      `--question-begin ${from} is past the last question: "${questionFile}" holds ${all.length}`,
    );
  }
  const path = values["answer-file"] ??
    join(layout.answerDir(roots.output, bench), `${modelId}.jsonl`);
  return { bench, questions: all.slice(from, to), path };
}

function compareIds(a: QuestionId, b: QuestionId): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Keeps the last record of each question, sorted by question id (FastChat's `reorg_answer_file`). */
function reorganize(text: string): string {
  const latest = new Map<QuestionId, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const record = JSON.parse(line) as { question_id: QuestionId };
    latest.set(record.question_id, line.replace(/\r$/, ""));
  }
  const ids = [...latest.keys()].sort(compareIds);
  return ids.map((id) => `${latest.get(id)}\n`).join("");
}

/** What {@linkcode runAnswering} needs. */
export interface AnswerRun {
  command: string;
  questions: Question[];
  path: string;
  backend: GenerationBackend;
  /** The answering options besides backend, onAnswer and signal. */
  answering: Omit<AnswerQuestionsOptions, "backend" | "onAnswer" | "signal" | "onProgress">;
  /** Prints a line on stderr. */
  say: (text: string) => void;
  /** Called on the progress bar's notes channel, e.g. for retries. */
  onBar?: (note: (text: string) => void) => void;
  /**
   * Called with the questions left to answer, under the lock and before the
   * first request (stats, cost estimate, confirmation); false stops the run
   * with exit code 1 and nothing answered.
   */
  beforeStart?: (todo: Question[], skipped: number) => Promise<boolean>;
}

/**
 * Answers the questions not yet answered in the answer file: locks it,
 * skips questions whose latest record has no error, appends each new
 * record as one line, and on the way out (done, interrupted or failed)
 * rewrites the file sorted by question id with one record per question.
 * Returns the exit code.
 */
export async function runAnswering(run: AnswerRun): Promise<number> {
  const { say, command } = run;
  let log;
  try {
    log = await openRecordLog<ModelAnswer>(run.path, parseAnswer, { lockedHint: "--answer-file" });
  } catch (error) {
    if (error instanceof OutputLockedError) {
      say(`llm-judge ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const interrupt = onInterrupt(say, command, "answers written");
  const bar = progressBar(say, command);
  run.onBar?.((text) => bar.note(text));
  let result: GenerationProgress | undefined;
  try {
    if (log.repairedBytes > 0) {
      say(
        `llm-judge ${command}: removed a torn last line (${log.repairedBytes} bytes) of an interrupted run`,
      );
    }
    const latest = new Map<QuestionId, ModelAnswer>();
    for (const logged of log.records) latest.set(logged.record.question_id, logged.record);
    const done = new Set(
      [...latest].filter(([, record]) => record.error === undefined).map(([id]) => id),
    );
    const todo = run.questions.filter((question) => !done.has(question.question_id));
    const skipped = run.questions.length - todo.length;
    if (todo.length === 0) {
      say(
        `llm-judge ${command}: nothing to do; all ${run.questions.length} question(s) are answered in ${run.path}`,
      );
      return 0;
    }
    if (run.beforeStart !== undefined && !await run.beforeStart(todo, skipped)) return 1;
    say(
      `llm-judge ${command}: answering ${todo.length} question(s)${
        skipped > 0 ? ` (${skipped} already answered)` : ""
      } with ${run.backend.info.kind} ${run.backend.info.model} on ${run.backend.info.device} -> ${run.path}`,
    );
    result = await answerQuestions(todo, {
      ...run.answering,
      backend: run.backend,
      signal: interrupt.signal,
      onAnswer: (answer) => log!.append(formatRecordLine(answer)),
      onProgress: (progress) =>
        bar.update({
          done: progress.done,
          total: progress.total,
          errors: progress.errors,
          promptTokens: progress.promptTokens,
          completionTokens: progress.completionTokens,
          etaMs: progress.etaMs,
          extra: `${progress.tokensPerSecond.toFixed(1)} completion tok/s`,
        }),
    });
    bar.done();
  } finally {
    interrupt.dispose();
    try {
      await log.rewrite(reorganize);
    } finally {
      await log.close();
    }
  }
  say(
    `llm-judge ${command}: ${result.done} answer(s) written, ${result.errors} with errors, ${
      tokenCounts(result.promptTokens, result.completionTokens)
    } in ${duration(result.elapsedMs)} (${
      result.tokensPerSecond.toFixed(1)
    } completion tok/s) -> ${run.path}`,
  );
  if (result.errors > 0) {
    say(`llm-judge ${command}: ${result.errors} answer(s) have errors; re-run to retry them`);
  }
  return interrupt.signal.aborted ? 130 : 0;
}
