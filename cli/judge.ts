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
// Files, not the lib/judge and lib/chat barrels: those load the OpenAI client
// (npm:openai) and the language detector (npm:franc), about 150 ms of CPU that
// a dry run never uses. The client and the precheck are loaded when a run needs them.
import { isErrorRecord, recordKey } from "../lib/judge/record_key.ts";
import { JUDGE_MODES, type JudgeMode, type Match } from "../lib/judge/types.ts";
import type { JudgeRunResult } from "../lib/judge/judge_matches.ts";
import { loadJudgeInputs } from "../lib/judge/load_judge_inputs.ts";
import { makeJudges } from "../lib/judge/make_judges.ts";
import { makeMatches } from "../lib/judge/make_matches.ts";
import { OutputLockedError } from "../lib/judge/output_locked_error.ts";
import { type PreparedMatch, prepareMatch } from "../lib/judge/prepare_match.ts";
import { readJudgmentLog } from "../lib/judge/judgment_log.ts";
import { renderMatch } from "../lib/judge/render_match.ts";
import type { ChatClient } from "../lib/chat/chat_client.ts";
import { priceOf, type TokenPrice } from "../lib/chat/model_prices.ts";
import { resolveChatModel } from "../lib/chat/providers/resolve_chat_model.ts";
import type { LoggedRecord } from "../lib/judge/judgment_log.ts";
import { openJudgmentLog } from "../lib/judge/judgment_log.ts";
import { redactSecrets } from "../lib/http/redact.ts";
import { progressBar } from "./_progress.ts";

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
  let matches: Match[];
  try {
    const judges = makeJudges(judgeName, inputs.prompts, kind);
    matches = makeMatches({ ...inputs, judges }, {
      mode,
      baselineModel: values["baseline-model"],
    });
  } catch (error) {
    throw asDataError(error, judgeFile);
  }
  const outputPath = values["output-file"] ??
    layout.judgmentFile(roots.output, bench, judgeName, mode === "single" ? "single" : "pair");

  const price = priceFrom(values["price-input"], values["price-output"]) ??
    priceOf(resolved.preset.name, resolved.model);
  const existing = await readJudgmentLog(outputPath);
  // Counts only: the prompts are rendered one match at a time and dropped, so a
  // dry run of 74,400 pairwise-all matches does not hold 750 MB of prompts.
  let plan: RunPlan;
  try {
    plan = planRun(matches, existing.records, bench, values["retry-errors"], true);
  } catch (error) {
    throw asDataError(error, judgeFile);
  }
  const estimate = {
    requests: plan.requests,
    promptTokens: plan.promptTokens,
    completionTokens: plan.requests * expectedOutput,
  };
  const stats = {
    bench_name: bench,
    mode,
    judge: judgeName,
    baseline: mode === "pairwise-baseline" ? values["baseline-model"] : null,
    model_list: inputs.models,
    total_num_questions: inputs.questions.length,
    total_num_matches: matches.length,
    output_path: outputPath,
    provider: resolved.preset.name,
    judge_api_model: resolved.model,
    base_url: resolved.baseUrl,
    reference_answers: inputs.referenceName ?? null,
    already_judged: plan.alreadyDone,
    to_judge: plan.todoCount,
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
  if (plan.todoCount === 0) {
    say(`llm-judge judge: nothing to judge; ${outputPath} is complete.`);
    return 0;
  }

  const [{ createChatClient }, { judgeMatches }, { languagePrecheck }]: [
    typeof import("../lib/chat/providers/create_chat_client.ts"),
    typeof import("../lib/judge/judge_matches.ts"),
    typeof import("../lib/judge/language_precheck.ts"),
  ] = await Promise.all([
    import(new URL("../lib/chat/providers/create_chat_client.ts", import.meta.url).href),
    import(new URL("../lib/judge/judge_matches.ts", import.meta.url).href),
    import(new URL("../lib/judge/language_precheck.ts", import.meta.url).href),
  ]);
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
    const locked = planRun(matches, log.records, bench, values["retry-errors"], false);
    say(
      `llm-judge judge: judging ${locked.todo.length} match(es) with ${client.provider} ${client.model} -> ${outputPath}`,
    );
    const retriedKeys = new Set<string>();
    result = await judgeMatches(locked.todo, {
      client,
      bench,
      reference: inputs.referenceName,
      parallel,
      rpm,
      tpm,
      maxAttempts,
      timeoutMs,
      maxTokens,
      expectedCompletionTokens: expectedOutput,
      price,
      signal: controller.signal,
      precheck: values["check-language"] ? languagePrecheck : undefined,
      onRecord: async (built, match) => {
        await log!.append(built.line);
        for (const key of match.keys) retriedKeys.add(key);
      },
      onProgress: (progress) =>
        bar.update({
          ...progress,
          tokens: progress.promptTokens + progress.completionTokens,
        }),
      onRetry: (event) =>
        bar.note(
          `retry ${event.attempt}/${event.maxAttempts - 1} in ${
            (event.delayMs / 1000).toFixed(1)
          }s: ${event.error.message}`,
        ),
    });
    bar.done();
    if (values["retry-errors"]) {
      const superseded = new Set(
        locked.errorRecords
          .filter((logged) => retriedKeys.has(recordKey(logged.record, bench)))
          .map((logged) => logged.line),
      );
      await log.dropLines(superseded);
    }
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    await log.close();
  }
  const tokens = result.promptTokens + result.completionTokens;
  say(
    `llm-judge judge: ${result.done} record(s) written, ${result.errors} error record(s), ${result.retries} retr${
      result.retries === 1 ? "y" : "ies"
    }, ${tokens} tokens${
      result.costUsd === undefined ? "" : `, about $${result.costUsd.toFixed(4)}`
    } in ${(result.elapsedMs / 1000).toFixed(1)}s -> ${outputPath}`,
  );
  if (result.errors > 0) {
    say(`llm-judge judge: ${result.errors} error record(s); re-judge them with --retry-errors`);
  }
  if (result.fatal) {
    say(
      `llm-judge judge: stopped early: the judge refused a request (${result.fatal.message}). Check the API key (${
        resolved.apiKeyEnv.join(" or ")
      }), the model name "${resolved.model}" and the base URL ${client.baseUrl}.`,
    );
    return 1;
  }
  return result.aborted ? 130 : 0;
}

interface RunPlan {
  /** The matches to judge, prepared (empty when planned with `countOnly`). */
  todo: PreparedMatch[];
  /** Matches to judge. */
  todoCount: number;
  alreadyDone: number;
  /** Error records whose matches are re-judged (with --retry-errors). */
  errorRecords: LoggedRecord[];
  /** Requests the matches to judge make (one per game). */
  requests: number;
  /** Estimated prompt tokens of those requests: 4 characters per token, per request. */
  promptTokens: number;
}

/** A RangeError from rendering or matching names the judge prompt file. */
function asDataError(error: unknown, judgeFile: string): unknown {
  if (error instanceof RangeError) {
    return new DataError(error.message, { file: judgeFile }, { cause: error });
  }
  return error;
}

/**
 * Splits the matches into done and to judge. A match is prepared (its prompts
 * rendered and hashed for the record keys) only when a record of its
 * (question, models, turn, judge) exists; with `countOnly` the matches to
 * judge are rendered for the token estimate and dropped.
 */
function planRun(
  matches: readonly Match[],
  records: readonly LoggedRecord[],
  bench: string,
  retryErrors: boolean,
  countOnly: boolean,
): RunPlan {
  // The latest record of a key decides whether it is done or an error.
  const latest = new Map<string, LoggedRecord>();
  for (const logged of records) latest.set(recordKey(logged.record, bench), logged);
  const done = new Set<string>();
  const failed = new Set<string>();
  const bases = new Set<string>();
  for (const [key, logged] of latest) {
    (isErrorRecord(logged.record) ? failed : done).add(key);
    bases.add(keyBase(key));
  }
  const todo: PreparedMatch[] = [];
  let todoCount = 0;
  let alreadyDone = 0;
  let requests = 0;
  let promptTokens = 0;
  const retried = new Set<string>();
  for (const match of matches) {
    const prepared = bases.has(matchBase(match, bench)) ? prepareMatch(match, bench) : undefined;
    const isDone = prepared?.keys.some((key) => done.has(key)) ?? false;
    const isFailed = !isDone && (prepared?.keys.some((key) => failed.has(key)) ?? false);
    const judge = retryErrors ? isFailed : !(isDone || isFailed);
    if (!judge) {
      if (isDone || isFailed) alreadyDone++;
      continue;
    }
    todoCount++;
    const games = prepared?.games ?? renderMatch(match);
    for (const game of games) {
      requests++;
      promptTokens += Math.ceil(
        game.messages.reduce((total, message) => total + message.content.length, 0) / 4,
      );
    }
    if (retryErrors) { for (const key of prepared!.keys) retried.add(key); }
    if (!countOnly) todo.push(prepared ?? prepareMatch(match, bench));
  }
  const errorRecords = retryErrors
    ? records.filter((logged) =>
      isErrorRecord(logged.record) && retried.has(recordKey(logged.record, bench))
    )
    : [];
  return { todo, todoCount, alreadyDone, errorRecords, requests, promptTokens };
}

/** The (bench, question, models, turn, judge, prompt) part of a record key, as JSON. */
function keyBase(key: string): string {
  const parts = JSON.parse(key) as unknown[];
  return JSON.stringify(parts[0] === "bare" ? parts.slice(1) : parts.slice(1, -1));
}

/** The key base of a match, as prepareMatch builds it into the match's keys. */
function matchBase(match: Match, bench: string): string {
  const models = match.kind === "single" ? match.model : [match.model1, match.model2];
  return JSON.stringify([
    bench,
    match.question.question_id,
    models,
    match.multiTurn ? 2 : 1,
    match.judge.name,
    match.judge.prompt.name,
  ]);
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
