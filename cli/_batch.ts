// deno-lint-ignore-file no-console
/**
 * What `judge` and `gen-api` (and any command with prepared chat requests)
 * share for `--batch`: the options, the batch client and journal of an
 * output file, the progress line, `--batch-status` and `--batch-cancel`.
 * @module
 */
import type { ResolvedChatModel } from "../lib/chat/providers/resolve_chat_model.ts";
import { BatchApiError } from "../lib/chat/batch/batch_api_error.ts";
import { type BatchClient, createBatchClient } from "../lib/chat/batch/batch_client.ts";
import { type BatchJournal, openBatchJournal } from "../lib/chat/batch/batch_journal.ts";
import { cancelBatches } from "../lib/chat/batch/cancel_batches.ts";
import type { BatchProgress } from "../lib/chat/batch/run_batch.ts";
import { TERMINAL_BATCH_STATUSES } from "../lib/chat/batch/types.ts";
import { positiveOption, UsageError } from "./_command.ts";
import { duration } from "./_progress.ts";
import { BATCH_DISCOUNTS, type TokenPrice } from "../lib/chat/model_prices.ts";
import type { JudgeMatchesOptions, JudgeRunResult } from "../lib/judge/judge_matches.ts";
import { judgeMatchesBatch } from "../lib/judge/judge_batch.ts";
import type { PreparedMatch } from "../lib/judge/prepare_match.ts";
import { type BatchBackend, createBatchBackend } from "../lib/generate/batch_backend.ts";

/** The `--batch` options. */
export const BATCH_OPTIONS = {
  batch: { type: "boolean", default: false },
  "batch-status": { type: "boolean", default: false },
  "batch-cancel": { type: "boolean", default: false },
  "batch-poll": { type: "string", default: "15" },
} as const;

/** Help lines of the `--batch` options. */
export const BATCH_HELP =
  `Batch API (OpenAI, Azure OpenAI: half the price; Groq: 25% off; results within 24h):
  --batch                  send the requests through the provider's Batch API; re-run with the
                           same arguments to resume (the journal <output>.batches.jsonl keeps
                           every file and batch; nothing is submitted twice)
  --batch-status           print the journal's batches and their states, and exit
  --batch-cancel           cancel the journal's live batches, and exit (a re-run collects
                           what they finished; the rest become error records)
  --batch-poll SECONDS     first wait between status polls; it grows to 5 minutes (default 15)`;

/** The providers whose Batch API `--batch` speaks. */
const BATCH_PROVIDERS = ["openai", "azure", "groq", "local"];

/** The parsed `--batch` options. */
export interface BatchValues {
  batch: boolean;
  "batch-status": boolean;
  "batch-cancel": boolean;
  "batch-poll": string;
}

/** A batch client and journal for an output file. */
export interface BatchSetup {
  client: BatchClient;
  journal: BatchJournal;
  pollIntervalMs: number;
}

/** The journal beside an output file: `<file>.batches.jsonl`. */
export function journalPath(outputPath: string): string {
  return `${outputPath}.batches.jsonl`;
}

/**
 * Creates the batch client of a resolved model and opens the journal of an
 * output file. Throws a `UsageError` for a provider without a Batch API.
 */
export async function batchSetup(
  resolved: ResolvedChatModel,
  apiKey: string | undefined,
  outputPath: string,
  values: BatchValues,
  say: (text: string) => void,
): Promise<BatchSetup> {
  if (!BATCH_PROVIDERS.includes(resolved.preset.name)) {
    throw new UsageError(
      `--batch needs a provider with a Batch API (openai, azure, groq, or a compatible server at --judge-base-url / --openai-api-base); ${resolved.preset.name} has none`,
    );
  }
  const pollIntervalMs = positiveOption(values["batch-poll"], "--batch-poll") * 1000;
  if (apiKey === undefined && !resolved.preset.keyOptional) {
    throw new UsageError(
      `No API key for ${resolved.name} (provider ${resolved.preset.name}): set ${
        resolved.apiKeyEnv.join(" or ")
      }`,
    );
  }
  const client = createBatchClient({
    provider: resolved.preset.name,
    baseUrl: resolved.baseUrl,
    apiKey,
    azureApiVersion: resolved.preset.azureApiVersion === undefined
      ? undefined
      : Deno.env.get("OPENAI_API_VERSION") || resolved.preset.azureApiVersion,
    onRetry: (error, delayMs) =>
      say(`batch: retry in ${(delayMs / 1000).toFixed(1)}s: ${error.message}`),
  });
  return { client, journal: await openBatchJournal(journalPath(outputPath)), pollIntervalMs };
}

/**
 * `--batch-status` and `--batch-cancel`: prints the journal's batches (their
 * states refreshed from the provider when a key is at hand) or cancels the
 * live ones. Returns the exit code.
 */
export async function batchAdmin(
  command: string,
  setup: BatchSetup,
  values: BatchValues,
): Promise<number> {
  const { journal, client } = setup;
  const parts = journal.parts();
  if (parts.length === 0) {
    console.log(`No batches in ${journal.path}.`);
    return 0;
  }
  if (values["batch-cancel"]) {
    const cancelled = await withResumeHint(journal, () => cancelBatches(journal, client));
    for (const item of cancelled) console.log(`${item.batchId}\t${item.status}\tpart ${item.part}`);
    console.error(
      `llm-judge ${command}: asked ${cancelled.length} live batch(es) to cancel; re-run with the same arguments to collect what they finished`,
    );
    return 0;
  }
  console.log(
    ["part", "batch", "status", "completed", "failed", "requests", "collected"].join("\t"),
  );
  for (const part of parts) {
    let status = part.status ?? (part.abandoned ? "abandoned" : "not submitted");
    let completed = part.completed;
    let failed = part.failed;
    if (
      part.batchId !== undefined && !part.collected &&
      !TERMINAL_BATCH_STATUSES.includes(status)
    ) {
      try {
        const batch = await client.getBatch(part.batchId);
        status = batch.status;
        completed = batch.request_counts?.completed ?? completed;
        failed = batch.request_counts?.failed ?? failed;
      } catch (error) {
        status = `${status} (cannot refresh: ${(error as Error).message})`;
      }
    }
    console.log(
      [
        part.part,
        part.batchId ?? "-",
        status,
        completed ?? "-",
        failed ?? "-",
        part.requests,
        part.collected ? "yes" : "no",
      ].join("\t"),
    );
  }
  return 0;
}

/** Runs a batch step; a provider failure gets a hint on how to resume, and stays a `BatchApiError`. */
export async function withResumeHint<T>(journal: BatchJournal, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof BatchApiError) {
      throw new BatchApiError(
        `the Batch API failed: ${error.message}. Nothing is lost: ${journal.path} lists every file and batch; re-run with the same arguments to resume.`,
        { status: error.status, retryable: error.retryable, cause: error },
      );
    }
    throw error;
  }
}

/** A progress printer for batch runs: one line per change, at most every 5 seconds (always on a state change). */
export function batchProgressLine(
  say: (text: string) => void,
): (progress: BatchProgress) => void {
  let last = "";
  let lastAt = 0;
  return (progress) => {
    const states = Object.entries(progress.statuses).map(([name, count]) => `${name} ${count}`)
      .join(", ");
    const key = `${progress.completed}/${progress.failed}/${states}`;
    const now = performance.now();
    if (key === last || (now - lastAt < 5000 && states === last.split("/")[2])) return;
    last = key;
    lastAt = now;
    say(
      `batch: ${progress.completed}/${progress.total} done, ${progress.failed} failed | ${progress.batches} batch(es): ${states} | ${
        duration(progress.elapsedMs)
      }`,
    );
  };
}

/**
 * `judgeMatches` through the Batch API: a function of the same shape, so
 * `judge` and `calibrate` (named in the notes by `command`) swap one for the other; the interactive-only options (parallel,
 * rates, retries) do not apply, and the cost is at the batch price.
 */
export function judgeInBatches(
  setup: BatchSetup,
  say: (text: string) => void,
  batchPrice: TokenPrice | undefined,
  command = "judge",
): (matches: readonly PreparedMatch[], options: JudgeMatchesOptions) => Promise<JudgeRunResult> {
  return (matches, options) =>
    withResumeHint(setup.journal, () =>
      judgeMatchesBatch(matches, {
        batchClient: setup.client,
        journal: setup.journal,
        judge: options.client,
        bench: options.bench,
        reference: options.reference,
        judgeSpec: options.judgeSpec,
        temperature: options.temperature,
        maxTokens: options.maxTokens,
        price: batchPrice,
        pollIntervalMs: setup.pollIntervalMs,
        signal: options.signal,
        precheck: options.precheck,
        onRecord: options.onRecord,
        onNote: (text) => say(`llm-judge ${command}: batch: ${text}`),
        onProgress: batchProgressLine((text) => say(`llm-judge ${command}: ${text}`)),
      }));
}

/** A list price (the table's or `--price-input`/`--price-output`) less the provider's batch discount. */
export function batchPriceOf(
  price: TokenPrice | undefined,
  provider: string,
): TokenPrice | undefined {
  if (price === undefined) return undefined;
  const keep = 1 - (BATCH_DISCOUNTS[provider] ?? 0);
  return { input: price.input * keep, output: price.output * keep };
}

/**
 * `gen-api --batch`: with `--batch-status`/`--batch-cancel` runs them and
 * returns the exit code; with `--batch` returns the Batch API backend for
 * the answer file; otherwise `undefined`.
 */
export async function batchAnswering(
  resolved: readonly ResolvedChatModel[],
  apiKey: string | undefined,
  answerPath: string,
  values: BatchValues,
  say: (text: string) => void,
): Promise<number | { backend: BatchBackend } | undefined> {
  if (!values.batch && !values["batch-status"] && !values["batch-cancel"]) return undefined;
  if (resolved.length > 1) {
    throw new UsageError("--batch takes one endpoint; give --openai-api-base once");
  }
  const setup = await batchSetup(resolved[0]!, apiKey, answerPath, values, say);
  if (values["batch-status"] || values["batch-cancel"]) {
    return await batchAdmin("gen-api", setup, values);
  }
  const inner = createBatchBackend({
    client: setup.client,
    journal: setup.journal,
    model: resolved[0]!.model,
    pollIntervalMs: setup.pollIntervalMs,
    onNote: (text) => say(`llm-judge gen-api: batch: ${text}`),
    onProgress: batchProgressLine((text) => say(`llm-judge gen-api: ${text}`)),
  });
  const backend: BatchBackend = {
    ...inner,
    generate: (requests, options) =>
      withResumeHint(setup.journal, () => inner.generate(requests, options)),
  };
  return { backend };
}
