// deno-lint-ignore-file no-console
/**
 * `llm-judge judge`: FastChat's `gen_judgment.py` with any OpenAI-compatible
 * judge, resumable and fault-tolerant.
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
import { DataError } from "../lib/data/data_error.ts";
import { layout, resolveRoots } from "../lib/data/data_root.ts";
import {
  compactJudgmentLog,
  isErrorRecord,
  JUDGE_MODES,
  judgeMatches,
  type JudgeMode,
  type JudgeRunResult,
  languagePrecheck,
  loadJudgeInputs,
  makeJudges,
  makeMatches,
  OutputLockedError,
  type PreparedMatch,
  prepareMatch,
  readJudgmentLog,
  recordKey,
  supersededErrorLines,
} from "../lib/judge/mod.ts";
import {
  type ChatClient,
  createChatClient,
  describeSetupError,
  priceOf,
  resolveChatModel,
  type TokenPrice,
} from "../lib/chat/mod.ts";
import type { LoggedRecord } from "../lib/judge/judgment_log.ts";
import { openJudgmentLog } from "../lib/judge/judgment_log.ts";
import { redactSecrets } from "../lib/http/redact.ts";
import { progressBar, tokenCounts } from "./_progress.ts";

const OPTIONS = {
  ...COMMON_OPTIONS,
  "bench-name": { type: "string", default: "mt_bench" },
  "judge-file": { type: "string" },
  "judge-model": { type: "string", default: "gpt-4" },
  "baseline-model": { type: "string", default: "gpt-3.5-turbo" },
  mode: { type: "string", default: "single" },
  "model-list": { type: "string", multiple: true },
  "first-n": { type: "string" },
  parallel: { type: "string", default: "1" },
  rpm: { type: "string" },
  tpm: { type: "string" },
  "max-attempts": { type: "string", default: "6" },
  "max-retry-wait": { type: "string", default: "60" },
  timeout: { type: "string", default: "120" },
  "max-tokens": { type: "string", default: "2048" },
  "judge-base-url": { type: "string" },
  "judge-api-key-env": { type: "string" },
  "output-file": { type: "string" },
  "dry-run": { type: "boolean", default: false },
  "retry-errors": { type: "boolean", default: false },
  "price-input": { type: "string" },
  "price-output": { type: "string" },
  "expected-output-tokens": { type: "string", default: "300" },
  "check-language": { type: "boolean", default: false },
} as const;

const HELP = `Usage: llm-judge judge [options]

Judges model answers with an LLM judge, as FastChat's gen_judgment.py, and
appends FastChat-format records to <output-root>/<bench>/model_judgment/
<judge>_single.jsonl or <judge>_pair.jsonl. Re-running skips what is done.

Options (as FastChat):
  --bench-name NAME        question set under the data root (default mt_bench)
  --judge-file FILE        judge prompts (default <data-dir>/judge_prompts.jsonl;
                           judge_prompts_multilingual.jsonl fills {lang} from the questions)
  --judge-model NAME       judge: a model id (OpenAI), or a preset: groq, groq:<model>,
                           openai:<model>, azure:<deployment>, openrouter:<model>,
                           together:<model>, local:<model> (default gpt-4)
  --baseline-model NAME    baseline of pairwise-baseline (default gpt-3.5-turbo)
  --mode MODE              single | pairwise-baseline | pairwise-all (default single)
  --model-list A B ...     models to judge (default: every answer file)
  --first-n N              only the first N questions

Judge endpoint:
  --judge-base-url URL     any OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp)
  --judge-api-key-env VAR  read the API key from VAR (keys are never taken on the command line)
                           defaults: OPENAI_API_KEY, GROQ_API_KEY, AZURE_OPENAI_API_KEY,
                           OPENROUTER_API_KEY, TOGETHER_API_KEY, LLM_JUDGE_API_KEY (local)

Throughput and safety:
  --parallel N             concurrent matches (default 1)
  --rpm N / --tpm N        client-side requests / tokens per minute
  --max-attempts N         attempts per request, with exponential backoff (default 6)
  --max-retry-wait S       longest Retry-After to honour, in seconds (default 60); a longer
                           demand becomes an error record, redone with --retry-errors
  --timeout SECONDS        per-request timeout (default 120)
  --max-tokens N           completion budget (default 2048, as FastChat)
  --output-file FILE       write here instead of the default file
  --dry-run                print match stats, estimated tokens and cost; call nothing
  --retry-errors           re-judge only the error records (they are then replaced)
  --price-input USD        price per million input tokens, for the cost estimate
  --price-output USD       price per million output tokens
  --expected-output-tokens N  completion tokens assumed per judgment in estimates (default 300)
  --check-language         single mode: an answer clearly not in the question's declared
                           language ("lang") scores 1 without calling the judge (franc)

Common:
  --data-dir DIR           data root (default $LLM_JUDGE_DATA or ./data)
  --output-dir DIR         output root (default $LLM_JUDGE_OUTPUT or the data root)
  -h, --help               this help

Exit status: 0 done (error records, if any, are counted in the summary), 1 bad
input, refused (output locked) or stopped by a non-retryable API error,
2 bad usage, 130 interrupted.`;

/** The `judge` command. */
export const judgeCommand: Command = {
  name: "judge",
  summary: "judge model answers with an LLM judge (FastChat gen_judgment)",
  help: HELP,
  run,
};

async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(expandListArgs(args, ["--model-list"]), OPTIONS);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const mode = values.mode as JudgeMode;
  if (!JUDGE_MODES.includes(mode)) {
    throw new UsageError(
      `--mode must be one of ${JUDGE_MODES.join(", ")}, got ${JSON.stringify(values.mode)}`,
    );
  }
  const parallel = integerOption(values.parallel, "--parallel", 1);
  const maxAttempts = integerOption(values["max-attempts"], "--max-attempts", 1);
  const maxRetryWaitMs = positiveOption(values["max-retry-wait"], "--max-retry-wait") * 1000;
  const maxTokens = integerOption(values["max-tokens"], "--max-tokens", 1);
  const expectedOutput = integerOption(
    values["expected-output-tokens"],
    "--expected-output-tokens",
    0,
  );
  const timeoutMs = positiveOption(values.timeout, "--timeout") * 1000;
  const firstN = values["first-n"] === undefined
    ? undefined
    : integerOption(values["first-n"], "--first-n", 1);
  const rpm = values.rpm === undefined ? undefined : positiveOption(values.rpm, "--rpm");
  const tpm = values.tpm === undefined ? undefined : positiveOption(values.tpm, "--tpm");
  const bench = values["bench-name"];
  const judgeName = values["judge-model"];
  const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
  let resolved;
  try {
    resolved = resolveChatModel(judgeName, {
      baseUrl: values["judge-base-url"],
      apiKeyEnv: values["judge-api-key-env"],
      getEnv: (name) => Deno.env.get(name),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const apiKey = resolved.apiKeyEnv.map((name) => Deno.env.get(name)).find((value) => !!value);
  const say = (text: string) => console.error(redactSecrets(text, [apiKey]));

  const judgeFile = values["judge-file"] ?? layout.judgePrompts(roots.data);
  const inputs = await loadJudgeInputs({
    dataRoot: roots.data,
    outputRoot: roots.output,
    bench,
    judgeName,
    judgeFile,
    models: listOption(values["model-list"]),
    firstN,
    mode,
    baselineModel: values["baseline-model"],
  });
  for (const notice of inputs.notices) say(`llm-judge judge: note: ${notice}`);
  if (values["check-language"] && !inputs.questions.some((question) => question.lang)) {
    say(
      `llm-judge judge: note: --check-language: no question of ${bench} declares "lang"; nothing to check`,
    );
  }
  const kind = mode === "single" ? "single" : "pairwise";
  let prepared: PreparedMatch[];
  try {
    const judges = makeJudges(judgeName, inputs.prompts, kind);
    const matches = makeMatches({ ...inputs, judges }, {
      mode,
      baselineModel: values["baseline-model"],
    });
    prepared = matches.map((match) => prepareMatch(match, bench));
  } catch (error) {
    if (error instanceof RangeError) {
      throw new DataError(error.message, { file: judgeFile }, { cause: error });
    }
    throw error;
  }
  const outputPath = values["output-file"] ??
    layout.judgmentFile(roots.output, bench, judgeName, mode === "single" ? "single" : "pair");

  const price = priceFrom(values["price-input"], values["price-output"]) ??
    priceOf(resolved.preset.name, resolved.model);
  const existing = await readJudgmentLog(outputPath);
  const plan = planRun(prepared, existing.records, bench, values["retry-errors"]);
  const estimate = estimateTokens(plan.todo, expectedOutput);
  const stats = {
    bench_name: bench,
    mode,
    judge: judgeName,
    baseline: mode === "pairwise-baseline" ? values["baseline-model"] : null,
    model_list: inputs.models,
    total_num_questions: inputs.questions.length,
    total_num_matches: prepared.length,
    output_path: outputPath,
    provider: resolved.preset.name,
    judge_api_model: resolved.model,
    base_url: resolved.baseUrl,
    reference_answers: inputs.referenceName ?? null,
    already_judged: plan.alreadyDone,
    to_judge: plan.todo.length,
    requests: estimate.requests,
    estimated_prompt_tokens: estimate.promptTokens,
    estimated_completion_tokens: estimate.completionTokens,
    estimated_cost_usd: price === undefined ? null : round(
      (estimate.promptTokens * price.input + estimate.completionTokens * price.output) / 1e6,
    ),
  };
  console.log("Stats:");
  console.log(JSON.stringify(stats, null, 4));
  if (values["dry-run"]) {
    say(
      `llm-judge judge: dry run, no request made. Tokens are estimated at 4 characters per token${
        price === undefined
          ? "; no price known for this model (use --price-input/--price-output)"
          : ""
      }.`,
    );
    return 0;
  }
  if (plan.todo.length === 0) {
    if (supersededErrorLines(existing.records, bench).size > 0) {
      const compacted = await openJudgmentLog(outputPath);
      try {
        const dropped = await compactJudgmentLog(compacted, bench);
        say(`llm-judge judge: dropped ${dropped} error record(s) that later good records replace`);
      } finally {
        await compacted.close();
      }
    }
    say(`llm-judge judge: nothing to judge; ${outputPath} is complete.`);
    return 0;
  }

  let client: ChatClient;
  try {
    client = createChatClient(resolved, {
      apiKey,
      azureApiVersion: Deno.env.get("OPENAI_API_VERSION") || undefined,
      timeoutMs: timeoutMs + 5000,
    });
  } catch (error) {
    say(`llm-judge judge: ${(error as Error).message}`);
    return 1;
  }

  let log;
  try {
    log = await openJudgmentLog(outputPath);
  } catch (error) {
    if (error instanceof OutputLockedError) {
      say(`llm-judge judge: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const controller = new AbortController();
  const onSignal = () => {
    say("\nllm-judge judge: interrupted; records written so far are kept. Re-run to resume.");
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  let result: JudgeRunResult;
  const bar = progressBar(say, "judge");
  try {
    if (log.repairedBytes > 0) {
      say(
        `llm-judge judge: removed a torn last line (${log.repairedBytes} bytes) of an interrupted run`,
      );
    }
    // Plan again under the lock: another run may have added records meanwhile.
    const locked = planRun(prepared, log.records, bench, values["retry-errors"]);
    say(
      `llm-judge judge: judging ${locked.todo.length} match(es) with ${client.provider} ${client.model} -> ${outputPath}`,
    );
    result = await judgeMatches(locked.todo, {
      client,
      bench,
      reference: inputs.referenceName,
      parallel,
      rpm,
      tpm,
      maxAttempts,
      maxRetryWaitMs,
      timeoutMs,
      maxTokens,
      expectedCompletionTokens: expectedOutput,
      price,
      signal: controller.signal,
      precheck: values["check-language"] ? languagePrecheck : undefined,
      onRecord: async (built) => {
        await log!.append(built.line);
      },
      onProgress: (progress) => bar.update(progress),
      onRetry: (event) =>
        bar.note(
          `retry ${event.attempt}/${event.maxAttempts - 1} in ${
            (event.delayMs / 1000).toFixed(1)
          }s: ${event.error.message}`,
        ),
    });
    bar.done();
    // One record per key, the good one: error records that a good one replaces go.
    await compactJudgmentLog(log, bench);
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    await log.close();
  }
  const tokens = tokenCounts(result.promptTokens, result.completionTokens);
  say(
    `llm-judge judge: ${result.done} record(s) written, ${result.errors} error record(s), ${result.retries} retr${
      result.retries === 1 ? "y" : "ies"
    }, ${tokens}${result.costUsd === undefined ? "" : `, about $${result.costUsd.toFixed(4)}`} in ${
      (result.elapsedMs / 1000).toFixed(1)
    }s -> ${outputPath}`,
  );
  if (result.errors > 0) {
    say(`llm-judge judge: ${result.errors} error record(s); re-judge them with --retry-errors`);
  }
  if (result.fatal) {
    say(
      `llm-judge judge: stopped early: ${
        describeSetupError(result.fatal, {
          apiKeyEnv: resolved.apiKeyEnv,
          model: resolved.model,
          baseUrl: client.baseUrl,
        })
      }`,
    );
    return 1;
  }
  return result.aborted ? 130 : 0;
}

interface RunPlan {
  todo: PreparedMatch[];
  alreadyDone: number;
}

function planRun(
  prepared: readonly PreparedMatch[],
  records: readonly LoggedRecord[],
  bench: string,
  retryErrors: boolean,
): RunPlan {
  // A key with a good record is done, wherever its error records stand (they are superseded).
  const done = new Set<string>();
  const failed = new Set<string>();
  for (const { record } of records) {
    (isErrorRecord(record) ? failed : done).add(recordKey(record, bench));
  }
  const todo: PreparedMatch[] = [];
  let alreadyDone = 0;
  for (const match of prepared) {
    const isDone = match.keys.some((key) => done.has(key));
    const isFailed = !isDone && match.keys.some((key) => failed.has(key));
    if (retryErrors) {
      if (isFailed) todo.push(match);
      else if (isDone) alreadyDone++;
    } else if (isDone || isFailed) alreadyDone++;
    else todo.push(match);
  }
  return { todo, alreadyDone };
}

function estimateTokens(todo: readonly PreparedMatch[], expectedOutput: number) {
  let promptTokens = 0;
  let requests = 0;
  for (const match of todo) {
    for (const game of match.games) {
      requests++;
      promptTokens += Math.ceil(
        game.messages.reduce((total, message) => total + message.content.length, 0) / 4,
      );
    }
  }
  return { requests, promptTokens, completionTokens: requests * expectedOutput };
}

function priceFrom(input: string | undefined, output: string | undefined): TokenPrice | undefined {
  if (input === undefined && output === undefined) return undefined;
  const parse = (value: string | undefined, name: string) => {
    const number = Number(value ?? "0");
    if (!Number.isFinite(number) || number < 0) {
      throw new UsageError(`${name} must be a non-negative number, got ${JSON.stringify(value)}`);
    }
    return number;
  };
  return { input: parse(input, "--price-input"), output: parse(output, "--price-output") };
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
