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
  priceFrom,
  UsageError,
} from "./_command.ts";
import { DataError } from "../lib/data/data_error.ts";
import { OutputLockedError } from "../lib/data/output_locked_error.ts";
import { layout, resolveRoots } from "../lib/data/data_root.ts";
// Files, not the lib/judge and lib/chat barrels: a dry run needs neither the
// OpenAI client's module nor the language detector (npm:franc).
import type { checkMatchLanguage } from "../lib/judge/check_match_language.ts";
import { compactJudgmentLog, supersededErrorLines } from "../lib/judge/compact_judgment_log.ts";
import { estimateRunTokens } from "../lib/judge/estimate_run_tokens.ts";
import { JUDGE_MODES, type JudgeMode } from "../lib/judge/types.ts";
import { judgeIntoFile } from "../lib/judge/judge_into_file.ts";
import { judgeMatches } from "../lib/judge/judge_matches.ts";
import { loadJudgeInputs } from "../lib/judge/load_judge_inputs.ts";
import { makeJudges } from "../lib/judge/make_judges.ts";
import { makeMatches } from "../lib/judge/make_matches.ts";
import { planRun, type RunPlan } from "../lib/judge/plan_run.ts";
import {
  type PreparedMatch,
  prepareMatch,
  prepareMatchLazily,
} from "../lib/judge/prepare_match.ts";
import { readJudgmentLog } from "../lib/judge/judgment_log.ts";
import { repeatRunPath } from "../lib/judge/repeat_run_path.ts";
import type { ChatClient } from "../lib/chat/chat_client.ts";
import type { createChatClient } from "../lib/chat/providers/create_chat_client.ts";
import { describeSetupError } from "../lib/chat/describe_setup_error.ts";
import { checkChatSetup } from "../lib/chat/providers/check_chat_setup.ts";
import { modelFileName } from "../lib/chat/providers/model_file_name.ts";
import { priceOf, type TokenPrice } from "../lib/chat/model_prices.ts";
import { resolveChatModel } from "../lib/chat/providers/resolve_chat_model.ts";

/**
 * Loads a module at run time through a computed specifier, so that Deno does
 * not load it (and its npm packages) when the command starts.
 */
function lazy<T>(path: string): Promise<T> {
  return import(new URL(path, import.meta.url).href);
}
import { type JudgmentTarget, judgmentTargets } from "../lib/judge/judgment_targets.ts";
import { openJudgmentLog } from "../lib/judge/judgment_log.ts";
import { redactSecrets, redactUrl } from "../lib/http/redact.ts";
import { onInterrupt } from "./_interrupt.ts";
import { progressBar, tokenCounts } from "./_progress.ts";
import { confirmRun } from "./_confirm.ts";
import {
  BATCH_HELP,
  BATCH_OPTIONS,
  batchAdmin,
  batchPriceOf,
  type BatchSetup,
  batchSetup,
  judgeInBatches,
} from "./_batch.ts";

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
  "per-model-file": { type: "boolean", default: false },
  "skip-missing": { type: "boolean", default: false },
  repeats: { type: "string", default: "1" },
  temperature: { type: "string", default: "0" },
  yes: { type: "boolean", short: "y", default: false },
  ...BATCH_OPTIONS,
} as const;

const HELP = `Usage: llm-judge judge [options]

Judges model answers with an LLM judge, as FastChat's gen_judgment.py, and
appends FastChat-format records to <output-root>/<bench>/model_judgment/
<judge>_single.jsonl or <judge>_pair.jsonl (with --per-model-file:
<model>_<judge>_single.jsonl). <judge> is the judge's name without the
provider prefix: groq -> groq, groq:llama-3.1-8b-instant -> llama-3.1-8b-instant,
local:tiny -> tiny (a "/" becomes "_"; names with "..", "\\" or control
characters are refused). Re-running skips what is done. Questions, answers and
reference answers are read from the output root, then the data root (so a bench
written under the output root, as calibrate's mt_bench_human, is judged there).

Options (as FastChat):
  --bench-name NAME        question set under the output root or the data root (default mt_bench)
  --judge-file FILE        judge prompts (default <data-dir>/judge_prompts.jsonl, or
                           <data-dir>/judge_prompts_multilingual.jsonl when the bench's
                           questions declare "lang", as mt_bench_de; it fills {lang})
  --judge-model NAME       judge: a model id (OpenAI), or a preset: groq, groq:<model>,
                           openai:<model>, azure:<deployment>, openrouter:<model>,
                           together:<model>, local:<model> (default gpt-4)
  --baseline-model NAME    baseline of pairwise-baseline (default gpt-3.5-turbo)
  --mode MODE              single | pairwise-baseline | pairwise-all (default single)
  --model-list A B ...     models to judge (default: every answer file)
  --first-n N              only the first N questions
  --skip-missing           skip the matches of a model that has no answer to a question (one
                           notice says how many and which) instead of stopping

Judge endpoint:
  --judge-base-url URL     any OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp);
                           wins over GROQ_BASE_URL (groq preset), OPENAI_BASE_URL (openai)
                           and AZURE_OPENAI_ENDPOINT (azure)
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
  --per-model-file         single mode: one file per model, <model>_<judge>_single.jsonl
                           (show, plot and browse read them with <judge>_single.jsonl)
  --dry-run                print match stats, estimated tokens and cost; call nothing
  -y, --yes                do not wait for Enter after the stats and cost estimate (the
                           pause happens only when standard input is a terminal)
  --retry-errors           re-judge only the error records (they are then replaced)
  --price-input USD        price per million input tokens, for the cost estimate
  --price-output USD       price per million output tokens
  --expected-output-tokens N  completion tokens assumed per judgment in estimates (default 300)
  --temperature T          judge's sampling temperature (default 0, as FastChat)
  --repeats K              K independent runs, each into its own file beside the usual one:
                           <judge>_single.run1.jsonl ... <judge>_single.runK.jsonl (pair likewise);
                           needs --temperature > 0 when K > 1. audit --input-file with the K
                           files reports per-item agreement between runs and score spread per model
  --check-language         single mode: an answer clearly not in the question's declared
                           language ("lang") scores 1 without calling the judge (franc)

${BATCH_HELP}

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
  help: HELP,
  run,
};

async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(expandListArgs(args, ["--model-list"]), OPTIONS);
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
  const repeats = integerOption(values.repeats, "--repeats", 1);
  const temperature = Number(values.temperature);
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) {
    throw new UsageError(
      `--temperature must be a number from 0 to 2, got ${JSON.stringify(values.temperature)}`,
    );
  }
  if (repeats > 1 && temperature === 0) {
    throw new UsageError(
      `--repeats ${repeats} needs --temperature above 0: at 0 the runs would repeat one another`,
    );
  }
  const rpm = values.rpm === undefined ? undefined : positiveOption(values.rpm, "--rpm");
  const tpm = values.tpm === undefined ? undefined : positiveOption(values.tpm, "--tpm");
  const bench = values["bench-name"];
  const judgeSpec = values["judge-model"];
  let judgeName: string;
  try {
    judgeName = modelFileName(judgeSpec, { what: "--judge-model" });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values["per-model-file"] && mode !== "single") {
    throw new UsageError(`--per-model-file works in single mode only, got --mode ${mode}`);
  }
  if (values["per-model-file"] && values["output-file"] !== undefined) {
    throw new UsageError("--per-model-file and --output-file exclude each other");
  }
  const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
  let resolved;
  try {
    resolved = resolveChatModel(judgeSpec, {
      baseUrl: values["judge-base-url"],
      baseUrlFlag: "--judge-base-url",
      apiKeyEnv: values["judge-api-key-env"],
      getEnv: (name) => Deno.env.get(name),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const apiKey = resolved.apiKeyEnv.map((name) => Deno.env.get(name)).find((value) => !!value);
  const say = (text: string) => console.error(redactSecrets(text, [apiKey]));
  // A missing key is reported before any work (a dry run only notes it).
  let client: ChatClient | undefined;
  try {
    checkChatSetup(resolved, apiKey);
    // The client (and the OpenAI module) is loaded only for a run that calls it.
    const { createChatClient: create } = values["dry-run"]
      ? { createChatClient: undefined }
      : await lazy<{ createChatClient: typeof createChatClient }>(
        "../lib/chat/providers/create_chat_client.ts",
      );
    client = create?.(resolved, {
      apiKey,
      azureApiVersion: Deno.env.get("OPENAI_API_VERSION") || undefined,
      timeoutMs: timeoutMs + 5000,
    });
  } catch (error) {
    if (!values["dry-run"]) {
      say(`llm-judge judge: ${(error as Error).message}`);
      return 1;
    }
    say(`llm-judge judge: note: ${(error as Error).message}`);
  }

  const inputs = await loadJudgeInputs({
    dataRoot: roots.data,
    outputRoot: roots.output,
    bench,
    judgeName,
    judgeFile: values["judge-file"],
    models: listOption(values["model-list"]),
    firstN,
    mode,
    baselineModel: values["baseline-model"],
    skipMissing: values["skip-missing"],
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
    let skipped = 0;
    const matches = makeMatches({ ...inputs, judges }, {
      mode,
      baselineModel: values["baseline-model"],
      onMissing: values["skip-missing"] ? () => skipped++ : undefined,
    });
    if (skipped > 0) {
      const which = inputs.missing.map(({ model, questionId, file }) =>
        `${model} has no answer to question ${JSON.stringify(questionId)} (${file})`
      );
      say(
        `llm-judge judge: note: --skip-missing: skipped ${skipped} match(es) whose answers are missing: ${
          which.join("; ")
        }`,
      );
    }
    // A dry run only counts: its matches hold no prompt text (pairwise-all: ~750 MB).
    const prepare = values["dry-run"] ? prepareMatchLazily : prepareMatch;
    prepared = matches.map((match) => prepare(match, bench));
  } catch (error) {
    if (error instanceof RangeError) {
      throw new DataError(error.message, { file: inputs.judgeFile }, { cause: error });
    }
    throw error;
  }
  const fileTargets = judgmentTargets(prepared, {
    root: roots.output,
    bench,
    judge: judgeName,
    kind: mode === "single" ? "single" : "pair",
    perModelFile: values["per-model-file"],
    outputFile: values["output-file"],
  });
  // --repeats K: K independent runs, each into <file>.run<k>.jsonl beside the file.
  const targets: JudgmentTarget[] = repeats === 1 ? fileTargets : Array.from(
    { length: repeats },
    (_, index) =>
      fileTargets.map((target) => ({ ...target, path: repeatRunPath(target.path, index + 1) })),
  ).flat();

  // The Batch API journal sits beside each output file.
  const batches: (BatchSetup | undefined)[] = [];
  if (values.batch || values["batch-status"] || values["batch-cancel"]) {
    for (const target of targets) {
      batches.push(await batchSetup(resolved, apiKey, target.path, values, say));
    }
    if (values["batch-status"] || values["batch-cancel"]) {
      let code = 0;
      for (const batch of batches) code = Math.max(code, await batchAdmin("judge", batch!, values));
      return code;
    }
  }
  const price = priceFrom(values["price-input"], values["price-output"]) ??
    priceOf(resolved.preset.name, resolved.model);
  const batchPrice = batchPriceOf(price, resolved.preset.name);
  const plans: RunPlan[] = [];
  const superseded: string[] = [];
  for (const target of targets) {
    const existing = await readJudgmentLog(target.path);
    plans.push(
      planRun(target.matches, existing.records, { bench, retryErrors: values["retry-errors"] }),
    );
    if (supersededErrorLines(existing.records, bench).size > 0) superseded.push(target.path);
  }
  const todo = plans.flatMap((plan) => plan.todo);
  const estimate = estimateRunTokens(todo, expectedOutput);
  const outputPath = targets.length === 1
    ? targets[0]!.path
    : layout.modelJudgmentFile(roots.output, bench, "<model>", judgeName);
  const stats = {
    bench_name: bench,
    mode,
    judge: judgeName,
    judge_spec: judgeSpec,
    baseline: mode === "pairwise-baseline" ? values["baseline-model"] : null,
    model_list: inputs.models,
    total_num_questions: inputs.questions.length,
    total_num_matches: prepared.length,
    output_path: outputPath,
    ...(values["per-model-file"] || repeats > 1
      ? { output_files: targets.map((target) => target.path) }
      : {}),
    ...(repeats > 1 ? { repeats } : {}),
    ...(temperature > 0 ? { temperature } : {}),
    judge_file: inputs.judgeFile,
    provider: resolved.preset.name,
    judge_api_model: resolved.model,
    base_url: client?.baseUrl ?? redactUrl(resolved.baseUrl),
    reference_answers: inputs.referenceName ?? null,
    already_judged: plans.reduce((total, plan) => total + plan.alreadyDone, 0),
    to_judge: todo.length,
    requests: estimate.requests,
    estimated_prompt_tokens: estimate.promptTokens,
    estimated_completion_tokens: estimate.completionTokens,
    estimated_cost_usd: price === undefined ? null : round(
      (estimate.promptTokens * price.input + estimate.completionTokens * price.output) / 1e6,
    ),
    ...(values.batch
      ? {
        estimated_batch_cost_usd: batchPrice === undefined ? null : round(
          (estimate.promptTokens * batchPrice.input +
            estimate.completionTokens * batchPrice.output) / 1e6,
        ),
      }
      : {}),
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
  if (todo.length === 0) {
    for (const path of superseded) {
      // A run killed during --retry-errors left error records that good ones replace.
      const log = await openJudgmentLog(path);
      try {
        const dropped = await compactJudgmentLog(log, bench);
        say(
          `llm-judge judge: dropped ${dropped} error record(s) that good records replace (${path})`,
        );
      } finally {
        await log.close();
      }
    }
    say(
      `llm-judge judge: nothing to judge; ${targets.map((target) => target.path).join(", ")} ${
        targets.length === 1 ? "is" : "are"
      } complete.`,
    );
    return 0;
  }
  if (!await confirmRun(values.yes, say, "judge")) return 1;
  let code = 0;
  for (const [index, target] of targets.entries()) {
    if (plans[index]!.todo.length === 0) continue;
    code = await judgeTarget(target, {
      client: client!,
      resolved,
      bench,
      judgeSpec,
      retryErrors: values["retry-errors"],
      reference: inputs.referenceName,
      parallel,
      rpm,
      tpm,
      maxAttempts,
      maxRetryWaitMs,
      timeoutMs,
      maxTokens,
      expectedOutput,
      price,
      batch: batches[index],
      batchPrice,
      checkLanguage: values["check-language"],
      temperature,
      say,
    });
    if (code !== 0) break;
  }
  return code;
}

interface TargetRun {
  client: ChatClient;
  resolved: { apiKeyEnv: readonly string[]; model: string };
  bench: string;
  judgeSpec: string;
  retryErrors: boolean;
  reference: string | undefined;
  parallel: number;
  rpm: number | undefined;
  tpm: number | undefined;
  maxAttempts: number;
  maxRetryWaitMs: number;
  timeoutMs: number;
  maxTokens: number;
  expectedOutput: number;
  price: TokenPrice | undefined;
  /** The Batch API client and journal of this file (`--batch`). */
  batch: BatchSetup | undefined;
  batchPrice: TokenPrice | undefined;
  checkLanguage: boolean;
  temperature: number;
  say: (text: string) => void;
}

/** Judges the matches of one output file under its lock; returns the exit code. */
async function judgeTarget(target: JudgmentTarget, run: TargetRun): Promise<number> {
  const { client, resolved, bench, say } = run;
  const outputPath = target.path;
  const interrupt = onInterrupt(say, "judge", "records written");
  const bar = progressBar(say, "judge");
  let judged;
  try {
    judged = await judgeIntoFile(target.matches, {
      outputPath,
      retryErrors: run.retryErrors,
      runner: run.batch === undefined
        ? judgeMatches
        : judgeInBatches(run.batch, say, run.batchPrice),
      onPlan: (plan, repairedBytes) => {
        if (repairedBytes > 0) {
          say(
            `llm-judge judge: removed a torn last line (${repairedBytes} bytes) of an interrupted run`,
          );
        }
        say(
          `llm-judge judge: judging ${plan.todo.length} match(es) with ${client.provider} ${client.model} -> ${outputPath}`,
        );
      },
      client,
      bench,
      reference: run.reference,
      judgeSpec: run.judgeSpec,
      parallel: run.parallel,
      rpm: run.rpm,
      tpm: run.tpm,
      maxAttempts: run.maxAttempts,
      maxRetryWaitMs: run.maxRetryWaitMs,
      timeoutMs: run.timeoutMs,
      maxTokens: run.maxTokens,
      temperature: run.temperature,
      expectedCompletionTokens: run.expectedOutput,
      price: run.price,
      signal: interrupt.signal,
      precheck: run.checkLanguage
        ? (await lazy<{ checkMatchLanguage: typeof checkMatchLanguage }>(
          "../lib/judge/check_match_language.ts",
        )).checkMatchLanguage
        : undefined,
      onProgress: (progress) => bar.update(progress),
      onRetry: (event) =>
        bar.note(
          `retry ${event.attempt}/${event.maxAttempts - 1} in ${
            (event.delayMs / 1000).toFixed(1)
          }s: ${event.error.message}`,
        ),
    });
    bar.done();
  } catch (error) {
    if (error instanceof OutputLockedError) {
      say(`llm-judge judge: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    interrupt.dispose();
  }
  if (judged.compacted > 0) {
    say(`llm-judge judge: dropped ${judged.compacted} error record(s) that good records replace`);
  }
  const result = judged.run;
  if (result === undefined) return 0;
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

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
