import assert from "node:assert/strict";
import { join } from "node:path";
import {
  answerQuestions,
  type GenerationRequest,
  type GenerationResult,
  loadOnnxBackend,
  type ModelAnswer,
  ModelLoadError,
  type OnnxBackend,
  OnnxDecoder,
  readModelDirectory,
} from "../../mod.ts";
import { KvSlots } from "../../lib/generate/_kv_slots.ts";
import { copyModel, editJson, PROMPTS, tinyModel } from "./_fixtures.ts";
import { tempDir } from "../_temp.ts";

/** Logits computed with and without the KV cache agree to this (float32 ops in another order). */
const LOGIT_TOLERANCE = 1e-4;

function greedy(content: string, extra: Partial<GenerationRequest> = {}): GenerationRequest {
  return { messages: [{ role: "user", content }], temperature: 0, maxNewTokens: 20, ...extra };
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Loads a copy of a model directory with its config.json changed. */
async function withConfig(
  source: string,
  edit: (config: Record<string, unknown>) => void,
): Promise<OnnxBackend> {
  const dir = await copyModel(source);
  await editJson(join(dir, "config.json"), edit);
  return loadOnnxBackend(dir, { ep: "cpu" });
}

Deno.test("OnnxDecoder", async (t) => {
  // Without the printable-only logit bias, so logits are all of order 1.
  const model = await readModelDirectory((await tinyModel({ printableOnly: false })).dir);
  // The graph as exported (whole cache out, logits of every position) ...
  const decoder = await OnnxDecoder.load(model, { ep: "cpu", editGraph: false });
  // ... and as edited for the CPU loop (new cache entries, last-position logits).
  const edited = await OnnxDecoder.load(model, { ep: "cpu" });
  const backend = await loadOnnxBackend(model.dir, { ep: "cpu" });
  const ids = backend.encode(backend.renderPrompt([{ role: "user", content: PROMPTS[0]! }]));
  const n = ids.length;
  const range = (from: number, to: number) =>
    BigInt64Array.from({ length: to - from }, (_, i) => BigInt(from + i));
  const ones = (count: number) => new BigInt64Array(count).fill(1n);
  /** A prompt run through a decoder from an empty cache. */
  const prefill = (target: OnnxDecoder, tokens: readonly number[]) =>
    target.forward({
      inputIds: BigInt64Array.from(tokens.map(BigInt)),
      attentionMask: ones(tokens.length),
      positionIds: range(0, tokens.length),
      batch: 1,
      length: tokens.length,
      past: target.emptyCache(1),
    });
  try {
    await t.step(
      `logits with the KV cache equal logits without it (max |Δ| ≤ ${LOGIT_TOLERANCE})`,
      async () => {
        const full = await prefill(decoder, ids);
        const vocab = full.vocab;
        // The first half as a prompt, then one token at a time from the cache.
        const half = Math.floor(n / 2);
        let step = await prefill(decoder, ids.slice(0, half));
        let worst = maxDifference(step.logits, full.logits.subarray(0, half * vocab));
        for (let position = half; position < n; position++) {
          step = await decoder.forward({
            inputIds: BigInt64Array.of(BigInt(ids[position]!)),
            attentionMask: ones(position + 1),
            positionIds: range(position, position + 1),
            batch: 1,
            length: 1,
            past: step.present,
          });
          worst = Math.max(
            worst,
            maxDifference(
              step.logits,
              full.logits.subarray(position * vocab, (position + 1) * vocab),
            ),
          );
        }
        assert.ok(worst <= LOGIT_TOLERANCE, `max |Δ| = ${worst}`);
      },
    );

    await t.step("left padding with a zero mask leaves a row's logits unchanged", async () => {
      const alone = await prefill(decoder, ids);
      const pad = 5;
      const padded = await decoder.forward({
        inputIds: BigInt64Array.from([...new Array(pad).fill(0), ...ids].map(BigInt)),
        attentionMask: BigInt64Array.from([...new Array(pad).fill(0n), ...ones(n)]),
        positionIds: BigInt64Array.from([...new Array(pad).fill(1n), ...range(0, n)]),
        batch: 1,
        length: n + pad,
        past: decoder.emptyCache(1),
      });
      const vocab = alone.vocab;
      const last = (logits: Float32Array, length: number) =>
        logits.subarray((length - 1) * vocab, length * vocab);
      assert.ok(
        maxDifference(last(alone.logits, n), last(padded.logits, n + pad)) <= LOGIT_TOLERANCE,
      );
    });

    await t.step("the edited graph outputs new cache entries and last-position logits", () => {
      assert.equal(decoder.newEntries, false);
      assert.equal(decoder.lastLogits, false);
      assert.equal(edited.newEntries, true);
      assert.equal(edited.lastLogits, true);
      assert.deepEqual(edited.graphNotes, [
        "cache: the graph outputs new entries only; the loop keeps the cache",
        "logits: last position only",
      ]);
    });

    await t.step(
      `the edited graph with the cache in KvSlots gives the exported graph's logits (max |Δ| ≤ ${LOGIT_TOLERANCE})`,
      async () => {
        const half = Math.floor(n / 2);
        const reference = async (length: number) => {
          const out = await prefill(decoder, ids.slice(0, length));
          return out.logits.subarray((length - 1) * out.vocab, length * out.vocab);
        };
        // Two rows: a filler that joins first, then the prompt, so that the
        // prompt's entries sit after masked columns, as in continuous batching.
        const slots = new KvSlots(edited.runtime, {
          maxRows: 2,
          heads: model.numKvHeads,
          size: model.headDim,
          type: "float32",
        }, edited.pastNames);
        const filler = await prefill(edited, ids.slice(0, 3).reverse());
        slots.addRow(filler.present, 0, 0, 3);
        // Far right: the prompt lands just before column 250, and the steps
        // reach the capacity (256), where the entries move to the front.
        slots.next = 250;
        slots.reserve(slots.next + 1);
        assert.equal(slots.capacity, 256);
        const prompt = await prefill(edited, ids.slice(0, half));
        assert.equal(prompt.logitsLength, 1);
        let worst = maxDifference(prompt.logits, await reference(half));
        const row = slots.addRow(prompt.present, 0, 0, half);
        for (let position = half; position < n; position++) {
          const inputIds = new BigInt64Array(2);
          inputIds[row] = BigInt(ids[position]!);
          const positionIds = new BigInt64Array(2);
          positionIds[row] = BigInt(position);
          slots.makeRoom();
          const step = await edited.forward({
            inputIds,
            attentionMask: slots.mask(),
            positionIds,
            batch: 2,
            length: 1,
            past: slots.pastFeeds(),
          });
          slots.append(step.present);
          const vocab = step.vocab;
          worst = Math.max(
            worst,
            maxDifference(
              step.logits.subarray(row * vocab, (row + 1) * vocab),
              await reference(position + 1),
            ),
          );
        }
        assert.ok(slots.next < 250, "the entries should have moved to the front");
        assert.ok(worst <= LOGIT_TOLERANCE, `max |Δ| = ${worst}`);
      },
    );

    await t.step("drops finished rows from a CPU cache", () => {
      const cache = decoder.emptyCache(3);
      const kept = decoder.keepRows(cache, [0, 2])!;
      assert.deepEqual(kept[decoder.pastNames[0]!]!.dims, [2, 2, 0, 16]);
    });
  } finally {
    await decoder.close();
    await edited.close();
    await backend.close();
  }
});

Deno.test("loadOnnxBackend()", async (t) => {
  const tiny = await tinyModel();
  const backend = await loadOnnxBackend(tiny.dir, { ep: "cpu" });
  try {
    await t.step("describes itself: provider, dtype, template and fingerprint", () => {
      assert.equal(backend.info.kind, "onnx");
      assert.equal(backend.info.device, "cpu");
      assert.equal(backend.info.dtype, "fp32");
      assert.equal(backend.info.template, "tokenizer_config.json");
      assert.match(backend.info.templateFingerprint ?? "", /^[0-9a-f]{16}$/);
    });

    await t.step("renders the model's own chat template", () => {
      assert.equal(
        backend.renderPrompt([{ role: "user", content: "Hi" }]),
        "<|begin_of_text|><|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
      );
    });

    await t.step("stops on the model's end-of-sequence ids", async () => {
      // Greedy replies are fixed: make the 4th character of one an end token.
      const [base] = await backend.generate([greedy(PROMPTS[0]!, { ignoreEos: true })]);
      const text = base!.text;
      assert.ok(text.length >= 6, `reply too short: ${JSON.stringify(text)}`);
      const index = 3;
      const eos = backend.encode(text[index]!);
      assert.equal(eos.length, 1);
      const dir = await copyModel(tiny.dir);
      await editJson(join(dir, "generation_config.json"), (config) => {
        config.eos_token_id = eos;
      });
      await editJson(join(dir, "config.json"), (config) => {
        config.eos_token_id = eos;
      });
      const stopping = await loadOnnxBackend(dir, { ep: "cpu" });
      try {
        const [result] = await stopping.generate([greedy(PROMPTS[0]!)]);
        const first = text.indexOf(text[index]!);
        assert.equal(result!.text, text.slice(0, first));
        assert.equal(result!.finishReason, "stop");
        assert.equal(result!.completionTokens, first + 1);
      } finally {
        await stopping.close();
      }
    });

    await t.step("stops at the token budget with finish reason length", async () => {
      const [result] = await backend.generate([greedy(PROMPTS[0]!, { maxNewTokens: 4 })]);
      assert.equal(result!.completionTokens, 4);
      assert.equal(result!.finishReason, "length");
    });

    await t.step("returns an error reply for a prompt longer than the context", async () => {
      const short = await withConfig(tiny.dir, (config) => {
        config.max_position_embeddings = 40;
      });
      try {
        const [tooLong, fits] = await short.generate([greedy(PROMPTS[2]!), greedy("")]);
        assert.match(tooLong!.error ?? "", /more than the model's context length of 40/);
        assert.equal(tooLong!.text, "$ERROR$");
        assert.equal(fits!.error, undefined);
        assert.ok(fits!.completionTokens <= 40 - fits!.promptTokens);
      } finally {
        await short.close();
      }
    });

    await t.step(
      "a request that arrives mid-decode joins the batch and decodes as if alone",
      async () => {
        assert.equal(backend.info.details?.batching, "continuous");
        const long = greedy(PROMPTS[0]!, { maxNewTokens: 40, ignoreEos: true });
        const short = greedy(PROMPTS[1]!, { maxNewTokens: 8, ignoreEos: true });
        const [longAlone] = await backend.generate([long]);
        const [shortAlone] = await backend.generate([short]);
        const before = backend.queue.steps.length;
        let chunks = 0;
        let joined: Promise<GenerationResult[]> | undefined;
        const first = backend.generate([long], {
          onText: () => {
            if (++chunks === 5) joined = backend.generate([short]);
          },
        });
        const [longTogether] = await first;
        const [shortTogether] = await joined!;
        assert.equal(longTogether!.text, longAlone!.text);
        assert.equal(shortTogether!.text, shortAlone!.text);
        // One row, then two (the short one's prompt, then shared steps), then one again.
        const steps = backend.queue.steps.slice(before);
        assert.equal(steps[0], 1);
        assert.ok(steps.includes(2), `rows per step: ${steps}`);
        assert.equal(steps.at(-1), 1);
        assert.ok(shortTogether!.totalMs < longTogether!.totalMs);
      },
    );

    await t.step(
      "a failed forward pass fails the replies in the batch, not later ones",
      async () => {
        const failing = await loadOnnxBackend(tiny.dir, { ep: "cpu" });
        try {
          const forward = failing.decoder.forward.bind(failing.decoder);
          let calls = 0;
          failing.decoder.forward = (step) => {
            if (++calls === 3) return Promise.reject(new Error("simulated ONNX Runtime failure"));
            return forward(step);
          };
          const requests = PROMPTS.slice(0, 2).map((prompt) => greedy(prompt));
          await assert.rejects(failing.generate(requests), /simulated ONNX Runtime failure/);
          const [after] = await failing.generate([greedy(PROMPTS[0]!)]);
          const [reference] = await backend.generate([greedy(PROMPTS[0]!)]);
          assert.equal(after!.text, reference!.text);
        } finally {
          await failing.close();
        }
      },
    );

    await t.step("a finished reply's row is taken by a waiting request at once", async () => {
      const two = await loadOnnxBackend(tiny.dir, { ep: "cpu", maxBatchSize: 2 });
      try {
        const requests = [30, 5, 12].map((maxNewTokens, index) =>
          greedy(PROMPTS[index]!, { maxNewTokens, ignoreEos: true })
        );
        const alone = [];
        for (const request of requests) alone.push(...await two.generate([request]));
        const before = two.queue.steps.length;
        const together = await two.generate(requests);
        assert.deepEqual(together.map((result) => result.text), alone.map((r) => r.text));
        const steps = two.queue.steps.slice(before);
        assert.ok(steps.every((rows) => rows <= 2), `rows per step: ${steps}`);
        // The third request starts when the second ends, long before the first ends:
        // 30 tokens take 1 prefill + 29 steps; with one batch after another, 30 + 12 more.
        assert.ok(steps.length < 30 + 12, `${steps.length} forward passes`);
      } finally {
        await two.close();
      }
    });

    await t.step("batch after batch (continuous: false) gives the same replies", async () => {
      const batched = await loadOnnxBackend(tiny.dir, {
        ep: "cpu",
        maxBatchSize: 2,
        continuous: false,
      });
      try {
        assert.equal(batched.info.details?.batching, "static");
        const requests = [30, 5, 12].map((maxNewTokens, index) =>
          greedy(PROMPTS[index]!, { maxNewTokens, ignoreEos: true })
        );
        const together = await batched.generate(requests);
        const alone = await backend.generate(requests);
        assert.deepEqual(together.map((result) => result.text), alone.map((r) => r.text));
        // Rows only leave a batch: 2 rows, then 1, then the third request alone.
        const steps = batched.queue.steps;
        for (let i = 1; i < steps.length; i++) {
          assert.ok(steps[i]! <= steps[i - 1]! || steps[i - 1] === 1, `rows per step: ${steps}`);
        }
      } finally {
        await batched.close();
      }
    });

    await t.step("keeps the graph's own cache order for sliding-window attention", async () => {
      const windowed = await withConfig(tiny.dir, (config) => {
        config.sliding_window = 4096;
      });
      try {
        assert.equal(windowed.info.details?.batching, "static");
        assert.match(
          String(windowed.info.details?.graph),
          /whole cache \(the model has sliding-window attention \(4096\)\); logits: last position only/,
        );
        const requests = PROMPTS.map((prompt) => greedy(prompt));
        assert.deepEqual(
          (await windowed.generate(requests)).map((result) => result.text),
          (await backend.generate(requests)).map((result) => result.text),
        );
      } finally {
        await windowed.close();
      }
    });

    await t.step("conditions turn 2 on the model's own turn-1 answer", async () => {
      let answer: ModelAnswer | undefined;
      await answerQuestions(
        [{ question_id: 1, category: "math", turns: [PROMPTS[0]!, PROMPTS[1]!] }],
        {
          backend,
          modelId: "tiny",
          maxNewTokens: 20,
          onAnswer: (record) => {
            answer = record;
          },
        },
      );
      const [turn1, turn2] = answer!.choices[0]!.turns;
      const conversation = (reply: string) => [
        { role: "user" as const, content: PROMPTS[0]! },
        { role: "assistant" as const, content: reply },
        { role: "user" as const, content: PROMPTS[1]! },
      ];
      const [own] = await backend.generate([{
        messages: conversation(turn1!),
        temperature: 0,
        maxNewTokens: 20,
      }]);
      assert.equal(own!.text, turn2);
      const [other] = await backend.generate([{
        messages: conversation("Something else entirely."),
        temperature: 0,
        maxNewTokens: 20,
      }]);
      assert.notEqual(other!.text, turn2, "turn 2 should depend on turn 1");
    });
  } finally {
    await backend.close();
  }

  await t.step("uses a built-in template when the model has none, and asks for one", async () => {
    const bare = await tinyModel({ chatTemplate: null });
    await assert.rejects(loadOnnxBackend(bare.dir, { ep: "cpu" }), (error: Error) => {
      assert.ok(error instanceof ModelLoadError);
      assert.match(error.message, /tokenizer_config\.json.*no chat template.*--template llama-3/);
      return true;
    });
    const chatml = await loadOnnxBackend(bare.dir, { ep: "cpu", template: "chatml" });
    try {
      assert.equal(chatml.info.template, "named:chatml");
      assert.equal(
        chatml.renderPrompt([{ role: "user", content: "Hi" }]),
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
      );
      const [result] = await chatml.generate([greedy("Hi")]);
      assert.equal(result!.error, undefined);
    } finally {
      await chatml.close();
    }
  });
});

Deno.test("loadOnnxBackend() with a broken model directory", async (t) => {
  const tiny = await tinyModel();
  const rejects = async (dir: string, pattern: RegExp, options = {}) => {
    await assert.rejects(loadOnnxBackend(dir, { ep: "cpu", ...options }), (error: Error) => {
      assert.ok(error instanceof ModelLoadError, `expected a ModelLoadError, got ${error}`);
      assert.match(error.message, pattern);
      return true;
    });
  };

  await t.step("names a missing tokenizer.json", async () => {
    const dir = await copyModel(tiny.dir);
    await Deno.remove(join(dir, "tokenizer.json"));
    await rejects(dir, /tokenizer\.json": the file is missing/);
  });

  await t.step("names a missing ONNX file", async () => {
    const dir = await copyModel(tiny.dir);
    await Deno.remove(join(dir, "onnx", "model.onnx"));
    await rejects(dir, /onnx".*no ONNX decoder file: expected onnx\/model\.onnx/);
  });

  await t.step("says which layout files are expected in an empty directory", async () => {
    await rejects(await tempDir(), /neither config\.json .* nor genai_config\.json/);
  });

  await t.step("names a config that is not JSON", async () => {
    const dir = await copyModel(tiny.dir);
    await Deno.writeTextFile(join(dir, "config.json"), "{ not json");
    await rejects(dir, /config\.json": invalid JSON/);
  });

  await t.step("names a config without the model's shape", async () => {
    const dir = await copyModel(tiny.dir);
    await editJson(join(dir, "config.json"), (config) => {
      delete config.num_hidden_layers;
    });
    await rejects(dir, /config\.json": missing or invalid "num_hidden_layers"/);
  });

  await t.step("names a corrupt .onnx file", async () => {
    const dir = await copyModel(tiny.dir);
    const path = join(dir, "onnx", "model.onnx");
    const bytes = await Deno.readFile(path);
    await Deno.writeFile(path, bytes.subarray(0, 1000));
    await rejects(dir, new RegExp(`"${path.replaceAll("/", "\\/")}": ONNX Runtime cannot load it`));
  });

  await t.step("names input names the graph does not have", async () => {
    const genai = await tinyModel({ layout: "genai" });
    const dir = await copyModel(genai.dir);
    await editJson(join(dir, "genai_config.json"), (config) => {
      const decoder = (config.model as { decoder: { inputs: Record<string, string> } }).decoder;
      decoder.inputs.input_ids = "tokens";
    });
    await rejects(dir, /model\.onnx": the graph has no input "tokens"; its inputs are "input_ids"/);
  });

  await t.step("names a decoder file that genai_config.json points to but is missing", async () => {
    const genai = await tinyModel({ layout: "genai" });
    const dir = await copyModel(genai.dir);
    await Deno.remove(join(dir, "model.onnx"));
    await rejects(dir, /model\.onnx": the decoder file named by .*genai_config\.json is missing/);
  });

  await t.step("says which dtype file is missing", async () => {
    await rejects(tiny.dir, /no fp16 decoder file: expected onnx\/model_fp16\.onnx/, {
      dtype: "fp16",
    });
  });

  await t.step("explains how to get the CUDA provider when it is missing", async () => {
    try {
      const backend = await loadOnnxBackend(tiny.dir, { ep: "cuda" });
      await backend.close(); // A machine with the CUDA libraries installed.
    } catch (error) {
      assert.ok(error instanceof ModelLoadError);
      assert.match(error.message, /deno install --allow-scripts=npm:onnxruntime-node/);
    }
  });

  await t.step("falls back along an --ep list with one short notice", async () => {
    const notices: string[] = [];
    const backend = await loadOnnxBackend(tiny.dir, {
      ep: "auto",
      onNotice: (text) => notices.push(text),
    });
    try {
      if (backend.info.device === "cpu") {
        assert.equal(notices.length, 1, notices.join("\n"));
        assert.match(notices[0]!, /^running on cpu \(.*cuda/);
        assert.ok(notices[0]!.length < 120, notices[0]);
      }
    } finally {
      await backend.close();
    }
  });

  await t.step("--ep cpu loads without any notice", async () => {
    const notices: string[] = [];
    const backend = await loadOnnxBackend(tiny.dir, {
      ep: "cpu",
      onNotice: (text) => notices.push(text),
    });
    await backend.close();
    assert.deepEqual(notices, []);
  });
});

Deno.test("loadOnnxBackend() with weights in an external data file", async (t) => {
  const layouts = [
    { layout: "optimum", dataFile: join("onnx", "model.onnx_data") },
    { layout: "genai", dataFile: "model.onnx.data" },
  ] as const;
  for (const { layout, dataFile } of layouts) {
    await t.step(
      `${layout}: writes ${dataFile} and generates as the inline model does`,
      async () => {
        const inline = await tinyModel({ layout });
        const external = await tinyModel({ layout, externalData: true });
        assert.equal(external.dataPath, join(external.dir, dataFile));
        assert.equal((await Deno.stat(external.dataPath)).size, external.dataBytes);
        assert.equal((await Deno.stat(external.onnxPath)).size, external.bytes);
        // The weights moved out: the graph that is left is a small fraction of the inline file.
        assert.ok(
          external.bytes * 10 < inline.bytes,
          `model.onnx is ${external.bytes} bytes, the inline one ${inline.bytes}`,
        );
        assert.ok(external.dataBytes! + external.bytes >= inline.bytes * 0.9);

        const requests = PROMPTS.map((prompt) => greedy(prompt));
        const generate = async (dir: string) => {
          const backend = await loadOnnxBackend(dir, { ep: "cpu" });
          try {
            return (await backend.generate(requests)).map((result) => result.text);
          } finally {
            await backend.close();
          }
        };
        const expected = await generate(inline.dir);
        assert.ok(expected.some((text) => text.length > 0), "the inline model says nothing");
        assert.deepEqual(await generate(external.dir), expected);
      },
    );
  }
});
