import type { TokenPrice } from "../chat/model_prices.ts";
import { chatCompletionBody } from "../chat/providers/chat_completion_body.ts";
import type { BatchClient } from "../chat/batch/batch_client.ts";
import type { BatchJournal } from "../chat/batch/batch_journal.ts";
import { type BatchProgress, runBatch } from "../chat/batch/run_batch.ts";
import type { BatchItemResult, BatchLimits, BatchRequest } from "../chat/batch/types.ts";
import { buildRecord, type BuiltRecord, type JudgedGame } from "./build_record.ts";
import { ERROR_OUTPUT } from "../data/error_output.ts";
import type { JudgeRunResult } from "./judge_matches.ts";
import { parseVerdict } from "./parse_verdict.ts";
import type { PreparedMatch } from "./prepare_match.ts";

/** Options for {@linkcode judgeMatchesBatch}. */
export interface JudgeMatchesBatchOptions {
  /** The provider's Batch API. */
  batchClient: BatchClient;
  /** The journal beside the judgment file. */
  journal: BatchJournal;
  /** Provenance of the judge, as the interactive client reports it. */
  judge: { provider: string; model: string; baseUrl: string };
  /** Bench name, for the records' provenance. */
  bench: string;
  /** Called with each record; await it to write the line. */
  onRecord: (built: BuiltRecord, prepared: PreparedMatch) => void | Promise<void>;
  /**
   * Name of the reference answer file (provenance of reference-based judges).
   * @default {undefined}
   */
  reference?: string | undefined;
  /**
   * The judge as the user named it (`groq:llama-3.1-8b-instant`), for provenance.
   * @default {undefined}
   */
  judgeSpec?: string | undefined;
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
   * Batch price, for the cost.
   * @default {undefined}
   */
  price?: TokenPrice | undefined;
  /**
   * Decides a match without the judge (the language check), as in `judgeMatches`.
   * @default {undefined}
   */
  precheck?: ((prepared: PreparedMatch) => JudgedGame[] | undefined) | undefined;
  /**
   * Per-file limits.
   * @default {the provider's}
   */
  limits?: BatchLimits | undefined;
  /**
   * First wait between polls, in ms.
   * @default {15000}
   */
  pollIntervalMs?: number | undefined;
  /**
   * Called after each poll.
   * @default {undefined}
   */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /**
   * Called with notes of the runner.
   * @default {undefined}
   */
  onNote?: ((text: string) => void) | undefined;
  /**
   * Stops polling; the batches go on and a re-run collects them.
   * @default {undefined}
   */
  signal?: AbortSignal | undefined;
  /**
   * Wall clock in ms, for `tstamp`.
   * @default {Date.now}
   */
  now?: () => number;
}

// The custom ids of a match's games: its record key, with #g1/#g2 for the two orders of a pair.
function batchCustomIds(prepared: PreparedMatch): string[] {
  const key = prepared.keys[0]!;
  return prepared.games.length === 1 ? [key] : prepared.games.map((_, i) => `${key}#g${i + 1}`);
}

/**
 * Judges prepared matches through the provider's Batch API: the same
 * prompts and parameters as `judgeMatches` (the same request body), one
 * request per game with the match's record key as `custom_id`, both games
 * of a pair in the same batch. As each batch ends, its answers go through
 * the same verdict parser and record builder, so the records are those of
 * the interactive path but for provenance timing (`latency_ms` is null);
 * a request without an answer (the provider's error, a batch that expired,
 * was cancelled or failed) becomes an error record, redone by
 * `--retry-errors`. Resumable through the journal (see `runBatch`).
 *
 * @example With an in-memory provider that rates everything 8
 * ```ts
 * import assert from "node:assert/strict";
 * import { judgeMatchesBatch } from "./judge_batch.ts";
 * import { prepareMatch } from "./prepare_match.ts";
 * import { openBatchJournal } from "../chat/batch/batch_journal.ts";
 * import type { BatchClient } from "../chat/batch/batch_client.ts";
 * let input = "";
 * const client: BatchClient = {
 *   provider: "openai", baseUrl: "mock", endpoint: "/v1/chat/completions",
 *   uploadFile: (_name, jsonl) => { input = jsonl; return Promise.resolve("in"); },
 *   createBatch: () => Promise.resolve({ id: "b1", status: "validating", input_file_id: "in" }),
 *   getBatch: () => Promise.resolve({ id: "b1", status: "completed", input_file_id: "in", output_file_id: "out" }),
 *   listBatches: () => Promise.resolve([]),
 *   cancelBatch: () => Promise.reject(new Error("no")),
 *   fileContent: () => Promise.resolve(input.trim().split("\n").map((line) => JSON.stringify({
 *     custom_id: JSON.parse(line).custom_id,
 *     response: { status_code: 200, body: { choices: [{ message: { content: "Rating: [[8]]" } }] } },
 *   })).join("\n")),
 * };
 * const prompt = { name: "single-v1", type: "single" as const, system_prompt: "Judge.", prompt_template: "{question} {answer}", description: "", category: "", output_format: "[[rating]]" };
 * const match = prepareMatch({
 *   kind: "single", question: { question_id: 81, category: "writing", turns: ["q"] }, model: "m",
 *   answer: { question_id: 81, model_id: "m", choices: [{ index: 0, turns: ["a"] }] },
 *   judge: { name: "gpt-4", prompt, refBased: false, multiTurn: false }, multiTurn: false,
 * }, "mt_bench");
 * const lines: string[] = [];
 * const result = await judgeMatchesBatch([match], {
 *   batchClient: client, journal: await openBatchJournal(`${await Deno.makeTempDir()}/j.batches.jsonl`),
 *   judge: { provider: "openai", model: "gpt-4", baseUrl: "mock" }, bench: "mt_bench",
 *   pollIntervalMs: 1, onRecord: ({ line }) => { lines.push(line); },
 * });
 * assert.equal(result.done, 1);
 * assert.ok(lines[0]!.includes('"score": 8'));
 * ```
 */
export async function judgeMatchesBatch(
  matches: readonly PreparedMatch[],
  options: JudgeMatchesBatchOptions,
): Promise<JudgeRunResult> {
  const temperature = options.temperature ?? 0;
  const maxTokens = options.maxTokens ?? 2048;
  const now = options.now ?? Date.now;
  const started = performance.now();
  const state = { done: 0, errors: 0, promptTokens: 0, completionTokens: 0 };
  const { judge } = options;

  const write = async (prepared: PreparedMatch, games: JudgedGame[]) => {
    const built = buildRecord(prepared.match, games, {
      bench: options.bench,
      judgeSpec: options.judgeSpec,
      provider: judge.provider,
      model: judge.model,
      baseUrl: judge.baseUrl,
      temperature,
      maxTokens,
      answerSha256: prepared.answerSha256,
      reference: prepared.match.judge.refBased ? options.reference : undefined,
      tstamp: now() / 1000,
    });
    await options.onRecord(built, prepared);
    state.done++;
    if (typeof built.record.error === "string") state.errors++;
  };

  const requests: BatchRequest[] = [];
  const byId = new Map<string, { prepared: PreparedMatch; ids: string[] }>();
  for (const prepared of matches) {
    const decided = options.precheck?.(prepared);
    if (decided !== undefined) {
      await write(prepared, decided);
      continue;
    }
    const ids = batchCustomIds(prepared);
    const entry = { prepared, ids };
    prepared.games.forEach((game, index) => {
      byId.set(ids[index]!, entry);
      requests.push({
        customId: ids[index]!,
        group: prepared.keys[0]!,
        body: chatCompletionBody(judge.model, { messages: game.messages, temperature, maxTokens }),
      });
    });
  }

  const received = new Map<string, BatchItemResult>();
  const written = new Set<string>();
  const run = await runBatch(requests, {
    client: options.batchClient,
    journal: options.journal,
    model: judge.model,
    limits: options.limits,
    pollIntervalMs: options.pollIntervalMs,
    signal: options.signal,
    onNote: options.onNote,
    onProgress: options.onProgress,
    onResults: async (results) => {
      for (const result of results) received.set(result.customId, result);
      for (const result of results) {
        const entry = byId.get(result.customId)!;
        const key = entry.prepared.keys[0]!;
        if (written.has(key) || !entry.ids.every((id) => received.has(id))) continue;
        written.add(key);
        const outputFormat = entry.prepared.match.judge.prompt.output_format;
        await write(
          entry.prepared,
          entry.prepared.games.map((prompt, index) =>
            gameOf(prompt, received.get(entry.ids[index]!)!, outputFormat, state)
          ),
        );
      }
    },
  });
  const elapsedMs = performance.now() - started;
  const price = options.price;
  return {
    total: matches.length,
    ...state,
    retries: 0,
    inFlight: 0,
    elapsedMs,
    etaMs: undefined,
    costUsd: price === undefined
      ? undefined
      : (state.promptTokens * price.input + state.completionTokens * price.output) / 1e6,
    fatal: undefined,
    aborted: run.aborted,
  };
}

function gameOf(
  prompt: PreparedMatch["games"][number],
  result: BatchItemResult,
  outputFormat: string,
  state: { promptTokens: number; completionTokens: number },
): JudgedGame {
  if (!result.ok) {
    return {
      prompt,
      judgment: ERROR_OUTPUT,
      verdict: { kind: "error", error: result.error },
      attempts: 1,
    };
  }
  const { response } = result;
  if (response.usage) {
    state.promptTokens += response.usage.promptTokens;
    state.completionTokens += response.usage.completionTokens;
  }
  return {
    prompt,
    judgment: response.content,
    verdict: parseVerdict(response.content, outputFormat),
    usage: response.usage,
    attempts: 1,
    responseModel: response.model,
  };
}
