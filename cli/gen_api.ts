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
import { createApiBackend } from "../lib/generate/mod.ts";
import {
  type ChatClient,
  createChatClient,
  describeSetupError,
  resolveChatModel,
} from "../lib/chat/mod.ts";
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
                           over the replicas, each to the least busy one
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
  --model-id ID            model name in the records and the file name
                           (default --model, with "/" replaced by "_")
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
  summary: "answer questions through OpenAI-compatible APIs (FastChat gen_api_answer)",
  help: HELP,
  run,
};

async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(expandListArgs(args, ["--openai-api-base"]), OPTIONS);
  const model = values.model;
  if (model === undefined || model.trim() === "") throw new UsageError("--model is required");
  const modelId = values["model-id"] ?? model.replaceAll("/", "_");
  if (/[\\/]/.test(modelId)) {
    throw new UsageError(
      `--model-id names the answer file and cannot contain "/": ${JSON.stringify(modelId)}`,
    );
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
