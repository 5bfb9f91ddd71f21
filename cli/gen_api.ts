// deno-lint-ignore-file no-console
/**
 * `llm-judge gen-api`: FastChat's `gen_api_answer.py` against OpenAI-compatible
 * endpoints, spread over replicas, with the judge runner's retries, rate
 * limits, resume and progress.
 * @module
 */
import {
  type Command,
  COMMON_OPTIONS,
  expandListArgs,
  integerOption,
  listOption,
  parseCommandArgs,
  positiveOption,
  UsageError,
} from "./_command.ts";
import { createApiBackend, estimateAnswerTokens } from "../lib/generate/mod.ts";
import {
  type ChatClient,
  createChatClient,
  describeSetupError,
  modelFileName,
  priceOf,
  resolveChatModel,
} from "../lib/chat/mod.ts";
import { checkFileName } from "../lib/data/check_file_name.ts";
import { confirmRun } from "./_confirm.ts";
import { redactSecrets } from "../lib/http/redact.ts";
import { ANSWER_OPTIONS, answerTarget, runAnswering } from "./_answer_run.ts";
import { BATCH_HELP, BATCH_OPTIONS, batchAnswering } from "./_batch.ts";

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...ANSWER_OPTIONS,
  model: { type: "string" },
  "model-id": { type: "string" },
  "openai-api-base": { type: "string", multiple: true },
  "api-key-env": { type: "string" },
  "max-tokens": { type: "string", default: "1024" },
  "force-temperature": { type: "string" },
  parallel: { type: "string", default: "1" },
  rpm: { type: "string" },
  tpm: { type: "string" },
  "max-attempts": { type: "string", default: "6" },
  "max-retry-wait": { type: "string", default: "60" },
  timeout: { type: "string", default: "600" },
  ...BATCH_OPTIONS,
  yes: { type: "boolean", short: "y", default: false },
} as const;

const HELP = `Usage: llm-judge gen-api --model NAME [options]

Answers a bench's questions through OpenAI-compatible chat endpoints (vLLM,
SGLang, TGI, Ollama, Groq, OpenAI, llm-judge serve), as FastChat's
gen_api_answer.py, and writes FastChat answer records to
<output-root>/<bench>/model_answer/<model-id>.jsonl. Re-running skips the
questions already answered (answers with errors are redone).

Options (as FastChat):
  --model NAME             model sent to the API; presets work as in judge: groq:<model>,
                           openai:<model>, together:<model>, local:<model>, ... (required)
  --openai-api-base URL..  one or more base URLs (repeat or list them): requests are spread
                           over the replicas, each to the least busy one (default: the
                           preset's URL; GROQ_BASE_URL / OPENAI_BASE_URL override it)
  --bench-name NAME        question set under the data root (default mt_bench)
  --question-begin N       first question index (0-based) of the slice to answer
  --question-end N         end index (exclusive) of the slice
  --answer-file FILE       write here instead of the default file
  --max-tokens N           completion budget per turn (default 1024)
  --num-choices N          completions per question (default 1)
  --force-temperature T    one temperature for every category (default: FastChat's
                           per-category temperatures)
  --parallel N             questions in flight at once (default 1)

Also:
  --model-id ID            model name in the records and the file name (default --model
                           without the provider prefix, "/" replaced by "_": local:mock -> mock)
  -y, --yes                do not wait for Enter after the stats and estimate (the pause
                           happens only when standard input is a terminal)
  --api-key-env VAR        read the API key from VAR (default: the preset's, e.g.
                           OPENAI_API_KEY, GROQ_API_KEY; LLM_JUDGE_API_KEY for local servers)
  --rpm N / --tpm N        client-side requests / tokens per minute (over all replicas)
  --max-attempts N         attempts per request, with exponential backoff (default 6)
  --max-retry-wait S       longest Retry-After to honour, in seconds (default 60); a longer
                           demand becomes an error record, redone with --retry-errors
  --timeout SECONDS        per-request timeout (default 600)

${BATCH_HELP}
                           (multi-turn questions: turn 2 goes in a second batch when turn 1 is back)

Common:
  --data-dir DIR           data root (default $LLM_JUDGE_DATA or ./data)
  --output-dir DIR         output root (default $LLM_JUDGE_OUTPUT or the data root)
  -h, --help               this help

Exit status: 0 done (answers with errors are counted), 1 bad input, refused
(output locked) or stopped by a non-retryable API error, 2 bad usage, 130 interrupted.`;

/** The `gen-api` command. */
export const genApiCommand: Command = {
  name: "gen-api",
  help: HELP,
  run,
};

async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(expandListArgs(args, ["--openai-api-base"]), OPTIONS);
  const model = values.model;
  if (model === undefined || model.trim() === "") throw new UsageError("--model is required");
  let modelId: string;
  try {
    modelId = values["model-id"] === undefined
      ? modelFileName(model, { what: "--model" })
      : checkFileName(values["model-id"], { what: "--model-id" });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const maxTokens = integerOption(values["max-tokens"], "--max-tokens", 1);
  const numChoices = integerOption(values["num-choices"], "--num-choices", 1);
  const parallel = integerOption(values.parallel, "--parallel", 1);
  const maxAttempts = integerOption(values["max-attempts"], "--max-attempts", 1);
  const maxRetryWaitMs = positiveOption(values["max-retry-wait"], "--max-retry-wait") * 1000;
  const timeoutMs = positiveOption(values.timeout, "--timeout") * 1000;
  const rpm = values.rpm === undefined ? undefined : positiveOption(values.rpm, "--rpm");
  const tpm = values.tpm === undefined ? undefined : positiveOption(values.tpm, "--tpm");
  let forced: number | undefined;
  if (values["force-temperature"] !== undefined) {
    forced = Number(values["force-temperature"]);
    if (!Number.isFinite(forced) || forced < 0) {
      throw new UsageError(
        `--force-temperature must be a non-negative number, got ${
          JSON.stringify(values["force-temperature"])
        }`,
      );
    }
  }
  const bases = listOption(values["openai-api-base"]) ?? [undefined];
  const resolvedAll = bases.map((baseUrl) => {
    try {
      return resolveChatModel(model, {
        baseUrl,
        baseUrlFlag: "--openai-api-base",
        apiKeyEnv: values["api-key-env"],
        getEnv: (name) => Deno.env.get(name),
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  });
  const apiKey = resolvedAll[0]!.apiKeyEnv.map((name) => Deno.env.get(name)).find((value) =>
    !!value
  );
  const say = (text: string) => console.error(redactSecrets(text, [apiKey]));
  let clients: ChatClient[];
  try {
    clients = resolvedAll.map((resolved) =>
      createChatClient(resolved, {
        apiKey,
        azureApiVersion: Deno.env.get("OPENAI_API_VERSION") || undefined,
        timeoutMs: timeoutMs + 5000,
      })
    );
  } catch (error) {
    say(`llm-judge gen-api: ${(error as Error).message}`);
    return 1;
  }
  const { bench, questions, path } = await answerTarget(values, modelId);
  const batch = await batchAnswering(resolvedAll, apiKey, path, values, say);
  if (typeof batch === "number") return batch;
  let note: (text: string) => void = say;
  const backend = createApiBackend(clients, {
    maxBatchSize: 1,
    rpm,
    tpm,
    maxAttempts,
    maxRetryWaitMs,
    timeoutMs,
    onRetry: (event, baseUrl) =>
      note(
        `retry ${event.attempt}/${event.maxAttempts - 1} in ${
          (event.delayMs / 1000).toFixed(1)
        }s (${baseUrl}): ${event.error.message}`,
      ),
  });
  let code: number;
  try {
    code = await runAnswering({
      command: "gen-api",
      questions,
      path,
      backend: batch?.backend ?? backend,
      say,
      onBar: (barNote) => note = barNote,
      beforeStart: async (todo, skipped) => {
        const estimate = estimateAnswerTokens(todo, { numChoices, maxTokens });
        const price = priceOf(clients[0]!.provider, clients[0]!.model);
        const stats = {
          bench_name: bench,
          model: modelId,
          api_model: clients[0]!.model,
          provider: clients[0]!.provider,
          base_urls: clients.map((client) => client.baseUrl),
          answer_file: path,
          total_num_questions: questions.length,
          already_answered: skipped,
          to_answer: todo.length,
          requests: estimate.requests,
          estimated_prompt_tokens: estimate.promptTokens,
          max_completion_tokens: estimate.maxCompletionTokens,
          estimated_cost_usd_at_most: price === undefined ? null : Math.round(
            (estimate.promptTokens * price.input + estimate.maxCompletionTokens * price.output) /
              100,
          ) / 10000,
        };
        console.log("Stats:");
        console.log(JSON.stringify(stats, null, 4));
        return await confirmRun(values.yes, say, "gen-api");
      },
      answering: {
        modelId,
        numChoices,
        maxNewTokens: maxTokens,
        batchSize: batch === undefined ? 1 : Number.MAX_SAFE_INTEGER,
        parallel,
        ...(forced === undefined ? {} : { temperature: () => forced }),
        metadata: { bench, provider: clients[0]!.provider, api_model: clients[0]!.model },
      },
    });
  } catch (error) {
    if (backend.fatal !== undefined && error === backend.fatal) {
      say(
        `llm-judge gen-api: stopped: ${
          describeSetupError(backend.fatal, {
            apiKeyEnv: resolvedAll[0]!.apiKeyEnv,
            model: clients[0]!.model,
            baseUrl: backend.info.device,
          })
        }`,
      );
      return 1;
    }
    throw error;
  }
  if (batch !== undefined && code === 0) await batch.backend.markCollected();
  if (clients.length > 1) {
    say(
      `llm-judge gen-api: requests per replica: ${
        [...backend.answeredBy].map(([url, count]) => `${url} ${count}`).join(", ")
      }`,
    );
  }
  return code;
}
