// deno-lint-ignore-file no-console
/**
 * `llm-judge calibrate`: judges the MT-Bench human-study items with any judge
 * and reports its agreement with the human experts, next to GPT-4's and the
 * experts' own agreement.
 * @module
 */
import { stdout, writeAll } from "./_io.ts";
import { join } from "node:path";
import {
  type Command,
  COMMON_OPTIONS,
  integerOption,
  oneOf,
  parseCommandArgs,
  positiveOption,
  priceFrom,
  UsageError,
} from "./_command.ts";
import { DataError } from "../lib/data/data_error.ts";
import { OutputLockedError } from "../lib/data/output_locked_error.ts";
import { layout, resolveRoots } from "../lib/data/data_root.ts";
import { readAnswers } from "../lib/data/read_answers.ts";
import { readJudgePrompts } from "../lib/data/read_judge_prompts.ts";
import { isPairJudgment, type PairJudgment, type SingleJudgment } from "../lib/data/types.ts";
import { writeTextFileAtomic } from "../lib/data/write_text_file_atomic.ts";
import {
  estimateRunTokens,
  judgeIntoFile,
  makeJudges,
  planRun,
  type PreparedMatch,
  prepareMatch,
  readJudgmentLog,
} from "../lib/judge/mod.ts";
import {
  type ChatClient,
  createChatClient,
  createMockClient,
  modelFileName,
  priceOf,
  resolveChatModel,
  type TokenPrice,
} from "../lib/chat/mod.ts";
import { redactSecrets } from "../lib/http/redact.ts";
import {
  calibrationMatches,
  computeCalibration,
  loadHumanBench,
  renderCalibration,
  sampleItems,
  writeHumanBench,
} from "../lib/calibrate/mod.ts";
import { onInterrupt } from "./_interrupt.ts";
import { progressBar } from "./_progress.ts";
import {
  BATCH_HELP,
  BATCH_OPTIONS,
  batchAdmin,
  batchPriceOf,
  type BatchSetup,
  batchSetup,
  judgeInBatches,
} from "./_batch.ts";

const MODES = ["pairwise", "single", "both"] as const;
const FORMATS = ["table", "json", "markdown", "csv"] as const;

const OPTIONS = {
  ...COMMON_OPTIONS,
  "judge-model": { type: "string" },
  "judge-base-url": { type: "string" },
  "judge-api-key-env": { type: "string" },
  "judge-file": { type: "string" },
  mode: { type: "string", default: "pairwise" },
  sample: { type: "string" },
  seed: { type: "string", default: "0" },
  parallel: { type: "string", default: "1" },
  rpm: { type: "string" },
  tpm: { type: "string" },
  "max-attempts": { type: "string", default: "6" },
  timeout: { type: "string", default: "120" },
  "max-tokens": { type: "string", default: "2048" },
  "price-input": { type: "string" },
  "price-output": { type: "string" },
  "expected-output-tokens": { type: "string", default: "300" },
  bootstrap: { type: "string", default: "1000" },
  format: { type: "string", default: "table" },
  yes: { type: "boolean", short: "y", default: false },
  "dry-run": { type: "boolean", default: false },
  ...BATCH_OPTIONS,
} as const;

const HELP = `Usage: llm-judge calibrate --judge-model J [options]

Measures a judge against the MT-Bench human experts. It assembles the
human-study bench (every question, model pair and turn an expert voted on, with
the answers the experts saw) as <output-root>/mt_bench_human in FastChat's
layout, judges those items with J through the judge pipeline (FastChat's
prompts, both orders, resumable), and reports agreement with the experts per
turn, with ties (S1) and without (S2), with Cohen's kappa and a 95% bootstrap
interval over questions, per category, next to GPT-4 vs human and human vs
human from the dataset; and J's position consistency and error rate.

Options:
  --judge-model NAME       the judge, as for judge: a model id or a preset
                           (groq, groq:<model>, openai:<model>, local:<model>, ...)
  --judge-base-url URL     any OpenAI-compatible server
  --judge-api-key-env VAR  read the API key from VAR
  --judge-file FILE        judge prompts (default <data-dir>/judge_prompts.jsonl)
  --mode MODE              pairwise | single | both (default pairwise); single grades
                           become votes (a tie within 0.1); both adds single-vs-pair
  --sample N               judge a random sample of N items (the interval widens)
  --seed S                 sample and bootstrap seed (default 0)
  --parallel N             concurrent matches (default 1)
  --rpm N / --tpm N        requests / tokens per minute
  --max-attempts N         attempts per request (default 6)
  --timeout SECONDS        per-request timeout (default 120)
  --max-tokens N           completion budget (default 2048)
  --price-input USD        price per million input tokens, for the estimate
  --price-output USD       price per million output tokens
  --expected-output-tokens N  completion tokens assumed per request (default 300)
  --bootstrap N            bootstrap rounds (default 1000; 0: no interval)
  --format FORMAT          table, json, markdown or csv (default table)
  -y, --yes                start without waiting for Enter after the cost estimate
  --dry-run                assemble the bench and print the estimate; call nothing

${BATCH_HELP}
                           (calibrate: one journal beside each judgment file,
                           <judge>_pair.jsonl.batches.jsonl / <judge>_single.jsonl.batches.jsonl)

  --data-dir DIR           data root (default $LLM_JUDGE_DATA or ./data)
  --output-dir DIR         output root (default $LLM_JUDGE_OUTPUT or the data root):
                           the bench, the judgments and reports/calibration_<judge>.{json,md}

Exit status: 0 done (failed items are listed in the report), 1 bad data or a
judge that refused requests, 2 bad usage, 130 interrupted.`;

/** The `calibrate` command. */
export const calibrateCommand: Command = {
  name: "calibrate",
  help: HELP,
  run,
};

async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const judgeModel = values["judge-model"];
  if (judgeModel === undefined || judgeModel.trim() === "") {
    throw new UsageError("--judge-model is required (e.g. --judge-model groq)");
  }
  // Files and records name the judge without its provider prefix, as `judge` does.
  let judgeName: string;
  try {
    judgeName = modelFileName(judgeModel, { what: "--judge-model" });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const mode = oneOf(values.mode, MODES, "--mode");
  const format = oneOf(values.format, FORMATS, "--format");
  const sample = values.sample === undefined
    ? undefined
    : integerOption(values.sample, "--sample", 1);
  const seed = integerOption(values.seed, "--seed", 0);
  const parallel = integerOption(values.parallel, "--parallel", 1);
  const maxAttempts = integerOption(values["max-attempts"], "--max-attempts", 1);
  const maxTokens = integerOption(values["max-tokens"], "--max-tokens", 1);
  const expectedOutput = integerOption(
    values["expected-output-tokens"],
    "--expected-output-tokens",
    0,
  );
  const rounds = integerOption(values.bootstrap, "--bootstrap", 0);
  const timeoutMs = positiveOption(values.timeout, "--timeout") * 1000;
  const rpm = values.rpm === undefined ? undefined : positiveOption(values.rpm, "--rpm");
  const tpm = values.tpm === undefined ? undefined : positiveOption(values.tpm, "--tpm");
  const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
  let resolved;
  try {
    resolved = resolveChatModel(judgeModel, {
      baseUrl: values["judge-base-url"],
      apiKeyEnv: values["judge-api-key-env"],
      getEnv: (name) => Deno.env.get(name),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const apiKey = resolved.apiKeyEnv.map((name) => Deno.env.get(name)).find((value) => !!value);
  const say = (text: string) => console.error(redactSecrets(text, [apiKey]));

  const loaded = await loadHumanBench(roots.data);
  const { bench } = loaded;
  const written = await writeHumanBench(bench, roots.output, { referenceRoot: roots.data });
  say(
    `llm-judge calibrate: ${bench.name}: ${bench.items.length} of ${
      bench.items.length + bench.unavailable.length
    } expert-voted items have both answers -> ${written.directory}`,
  );
  for (const { item, reason } of bench.unavailable) {
    say(
      `llm-judge calibrate: note: left out question ${item.question_id}, turn ${item.turn}, ${item.model_a} vs ${item.model_b}: ${reason}`,
    );
  }
  const items = sample === undefined ? bench.items : sampleItems(bench.items, sample, seed);
  const judgeFile = values["judge-file"] ?? layout.judgePrompts(roots.data);
  const prompts = await readJudgePrompts(judgeFile);
  const referenceFile = join(layout.referenceDir(roots.data, "mt_bench"), "gpt-4.jsonl");
  const references = new Map(
    (await readAnswers(referenceFile)).map((answer) => [answer.question_id, answer]),
  );
  const kinds: ("pair" | "single")[] = mode === "both"
    ? ["pair", "single"]
    : mode === "pairwise"
    ? ["pair"]
    : ["single"];
  const runs: { kind: "pair" | "single"; prepared: PreparedMatch[]; outputPath: string }[] = [];
  for (const kind of kinds) {
    let prepared: PreparedMatch[];
    try {
      const judges = makeJudges(judgeName, prompts, kind === "pair" ? "pairwise" : "single");
      prepared = calibrationMatches(bench, items, judges, kind, { references })
        .map((match) => prepareMatch(match, bench.name));
    } catch (error) {
      if (error instanceof RangeError) {
        throw new DataError(error.message, { file: judgeFile }, { cause: error });
      }
      throw error;
    }
    runs.push({
      kind,
      prepared,
      outputPath: layout.judgmentFile(roots.output, bench.name, judgeName, kind),
    });
  }

  // The Batch API journal sits beside each judgment file.
  const batches: BatchSetup[] = [];
  if (values.batch || values["batch-status"] || values["batch-cancel"]) {
    for (const entry of runs) {
      batches.push(await batchSetup(resolved, apiKey, entry.outputPath, values, say));
    }
    if (values["batch-status"] || values["batch-cancel"]) {
      let code = 0;
      for (const batch of batches) {
        say(`llm-judge calibrate: ${batch.journal.path}`);
        code = Math.max(code, await batchAdmin("calibrate", batch, values));
      }
      return code;
    }
  }
  const price = priceFrom(values["price-input"], values["price-output"]) ??
    priceOf(resolved.preset.name, resolved.model);
  const batchPrice = batchPriceOf(price, resolved.preset.name);
  let requests = 0, promptTokens = 0, alreadyDone = 0;
  for (const entry of runs) {
    const plan = planRun(entry.prepared, (await readJudgmentLog(entry.outputPath)).records, {
      bench: bench.name,
    });
    alreadyDone += plan.alreadyDone;
    const estimate = estimateRunTokens(plan.todo, 0);
    requests += estimate.requests;
    promptTokens += estimate.promptTokens;
  }
  const completionTokens = requests * expectedOutput;
  const costAt = (rate: TokenPrice | undefined) =>
    rate === undefined
      ? undefined
      : (promptTokens * rate.input + completionTokens * rate.output) / 1e6;
  const cost = costAt(price);
  const batchCost = values.batch ? costAt(batchPrice) : undefined;
  say(
    `llm-judge calibrate: ${items.length} item(s)${
      sample === undefined ? "" : ` (a sample of ${bench.items.length}, seed ${seed})`
    }, mode ${mode}: ${alreadyDone} match(es) already judged, ${requests} request(s) to ${resolved.preset.name} ${resolved.model}; about ${promptTokens} prompt + ${completionTokens} completion tokens${
      cost === undefined
        ? " (no price known: use --price-input/--price-output)"
        : `, about $${cost.toFixed(4)}${
          batchCost === undefined ? "" : ` (through the Batch API about $${batchCost.toFixed(4)})`
        }`
    }.`,
  );
  if (values["dry-run"]) {
    say("llm-judge calibrate: dry run, no request made.");
    return 0;
  }
  if (requests > 0 && !values.yes && Deno.stdin.isTerminal()) {
    say("Press Enter to start, Ctrl-C to cancel (--yes skips this).");
    const buffer = new Uint8Array(64);
    const read = await Deno.stdin.read(buffer);
    if (read === null) return 130;
  }

  let client: ChatClient;
  try {
    // With nothing left to judge the client is never called (the report is
    // rebuilt from the files), so no API key is needed to re-render it.
    client = requests === 0 ? createMockClient({ model: resolved.model }) : createChatClient(
      resolved,
      {
        apiKey,
        azureApiVersion: Deno.env.get("OPENAI_API_VERSION") || undefined,
        timeoutMs: timeoutMs + 5000,
      },
    );
  } catch (error) {
    say(`llm-judge calibrate: ${(error as Error).message}`);
    return 1;
  }
  const interrupt = onInterrupt(say, "calibrate", "judgments");
  const records: { pair?: PairJudgment[]; single?: SingleJudgment[] } = {};
  let fatal: Error | undefined;
  let aborted = false;
  try {
    for (const entry of runs) {
      const bar = progressBar(say, `calibrate ${entry.kind}`);
      let result;
      try {
        result = await judgeIntoFile(entry.prepared, {
          client,
          bench: bench.name,
          outputPath: entry.outputPath,
          reference: "gpt-4",
          parallel,
          rpm,
          tpm,
          maxAttempts,
          timeoutMs,
          maxTokens,
          expectedCompletionTokens: expectedOutput,
          price,
          runner: batches.length === 0
            ? undefined
            : judgeInBatches(batches[runs.indexOf(entry)]!, say, batchPrice, "calibrate"),
          signal: interrupt.signal,
          onProgress: (progress) => bar.update(progress),
        });
      } catch (error) {
        if (error instanceof OutputLockedError) {
          say(`llm-judge calibrate: ${error.message}`);
          return 1;
        }
        throw error;
      }
      bar.done();
      if (result.run !== undefined) {
        say(
          `llm-judge calibrate: ${result.run.done} ${entry.kind} record(s) written, ${result.run.errors} error record(s) -> ${entry.outputPath}`,
        );
        fatal ??= result.run.fatal;
        aborted ||= result.run.aborted;
      }
      if (entry.kind === "pair") {
        records.pair = result.records.filter(isPairJudgment) as PairJudgment[];
      } else {
        records.single = result.records.filter((record) =>
          !isPairJudgment(record)
        ) as SingleJudgment[];
      }
      if (fatal !== undefined || aborted) break;
    }
  } finally {
    interrupt.dispose();
  }
  if (fatal !== undefined) {
    say(
      `llm-judge calibrate: stopped early: the judge refused a request (${fatal.message}). Check the API key (${
        resolved.apiKeyEnv.join(" or ")
      }), the model name "${resolved.model}" and the base URL.`,
    );
  }

  const report = computeCalibration({
    judge: judgeModel,
    items,
    humanVotes: loaded.humanVotes,
    gpt4Votes: loaded.gpt4Votes,
    questions: bench.questions,
    pairRecords: kinds.includes("pair") ? records.pair ?? [] : undefined,
    singleRecords: kinds.includes("single") ? records.single ?? [] : undefined,
    referenceScope: sample === undefined ? "dataset" : "items",
  }, { rounds, seed });
  const document = {
    judge: judgeModel,
    provider: resolved.preset.name,
    judge_api_model: resolved.model,
    bench: bench.name,
    mode,
    sample: sample === undefined ? null : { size: items.length, of: bench.items.length, seed },
    unavailable: bench.unavailable.map(({ item, reason }) => ({
      question_id: item.question_id,
      model_a: item.model_a,
      model_b: item.model_b,
      turn: item.turn,
      reason,
    })),
    judgment_files: runs.map((entry) => entry.outputPath),
    created: new Date().toISOString(),
    report,
  };
  const stem = judgeName;
  const reportDir = join(roots.output, "reports");
  const jsonPath = join(reportDir, `calibration_${stem}.json`);
  const markdownPath = join(reportDir, `calibration_${stem}.md`);
  await writeTextFileAtomic(jsonPath, JSON.stringify(document, null, 2) + "\n");
  await writeTextFileAtomic(markdownPath, renderCalibration(report, "markdown"));
  const text = format === "json"
    ? JSON.stringify(document, null, 2) + "\n"
    : renderCalibration(report, format);
  await writeStdout(text);
  say(`llm-judge calibrate: report -> ${jsonPath}, ${markdownPath}`);
  if (fatal !== undefined) return 1;
  return aborted ? 130 : 0;
}

function writeStdout(text: string): void {
  writeAll(stdout(), new TextEncoder().encode(text));
}
