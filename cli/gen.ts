// deno-lint-ignore-file no-console
/**
 * `llm-judge gen`: FastChat's `gen_model_answer.py` over a local ONNX model
 * (ONNX Runtime on CPU, WebGPU or CUDA), batched and resumable.
 * @module
 */
import { checkFileName } from "../lib/data/check_file_name.ts";
import {
  type Command,
  COMMON_OPTIONS,
  integerOption,
  parseCommandArgs,
  rangeErrorAsUsage,
  UsageError,
} from "./_command.ts";
import { loadOnnxBackend, type OnnxBackend } from "../lib/generate/mod.ts";
import { ANSWER_OPTIONS, answerTarget, runAnswering } from "./_answer_run.ts";
import { HUB_HELP, ONNX_MODEL_OPTIONS, onnxLoadOptions } from "./_onnx_options.ts";
import { modelSource } from "./_hub_model.ts";

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...ANSWER_OPTIONS,
  ...ONNX_MODEL_OPTIONS,
  "model-id": { type: "string" },
  "max-new-token": { type: "string", default: "1024" },
  seed: { type: "string", default: "0" },
  "system-prompt": { type: "string" },
  "num-gpus-per-model": { type: "string" },
  "num-gpus-total": { type: "string" },
  "max-gpu-memory": { type: "string" },
} as const;

const HELP = `Usage: llm-judge gen --model-path DIR|ORG/NAME --model-id ID [options]

Answers a bench's questions with a local ONNX chat model, as FastChat's
gen_model_answer.py, and writes FastChat answer records to
<output-root>/<bench>/model_answer/<model-id>.jsonl. Re-running skips the
questions already answered (answers with errors are redone).

The model directory is a Hugging Face Optimum / transformers.js export
(config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx) or an
ONNX Runtime GenAI export (genai_config.json). Prompts use the model's own chat
template (tokenizer_config.json); --template picks a built-in one instead.
--model-path may also be a Hugging Face Hub repo id (see below).

Options (as FastChat):
  --model-path DIR         the model directory, or a Hub repo id org/name (required)
  --model-id ID            model name in the records and the file name (required)
  --bench-name NAME        question set under the data root (default mt_bench)
  --question-begin N       first question index (0-based) of the slice to answer
  --question-end N         end index (exclusive) of the slice
  --answer-file FILE       write here instead of the default file
  --max-new-token N        token budget per turn (default 1024)
  --num-choices N          completions per question (default 1)
  --dtype TYPE             weight file: auto, fp32, fp16, q4, q4f16, q8, int8, uint8,
                           bnb4, or FastChat's float32/float16/bfloat16 (default auto)

ONNX Runtime:
  --ep PROVIDER            cpu, webgpu, cuda, a list tried in order (webgpu,cpu), or auto
                           (cuda, then webgpu, then cpu; default auto). CUDA needs the
                           provider libraries: deno install --allow-scripts=npm:onnxruntime-node
  --batch-size N           conversations decoded together (default 8; on the CPU a
                           finished one's row is taken at the next step)
  --threads N              CPU threads per operator (default: ONNX Runtime's choice)
  --no-graph-edit          load the graph as it is (no new-cache-entries output, no
                           last-position head; decoding batch after batch)

Generation:
  --template NAME          built-in chat template: llama-3, phi-3, mistral, chatml, qwen, gemma
  --system-prompt TEXT     a system message before each conversation (default none)
  --seed N                 base sampling seed; choice i uses seed+i (default 0)
  Temperatures are FastChat's per category: writing, roleplay 0.7; extraction, math,
  coding, reasoning 0 (greedy); stem, humanities 0.1; others 0.7.

${HUB_HELP}

Common:
  --data-dir DIR           data root (default $LLM_JUDGE_DATA or ./data)
  --output-dir DIR         output root (default $LLM_JUDGE_OUTPUT or the data root)
  -h, --help               this help

--num-gpus-per-model, --num-gpus-total and --max-gpu-memory are accepted for
FastChat compatibility and ignored.

Exit status: 0 done, 1 bad input or model, 2 bad usage, 130 interrupted.`;

/** The `gen` command. */
export const genCommand: Command = {
  name: "gen",
  help: HELP,
  run,
};

async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, OPTIONS);
  const say = (text: string) => console.error(text);
  const modelPath = values["model-path"];
  const modelId = values["model-id"];
  if (modelPath === undefined) throw new UsageError("--model-path is required");
  if (modelId === undefined || modelId.trim() === "") {
    throw new UsageError("--model-id is required");
  }
  try {
    checkFileName(modelId, { what: "--model-id" });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const maxNewTokens = integerOption(values["max-new-token"], "--max-new-token", 1);
  const numChoices = integerOption(values["num-choices"], "--num-choices", 1);
  const seed = integerOption(values.seed, "--seed", 0);
  for (const ignored of ["num-gpus-per-model", "num-gpus-total", "max-gpu-memory"] as const) {
    if (values[ignored] !== undefined) say(`llm-judge gen: note: --${ignored} is ignored`);
  }
  onnxLoadOptions(values, "gen"); // usage errors before any download
  const { bench, questions, path } = await answerTarget(values, modelId);
  const source = await modelSource(modelPath, values, "gen");
  const loadOptions = onnxLoadOptions(values, "gen", source);

  const loadStart = performance.now();
  const backend: OnnxBackend = await loadOnnxBackend(source.dir, loadOptions)
    .catch(rangeErrorAsUsage);
  const { info } = backend;
  say(
    `llm-judge gen: loaded ${info.model} (${backend.model.layout} layout, ${info.dtype}) on ${info.device} in ${
      ((performance.now() - loadStart) / 1000).toFixed(1)
    }s; chat template ${info.template} (${info.templateFingerprint}); KV cache on ${
      backend.decoder.cacheOnDevice ? "the device" : "the CPU"
    }; ${info.details?.batching} batching${
      info.details?.graph === undefined ? "" : ` (${info.details.graph})`
    }`,
  );
  try {
    return await runAnswering({
      command: "gen",
      questions,
      path,
      backend,
      say,
      answering: {
        modelId,
        numChoices,
        maxNewTokens,
        batchSize: backend.maxBatchSize,
        seed,
        systemPrompt: values["system-prompt"],
        metadata: { bench },
      },
    });
  } finally {
    await backend.close();
  }
}
