import { ERROR_OUTPUT } from "../data/error_output.ts";
import type { ModelAnswer, Question, QuestionId } from "../data/types.ts";
import { categoryTemperature } from "./category_temperature.ts";
import type {
  BackendInfo,
  FinishReason,
  GenerationBackend,
  GenerationMessage,
  GenerationResult,
} from "./types.ts";

/** FastChat's placeholder for a reply that could not be generated. */

/** Where a run stands; passed to `onProgress`. */
export interface GenerationProgress {
  /** Questions in this run. */
  total: number;
  /** Questions answered (records written). */
  done: number;
  /** Of those, answers with an error. */
  errors: number;
  /** Prompt tokens of every turn generated so far. */
  promptTokens: number;
  /** Completion tokens of every turn generated so far. */
  completionTokens: number;
  /** ms since the run started. */
  elapsedMs: number;
  /** Estimated ms left, from the pace so far. */
  etaMs: number | undefined;
  /** Completion tokens per second so far. */
  tokensPerSecond: number;
}

/** Options for {@linkcode answerQuestions}. */
export interface AnswerQuestionsOptions {
  /** The model. */
  backend: GenerationBackend;
  /** `model_id` of the records (and the answer file's name). */
  modelId: string;
  /** Called with each answer record, in completion order; await it to write the line. */
  onAnswer: (answer: ModelAnswer) => void | Promise<void>;
  /**
   * Completions per question (`--num-choices`).
   * @default {1}
   */
  numChoices?: number;
  /**
   * Token budget per turn (`--max-new-token`).
   * @default {1024}
   */
  maxNewTokens?: number;
  /**
   * Conversations generated together (`--batch-size`).
   * @default {backend.maxBatchSize}
   */
  batchSize?: number;
  /**
   * Batches in flight at once (`--parallel`; for API backends).
   * @default {1}
   */
  parallel?: number;
  /**
   * Temperature of a question.
   * @default {FastChat's per-category temperatures (categoryTemperature)}
   */
  temperature?: (question: Question) => number;
  /**
   * Base seed: choice i of every question samples with seeds derived from
   * `seed + i`, as FastChat seeds choice i with `torch.manual_seed(i)`.
   * @default {0}
   */
  seed?: number;
  /**
   * A system message put before each conversation.
   * @default {undefined} (none; chat templates add their own default)
   */
  systemPrompt?: string | undefined;
  /**
   * Fields recorded in every record's `generation` block besides the backend's (e.g. the bench).
   * @default {{}}
   */
  metadata?: Record<string, unknown>;
  /**
   * Called after each record.
   * @default {undefined}
   */
  onProgress?: ((progress: GenerationProgress) => void) | undefined;
  /**
   * Receives the text of each conversation as it is generated.
   * @default {undefined}
   */
  onText?:
    | ((questionId: QuestionId, choice: number, turn: number, text: string) => void)
    | undefined;
  /**
   * Stops the run: questions not finished write no record.
   * @default {undefined}
   */
  signal?: AbortSignal | undefined;
  /**
   * Wall clock in ms, for `tstamp`.
   * @default {Date.now}
   */
  now?: () => number;
}

/** Statistics of one generated turn, kept in the record's `generation.turns`. */
export interface TurnStats {
  /** Tokens of the rendered prompt. */
  prompt_tokens: number;
  /** Tokens generated (the end token counted). */
  completion_tokens: number;
  /** Why generation stopped. */
  finish_reason: FinishReason;
  /** ms from the request to the first token. */
  first_token_ms: number;
  /** ms from the request to the end of the reply. */
  ms: number;
}

interface Unit {
  question: Question;
  choice: number;
  history: GenerationMessage[];
  outputs: string[];
  stats: TurnStats[];
  error?: string;
}

const SHORT_UUID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** A 22-character id like Python's `shortuuid.uuid()`, which FastChat uses for `answer_id`. */
function shortUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = "";
  for (let i = 0; i < 22; i++) {
    out = SHORT_UUID_ALPHABET[Number(value % 57n)]! + out;
    value /= 57n;
  }
  return out;
}

function seedFor(base: number, choice: number, turn: number): number {
  return (Math.imul(base + choice, 0x9e3779b1) + turn * 0x85ebca6b) >>> 0;
}

/**
 * Answers questions as FastChat's `gen_model_answer.py`: each question gets
 * `numChoices` completions; turn 1 is the question's first prompt, and each
 * later turn is conditioned on the model's own earlier replies; the
 * temperature comes from the question's category (greedy for math, coding,
 * reasoning and extraction). Conversations are generated in batches of
 * `batchSize` (shortest prompts together, to waste little padding), up to
 * `parallel` batches at a time, or, for a backend that batches concurrent
 * calls itself (`batchesCalls`, the ONNX backend), one conversation per call
 * with `batchSize × parallel` in flight; each question's record goes to
 * `onAnswer` as soon as all its choices are done.
 *
 * Records have FastChat's fields (`question_id`, `answer_id`, `model_id`,
 * `choices[{index, turns}]`, `tstamp`) and a `generation` block that
 * describes the run: backend, device, dtype, chat template and its
 * fingerprint, temperature, budget, seed, and per turn the prompt and
 * completion tokens, why it stopped and how long it took. A turn that could
 * not be generated reads `$ERROR$` and the record gets an `error` field.
 *
 * @example Answer one two-turn question with the scripted mock backend
 * ```ts
 * import assert from "node:assert/strict";
 * import { answerQuestions } from "./answer_questions.ts";
 * import { createMockBackend } from "./mock_backend.ts";
 * const answers: unknown[] = [];
 * await answerQuestions(
 *   [{ question_id: 81, category: "writing", turns: ["Write a haiku.", "Now shorter."] }],
 *   { backend: createMockBackend(), modelId: "mock", onAnswer: (answer) => { answers.push(answer); } },
 * );
 * assert.ok(JSON.stringify(answers[0]).includes('Reply to \\"Now shorter.\\" after 2 message(s)'));
 * ```
 */
export async function answerQuestions(
  questions: readonly Question[],
  options: AnswerQuestionsOptions,
): Promise<GenerationProgress> {
  const { backend } = options;
  const numChoices = options.numChoices ?? 1;
  const maxNewTokens = options.maxNewTokens ?? 1024;
  const batchSize = options.batchSize ?? backend.maxBatchSize;
  const parallel = options.parallel ?? 1;
  const temperatureOf = options.temperature ??
    ((question) => categoryTemperature(question.category));
  const baseSeed = options.seed ?? 0;
  const now = options.now ?? Date.now;
  for (
    const [name, value] of [
      ["numChoices", numChoices],
      ["maxNewTokens", maxNewTokens],
      ["batchSize", batchSize],
      ["parallel", parallel],
    ] as const
  ) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `Cannot answer questions: ${name} must be a positive integer, got ${value}`,
      );
    }
  }
  const units: Unit[] = [];
  for (const question of questions) {
    for (let choice = 0; choice < numChoices; choice++) {
      const history: GenerationMessage[] = options.systemPrompt === undefined
        ? []
        : [{ role: "system", content: options.systemPrompt }];
      units.push({ question, choice, history, outputs: [], stats: [] });
    }
  }
  // Similar lengths together; ties keep the question order.
  const order = units.map((unit, index) => ({ unit, index })).sort((a, b) =>
    a.unit.question.turns[0]!.length - b.unit.question.turns[0]!.length || a.index - b.index
  ).map(({ unit }) => unit);
  // A backend that batches concurrent calls itself gets one conversation per
  // call, batchSize × parallel at a time, so a finished conversation's place
  // is taken at once; otherwise conversations go in batches of batchSize.
  const batches: Unit[][] = [];
  const own = backend.batchesCalls === true;
  for (let start = 0; start < order.length; start += own ? 1 : batchSize) {
    batches.push(order.slice(start, start + (own ? 1 : batchSize)));
  }
  const workers = own ? batchSize * parallel : parallel;

  const started = performance.now();
  const state = { done: 0, errors: 0, promptTokens: 0, completionTokens: 0 };
  const remaining = new Map<QuestionId, number>();
  for (const question of questions) remaining.set(question.question_id, numChoices);
  const finished = new Map<QuestionId, Unit[]>();
  const progress = (): GenerationProgress => {
    const elapsedMs = performance.now() - started;
    return {
      total: questions.length,
      ...state,
      elapsedMs,
      etaMs: state.done === 0
        ? undefined
        : (elapsedMs / state.done) * (questions.length - state.done),
      tokensPerSecond: elapsedMs > 0 ? state.completionTokens / (elapsedMs / 1000) : 0,
    };
  };

  let failure: { error: unknown } | undefined;
  const runBatch = async (batch: Unit[]) => {
    const turns = Math.max(...batch.map((unit) => unit.question.turns.length));
    for (let turn = 0; turn < turns; turn++) {
      const pending = batch.filter((unit) => unit.question.turns.length > turn && !unit.error);
      if (pending.length === 0) break;
      for (const unit of pending) {
        unit.history.push({ role: "user", content: unit.question.turns[turn]! });
      }
      const results: GenerationResult[] = await backend.generate(
        pending.map((unit) => ({
          messages: [...unit.history],
          temperature: temperatureOf(unit.question),
          maxNewTokens,
          seed: seedFor(baseSeed, unit.choice, turn),
        })),
        {
          signal: options.signal,
          onText: options.onText === undefined ? undefined : (index, text) => {
            const unit = pending[index]!;
            options.onText!(unit.question.question_id, unit.choice, turn, text);
          },
        },
      );
      if (options.signal?.aborted || failure !== undefined) return;
      pending.forEach((unit, index) => {
        const result = results[index]!;
        unit.history.push({ role: "assistant", content: result.text });
        unit.outputs.push(result.text);
        unit.stats.push({
          prompt_tokens: result.promptTokens,
          completion_tokens: result.completionTokens,
          finish_reason: result.finishReason,
          first_token_ms: round(result.firstTokenMs),
          ms: round(result.totalMs),
        });
        state.promptTokens += result.promptTokens;
        state.completionTokens += result.completionTokens;
        if (result.error !== undefined) unit.error = `turn ${turn + 1}: ${result.error}`;
      });
    }
    if (failure !== undefined) return;
    for (const unit of batch) {
      while (unit.outputs.length < unit.question.turns.length) {
        unit.outputs.push(ERROR_OUTPUT);
      }
      const id = unit.question.question_id;
      const group = finished.get(id) ?? [];
      group.push(unit);
      finished.set(id, group);
      const left = remaining.get(id)! - 1;
      remaining.set(id, left);
      if (left > 0) continue;
      const record = buildRecord(unit.question, group, backend.info, {
        modelId: options.modelId,
        maxNewTokens,
        seed: baseSeed,
        temperature: temperatureOf(unit.question),
        metadata: options.metadata ?? {},
        tstamp: now() / 1000,
      });
      await options.onAnswer(record);
      state.done++;
      if (record.error !== undefined) state.errors++;
      options.onProgress?.(progress());
    }
  };

  let next = 0;
  const worker = async () => {
    while (!options.signal?.aborted && failure === undefined && next < batches.length) {
      try {
        await runBatch(batches[next++]!);
      } catch (error) {
        // The first failure stops the run; the other workers write nothing more.
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, batches.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return progress();
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function buildRecord(
  question: Question,
  units: Unit[],
  info: BackendInfo,
  run: {
    modelId: string;
    maxNewTokens: number;
    seed: number;
    temperature: number;
    metadata: Record<string, unknown>;
    tstamp: number;
  },
): ModelAnswer {
  const sorted = [...units].sort((a, b) => a.choice - b.choice);
  const errors = sorted.flatMap((unit) =>
    unit.error === undefined ? [] : [`choice ${unit.choice}: ${unit.error}`]
  );
  const sum = (key: "prompt_tokens" | "completion_tokens") =>
    sorted.reduce((total, unit) => total + unit.stats.reduce((s, turn) => s + turn[key], 0), 0);
  const record: ModelAnswer = {
    question_id: question.question_id,
    answer_id: shortUuid(),
    model_id: run.modelId,
    choices: sorted.map((unit) => ({ index: unit.choice, turns: unit.outputs })),
    tstamp: run.tstamp,
    generation: {
      ...run.metadata,
      backend: info.kind,
      model: info.model,
      device: info.device,
      ...(info.dtype === undefined ? {} : { dtype: info.dtype }),
      ...(info.template === undefined ? {} : { template: info.template }),
      ...(info.templateFingerprint === undefined
        ? {}
        : { template_fingerprint: info.templateFingerprint }),
      ...(info.details === undefined ? {} : info.details),
      category: question.category,
      temperature: run.temperature,
      max_new_tokens: run.maxNewTokens,
      seed: run.seed,
      prompt_tokens: sum("prompt_tokens"),
      completion_tokens: sum("completion_tokens"),
      turns: sorted.map((unit) => unit.stats),
    },
  };
  if (errors.length > 0) record.error = errors.join("; ");
  return record;
}
