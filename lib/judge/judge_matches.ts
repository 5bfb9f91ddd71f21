import { ERROR_OUTPUT } from "../data/error_output.ts";
import type { RenderedJudgePrompt } from "../prompts/render_judge_prompt.ts";
import { buildRecord, type BuiltRecord, type JudgedGame } from "./build_record.ts";
import type { ChatClient } from "../chat/chat_client.ts";
import type { TokenPrice } from "../chat/model_prices.ts";
import type { ChatRequestError } from "../chat/chat_request_error.ts";
import { estimateTokens } from "../chat/estimate_tokens.ts";
import { parseVerdict } from "./parse_verdict.ts";
import type { PreparedMatch } from "./prepare_match.ts";
import { RateLimiter } from "../chat/rate_limiter.ts";
import {
  requestWithRetries,
  type RetryEvent,
  type RetryPolicy,
  retryPolicy,
} from "../chat/request_with_retries.ts";

/** Where a run stands; passed to `onProgress`. */
export interface JudgeProgress {
  /** Matches in this run. */
  total: number;
  /** Matches with a record written. */
  done: number;
  /** Of those, error records. */
  errors: number;
  /** Failed attempts that were retried. */
  retries: number;
  /** Matches being judged now. */
  inFlight: number;
  /** Tokens reported by the server so far. */
  promptTokens: number;
  /** Completion tokens reported by the server so far. */
  completionTokens: number;
  /** ms since the run started. */
  elapsedMs: number;
  /** Estimated ms left, from the pace so far. */
  etaMs: number | undefined;
  /** USD spent so far at the given price. */
  costUsd: number | undefined;
}

/** The outcome of a run. */
export interface JudgeRunResult extends JudgeProgress {
  /** Set when a non-retryable error (400, 401, 403, 404, …) stopped the run early. */
  fatal?: ChatRequestError | undefined;
  /** Whether `signal` stopped the run. */
  aborted: boolean;
}

/** Options for {@linkcode judgeMatches}. */
export interface JudgeMatchesOptions extends RetryPolicy {
  /** The judge. */
  client: ChatClient;
  /** Bench name, for the records' provenance. */
  bench: string;
  /** Called with each record, in completion order; await it to write the line. */
  onRecord: (built: BuiltRecord, prepared: PreparedMatch) => void | Promise<void>;
  /**
   * Name of the reference answer file used by reference-based judges (provenance).
   * @default {undefined}
   */
  reference?: string | undefined;
  /**
   * The judge as the user named it (`--judge-model`), kept in the provenance.
   * @default {undefined}
   */
  judgeSpec?: string | undefined;
  /**
   * Matches judged at once (`--parallel`).
   * @default {1}
   */
  parallel?: number;
  /**
   * Requests per minute (`--rpm`).
   * @default {undefined} (no limit)
   */
  rpm?: number | undefined;
  /**
   * Tokens per minute (`--tpm`).
   * @default {undefined} (no limit)
   */
  tpm?: number | undefined;
  /**
   * Sampling temperature.
   * @default {0}
   */
  temperature?: number;
  /**
   * Completion budget per request.
   * @default {2048}
   */
  maxTokens?: number;
  /**
   * Completion tokens expected per judgment, for the token budget before usage is known.
   * @default {300}
   */
  expectedCompletionTokens?: number;
  /**
   * Price for the running cost.
   * @default {undefined}
   */
  price?: TokenPrice | undefined;
  /**
   * Decides a match without the judge when it returns outcomes (e.g. the
   * language check); `undefined` sends the match to the judge.
   * @default {undefined}
   */
  precheck?: ((prepared: PreparedMatch) => JudgedGame[] | undefined) | undefined;
  /**
   * Called after each record and each retry.
   * @default {undefined}
   */
  onProgress?: ((progress: JudgeProgress) => void) | undefined;
  /**
   * Called before each retry.
   * @default {undefined}
   */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /**
   * Stops the run: in-flight requests are abandoned and write no record.
   * @default {undefined}
   */
  signal?: AbortSignal | undefined;
  /**
   * Wall clock in ms, for `tstamp`.
   * @default {Date.now}
   */
  now?: () => number;
}

class StopRun extends Error {}

/**
 * Judges prepared matches: up to `parallel` at once, paced by the `rpm`/`tpm`
 * budgets, each request retried on 429, 5xx, timeouts, connection failures,
 * malformed or empty answers — with exponential backoff and jitter, honouring
 * `Retry-After` (which also pauses the other workers) — up to `maxAttempts`.
 * A request that still fails yields an error record (`$ERROR$`, score -1 or
 * winner `error`, and an `error` text); a verdict that cannot be read yields
 * an error record with the raw text. A non-retryable failure (400, 401, 403,
 * 404, …) stops the run early: no new match starts, in-flight requests are
 * abandoned, and the result carries the error.
 *
 * @example Judge one match with the scripted mock client
 * ```ts
 * import assert from "node:assert/strict";
 * import { judgeMatches } from "./judge_matches.ts";
 * import { prepareMatch } from "./prepare_match.ts";
 * import { createMockClient } from "../chat/providers/mock.ts";
 * const prompt = { name: "single-v1", type: "single" as const, system_prompt: "Judge.", prompt_template: "{question} {answer}", description: "", category: "", output_format: "[[rating]]" };
 * const match = prepareMatch({
 *   kind: "single", question: { question_id: 81, category: "writing", turns: ["q"] }, model: "m",
 *   answer: { question_id: 81, model_id: "m", choices: [{ index: 0, turns: ["a"] }] },
 *   judge: { name: "mock", prompt, refBased: false, multiTurn: false }, multiTurn: false,
 * }, "mt_bench");
 * const lines: string[] = [];
 * const result = await judgeMatches([match], {
 *   client: createMockClient(), bench: "mt_bench", onRecord: ({ line }) => { lines.push(line); },
 * });
 * assert.equal(result.done, 1);
 * assert.ok(lines[0]!.includes('"score": 7'));
 * ```
 */
export async function judgeMatches(
  matches: readonly PreparedMatch[],
  options: JudgeMatchesOptions,
): Promise<JudgeRunResult> {
  const parallel = options.parallel ?? 1;
  const maxAttempts = options.maxAttempts ?? 6;
  if (!Number.isInteger(parallel) || parallel < 1) {
    throw new RangeError(`Cannot judge: parallel must be a positive integer, got ${parallel}`);
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(
      `Cannot judge: maxAttempts must be a positive integer, got ${maxAttempts}`,
    );
  }
  const temperature = options.temperature ?? 0;
  const maxTokens = options.maxTokens ?? 2048;
  const expectedCompletion = options.expectedCompletionTokens ?? 300;
  const now = options.now ?? Date.now;
  const limiter = new RateLimiter({ rpm: options.rpm, tpm: options.tpm });
  const { client } = options;
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  const started = performance.now();
  const state = {
    done: 0,
    errors: 0,
    retries: 0,
    inFlight: 0,
    promptTokens: 0,
    completionTokens: 0,
  };
  let fatal: ChatRequestError | undefined;

  const progress = (): JudgeProgress => {
    const elapsedMs = performance.now() - started;
    const remaining = matches.length - state.done;
    const price = options.price;
    return {
      total: matches.length,
      ...state,
      elapsedMs,
      etaMs: state.done === 0 ? undefined : (elapsedMs / state.done) * remaining,
      costUsd: price === undefined
        ? undefined
        : (state.promptTokens * price.input + state.completionTokens * price.output) / 1e6,
    };
  };

  const callJudge = async (
    prompt: RenderedJudgePrompt,
    outputFormat: string,
  ): Promise<JudgedGame> => {
    const outcome = await requestWithRetries(
      (signal) => client.complete({ messages: prompt.messages, temperature, maxTokens, signal }),
      {
        signal: stop.signal,
        limiter,
        estimatedTokens: estimateTokens(prompt.messages) + expectedCompletion,
        ...retryPolicy(options),
        onUsage: (usage) => {
          state.promptTokens += usage.promptTokens;
          state.completionTokens += usage.completionTokens;
        },
        onRetry: (event) => {
          state.retries++;
          options.onRetry?.(event);
          options.onProgress?.(progress());
        },
      },
    );
    switch (outcome.kind) {
      case "ok":
        return {
          prompt,
          judgment: outcome.response.content,
          verdict: parseVerdict(outcome.response.content, outputFormat),
          usage: outcome.response.usage,
          latencyMs: outcome.latencyMs,
          attempts: outcome.attempts,
          responseModel: outcome.response.model,
        };
      case "failed":
        return {
          prompt,
          judgment: ERROR_OUTPUT,
          verdict: {
            kind: "error",
            error:
              `the judge request failed after ${outcome.attempts} attempt(s): ${outcome.error.message}`,
          },
          attempts: outcome.attempts,
        };
      case "fatal":
        fatal ??= outcome.error;
        stop.abort();
        throw new StopRun();
      case "aborted":
        throw new StopRun();
    }
  };

  let next = 0;
  const worker = async () => {
    while (!stop.signal.aborted && next < matches.length) {
      const prepared = matches[next++]!;
      state.inFlight++;
      try {
        let games = options.precheck?.(prepared);
        if (games === undefined) {
          games = [];
          for (const game of prepared.games) {
            games.push(await callJudge(game, prepared.match.judge.prompt.output_format));
          }
        }
        if (stop.signal.aborted) return;
        const built = buildRecord(prepared.match, games, {
          bench: options.bench,
          provider: client.provider,
          model: client.model,
          baseUrl: client.baseUrl,
          temperature,
          maxTokens,
          answerSha256: prepared.answerSha256,
          reference: prepared.match.judge.refBased ? options.reference : undefined,
          judgeSpec: options.judgeSpec,
          tstamp: now() / 1000,
        });
        await options.onRecord(built, prepared);
        state.done++;
        if (typeof built.record.error === "string") state.errors++;
        options.onProgress?.(progress());
      } catch (error) {
        if (error instanceof StopRun) return;
        stop.abort();
        throw error;
      } finally {
        state.inFlight--;
      }
    }
  };
  try {
    const workers = Array.from({ length: Math.min(parallel, matches.length) }, worker);
    const results = await Promise.allSettled(workers);
    const failure = results.find((result) => result.status === "rejected");
    if (failure) throw (failure as PromiseRejectedResult).reason;
  } finally {
    options.signal?.removeEventListener("abort", onOuterAbort);
  }
  return { ...progress(), fatal, aborted: options.signal?.aborted ?? false };
}
