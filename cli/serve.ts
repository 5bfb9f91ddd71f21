// deno-lint-ignore-file no-console
/**
 * `llm-judge serve`: an OpenAI-compatible HTTP server over a local ONNX model.
 * @module
 */
import { checkFileName } from "../lib/data/check_file_name.ts";
import { basename, resolve } from "node:path";
import {
  type Command,
  COMMON_OPTIONS,
  integerOption,
  parseCommandArgs,
  positiveOption,
  rangeErrorAsUsage,
  UsageError,
} from "./_command.ts";
import { loadOnnxBackend, type OnnxBackend } from "../lib/generate/mod.ts";
import { serveModel } from "../lib/serve/mod.ts";
import { HUB_HELP, ONNX_MODEL_OPTIONS, onnxLoadOptions } from "./_onnx_options.ts";
import { modelSource } from "./_hub_model.ts";

const OPTIONS = {
  help: COMMON_OPTIONS.help,
  ...ONNX_MODEL_OPTIONS,
  "model-id": { type: "string" },
  host: { type: "string", default: "127.0.0.1" },
  port: { type: "string", default: "8000" },
  "batch-wait-ms": { type: "string", default: "5" },
  "max-tokens": { type: "string", default: "1024" },
  "max-body-bytes": { type: "string", default: String(8 * 1024 * 1024) },
  "request-timeout": { type: "string", default: "600" },
} as const;

const HELP = `Usage: llm-judge serve --model-path DIR|ORG/NAME [options]

Serves a local ONNX chat model as an OpenAI-compatible API:
GET /v1/models and POST /v1/chat/completions (streaming with "stream": true).
Concurrent requests are decoded together (on the CPU a request joins the
running batch at the next step). Use it as a judge
(judge --judge-base-url http://127.0.0.1:8000/v1 --judge-model local:<model-id>)
or with gen-api (--openai-api-base http://127.0.0.1:8000/v1 --model local:<model-id>).

Options:
  --model-path DIR         the model directory, or a Hub repo id org/name (required;
                           see llm-judge gen --help)
  --model-id ID            model name served (default: the directory's or repo's name)
  --host HOST              interface to bind (default 127.0.0.1: this machine only)
  --port N                 port (default 8000; 0 picks a free one)
  --ep PROVIDER            cpu, webgpu, cuda, a list tried in order, or auto (default auto)
  --dtype TYPE             weight file of an Optimum export (default auto)
  --template NAME          built-in chat template: llama-3, phi-3, mistral, chatml, qwen, gemma
  --batch-size N           requests decoded together (default 8)
  --batch-wait-ms N        how long an idle server waits for more requests before
                           it starts decoding (default 5)
  --max-tokens N           completion budget when a request sets none (default 1024)
  --max-body-bytes N       largest request body; larger ones get 413 unread (default 8 MiB)
  --request-timeout S      longest time one completion may take, in seconds; then 504
                           (default 600)
  --threads N              CPU threads per operator
  --no-graph-edit          load the graph as it is (see llm-judge gen --help)
  -h, --help               this help

${HUB_HELP}

Stop with Ctrl-C.`;

/** The `serve` command. */
export const serveCommand: Command = {
  name: "serve",
  help: HELP,
  run,
};

async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  const modelPath = values["model-path"];
  if (modelPath === undefined) throw new UsageError("--model-path is required");
  const port = integerOption(values.port, "--port", 0);
  onnxLoadOptions(values, "serve"); // usage errors before any download
  const source = await modelSource(modelPath, values, "serve");
  const modelId = values["model-id"] ??
    (source.modelName === undefined ? basename(resolve(modelPath)) : basename(source.modelName));
  try {
    // The served name becomes gen-api's answer file and judge's file names.
    checkFileName(modelId, {
      what: values["model-id"] === undefined ? "--model-path" : "--model-id",
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const loadOptions = onnxLoadOptions(values, "serve", source);
  const maxWaitMs = integerOption(values["batch-wait-ms"], "--batch-wait-ms", 0);
  const maxTokens = integerOption(values["max-tokens"], "--max-tokens", 1);
  const maxBodyBytes = integerOption(values["max-body-bytes"], "--max-body-bytes", 1);
  const requestTimeoutMs = positiveOption(values["request-timeout"], "--request-timeout") * 1000;
  const say = (text: string) => console.error(text);
  const backend: OnnxBackend = await loadOnnxBackend(source.dir, {
    ...loadOptions,
    batchWaitMs: maxWaitMs,
  }).catch(rangeErrorAsUsage);
  const controller = new AbortController();
  const server = await serveModel(backend, {
    modelId,
    hostname: values.host,
    port,
    maxBatchSize: backend.maxBatchSize,
    maxWaitMs,
    defaultMaxTokens: maxTokens,
    maxBodyBytes,
    requestTimeoutMs,
    signal: controller.signal,
  });
  const onSignal = () => controller.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  if (values.host !== "127.0.0.1" && values.host !== "localhost" && values.host !== "::1") {
    say(`llm-judge serve: note: listening on ${values.host}: other machines can reach the model`);
  }
  const { info } = backend;
  // The one line on stdout: scripts read the URL from it.
  console.log(`llm-judge serve: ${modelId} (${info.dtype}, ${info.device}) at ${server.baseUrl}`);
  try {
    await server.finished;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    await backend.close();
  }
  const steps = backend.queue.steps;
  say(
    `llm-judge serve: stopped after ${server.scheduler.answered} request(s) in ${steps.length} forward pass(es) of up to ${
      Math.max(0, ...steps)
    } row(s)`,
  );
  return 0;
}
