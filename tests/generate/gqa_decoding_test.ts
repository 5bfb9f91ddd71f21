// Decoding ONNX Runtime GenAI model-builder graphs (GroupQueryAttention, MatMulNBits int4).
import assert from "node:assert/strict";
import { dirname } from "node:path";
import {
  type GenerationResult,
  loadOnnxBackend,
  OnnxDecoder,
  readModelDirectory,
} from "../../mod.ts";
import { decodeBatch, type DecodeRow } from "../../lib/generate/_decode_batch.ts";
import { builderModel } from "./_fixtures.ts";

/** Prompt lengths of the batch: 3 to 60 tokens, in no order. */
const LENGTHS = [17, 3, 60, 9, 41, 5, 28, 52];
const NEW_TOKENS = 24;

/** A prompt of `length` byte tokens (printable ASCII), deterministic. */
function promptOf(length: number, seed: number): number[] {
  return Array.from({ length }, (_, i) => 0x20 + ((seed * 31 + i * 17) % 95));
}

function row(promptIds: number[], maxNewTokens = NEW_TOKENS): DecodeRow {
  return {
    promptIds,
    temperature: 0,
    topK: 1,
    topP: 1,
    maxNewTokens,
    random: () => 0.5,
    stops: [],
    ignoreEos: true,
  };
}

const argmax = (logits: Float32Array, offset: number, vocab: number) => {
  let best = offset;
  for (let i = offset + 1; i < offset + vocab; i++) if (logits[i]! > logits[best]!) best = i;
  return best - offset;
};

/**
 * The reference: greedy decoding of one prompt at batch 1, the whole cache
 * fed back from `present` to `past` at each step (no shared buffer), as
 * ONNX Runtime GenAI does for one sequence.
 */
async function referenceTokens(
  decoder: OnnxDecoder,
  prompt: readonly number[],
  count: number,
): Promise<number[]> {
  const ones = (n: number) => new BigInt64Array(n).fill(1n);
  let output = await decoder.forward({
    inputIds: BigInt64Array.from(prompt, (id) => BigInt(id)),
    attentionMask: ones(prompt.length),
    positionIds: BigInt64Array.from(prompt, (_, i) => BigInt(i)),
    batch: 1,
    length: prompt.length,
    past: decoder.emptyCache(1),
  });
  const tokens: number[] = [];
  for (let total = prompt.length + 1; tokens.length < count; total++) {
    const token = argmax(output.logits, (output.logitsLength - 1) * output.vocab, output.vocab);
    tokens.push(token);
    if (tokens.length === count) break;
    output = await decoder.forward({
      inputIds: BigInt64Array.of(BigInt(token)),
      attentionMask: ones(total),
      positionIds: BigInt64Array.of(BigInt(total - 1)),
      batch: 1,
      length: 1,
      past: output.present,
    });
  }
  return tokens;
}

Deno.test("GroupQueryAttention graphs (ONNX Runtime GenAI model builder)", async (t) => {
  const model = await builderModel();
  const backend = await loadOnnxBackend(model.dir, { ep: "cpu", maxBatchSize: 8 });
  const prompts = LENGTHS.map((length, index) => promptOf(length, index + 1));
  try {
    await t.step("the variant folder loads; the decoder sees GroupQueryAttention", () => {
      assert.match(model.dir, /cpu_and_mobile\/cpu-int4-rtn-block-32-acc-level-4$/);
      assert.equal(backend.decoder.groupQueryAttention, true);
      assert.equal(backend.model.layout, "genai");
      assert.equal(backend.info.details?.attention, "GroupQueryAttention");
      assert.equal(backend.info.details?.batching, "continuous");
    });

    // Each prompt alone, through the queue (a batch of 1).
    const alone: GenerationResult[] = [];
    for (const prompt of prompts) alone.push(await backend.queue.submit(row(prompt)));

    await t.step("a reply alone equals the batch-1 reference loop", async () => {
      for (const [index, prompt] of prompts.entries()) {
        const tokens = await referenceTokens(backend.decoder, prompt, NEW_TOKENS);
        assert.equal(alone[index]!.text, backend.decode(tokens), `prompt of ${prompt.length}`);
        assert.equal(alone[index]!.completionTokens, NEW_TOKENS);
      }
    });

    await t.step(
      `batch 8, prompts of ${Math.min(...LENGTHS)}..${
        Math.max(...LENGTHS)
      } tokens: each reply equals its reply alone`,
      async () => {
        const before = backend.queue.steps.length;
        const together = await Promise.all(
          prompts.map((prompt) => backend.queue.submit(row(prompt))),
        );
        assert.deepEqual(together.map((result) => result.text), alone.map((result) => result.text));
        // Eight prefills, then steps of 8 rows.
        const steps = backend.queue.steps.slice(before);
        assert.deepEqual(steps.slice(0, 8), [1, 1, 1, 1, 1, 1, 1, 1]);
        assert.ok(steps.slice(8).every((rows) => rows === 8), String(steps));
      },
    );

    await t.step(
      "continuous batching: replies of different lengths leave, waiting ones join, replies unchanged",
      async () => {
        const three = await loadOnnxBackend(model.dir, { ep: "cpu", maxBatchSize: 3 });
        try {
          const budgets = [24, 6, 15, 3, 24, 10, 20, 8];
          const results = await Promise.all(
            prompts.map((prompt, index) => three.queue.submit(row(prompt, budgets[index]))),
          );
          for (const [index, result] of results.entries()) {
            const single = await backend.queue.submit(row(prompts[index]!, budgets[index]));
            assert.equal(result.text, single.text);
            assert.ok(alone[index]!.text.startsWith(result.text));
          }
          // Rows joined a running batch: some step ran 3 rows right after a prefill.
          assert.ok(three.queue.steps.every((rows) => rows <= 3));
          assert.ok(
            three.queue.steps.some((rows, i) => rows === 3 && three.queue.steps[i - 1] === 1),
          );
        } finally {
          await three.close();
        }
      },
    );

    await t.step(
      "batch after batch (right-padded prompts, whole cache fed back) equals the replies alone",
      async () => {
        // The path of a GPU-resident cache, run on the CPU with the graph as it is.
        const decoder = await OnnxDecoder.load(await readModelDirectory(model.dir), {
          ep: "cpu",
          editGraph: false,
        });
        try {
          const results = await decodeBatch(prompts.map((prompt) => row(prompt)), {
            decoder,
            decode: (ids) => backend.decode(ids),
            eosIds: new Set(),
            padId: model.ids["<|pad|>"],
            contextLength: backend.model.contextLength,
          });
          assert.deepEqual(
            results.map((result) => result.text),
            alone.map((result) => result.text),
          );
        } finally {
          await decoder.close();
        }
      },
    );

    await t.step("chat requests of mixed lengths at batch 8 equal each alone", async () => {
      const requests = [
        "Hi",
        "What is 2+2?",
        "Write a short poem about the sea, with rhymes.",
        "Why?",
      ]
        .map((content) => ({
          messages: [{ role: "user" as const, content }],
          temperature: 0,
          maxNewTokens: 16,
        }));
      const together = await backend.generate([...requests, ...requests]);
      for (const [index, request] of requests.entries()) {
        const [single] = await backend.generate([request]);
        assert.equal(together[index]!.text, single!.text);
        assert.equal(together[index + 4]!.text, single!.text);
      }
    });
  } finally {
    await backend.close();
  }
});

/** Teacher-forced logits of one sequence, every position. */
async function allLogits(decoder: OnnxDecoder, ids: readonly number[]): Promise<Float32Array> {
  const output = await decoder.forward({
    inputIds: BigInt64Array.from(ids, (id) => BigInt(id)),
    attentionMask: new BigInt64Array(ids.length).fill(1n),
    positionIds: BigInt64Array.from(ids, (_, i) => BigInt(i)),
    batch: 1,
    length: ids.length,
    past: decoder.emptyCache(1),
  });
  assert.equal(output.logitsLength, ids.length);
  return output.logits;
}

/**
 * int4 graphs against the float32 graph holding the same weights
 * dequantized. With `accuracy_level` 0, MatMulNBits dequantizes and
 * multiplies in float32: the logits are those of the float32 graph (we
 * measured them equal to the bit). With `accuracy_level` 4 (the published
 * CPU variant) it quantizes each block of 32 activations to int8 (scale =
 * the block's absolute maximum / 127) and accumulates in int32, so the
 * logits move by an error that grows through the layers: we measured a
 * max |Δ| of 0.79 to 1.13 on logits spread over about ±10, and the argmax
 * changed only where the float32 top-2 margin was under 0.13.
 */
Deno.test("int4 MatMulNBits graphs agree with the dequantized float32 graph", async (t) => {
  // Without the printable-only bias, so every logit counts.
  const shared = { printableOnly: false, seed: 3 } as const;
  const fp32 = await builderModel({ ...shared, weights: "dequantized" });
  const exact = await builderModel({ ...shared, accuracyLevel: 0 });
  const int8 = await builderModel({ ...shared });
  const load = async (dir: string) =>
    OnnxDecoder.load(await readModelDirectory(dir), { ep: "cpu", editGraph: false });
  const reference = await load(fp32.dir);
  const backend = await loadOnnxBackend(fp32.dir, { ep: "cpu" });
  const contents = ["Write a short poem about the sea.", "What is 2+2?", "Hi"];
  // Each prompt followed by 40 greedy tokens of the float32 graph.
  const sequences: number[][] = [];
  for (const content of contents) {
    const prompt = backend.encode(backend.renderPrompt([{ role: "user", content }]));
    sequences.push([...prompt, ...await referenceTokens(reference, prompt, 40)]);
  }
  const vocab = backend.model.vocabSize!;
  try {
    await t.step(
      "accuracy_level 0: the same logits (max |Δ| ≤ 1e-4) and greedy tokens",
      async () => {
        const decoder = await load(exact.dir);
        try {
          for (const sequence of sequences) {
            const a = await allLogits(reference, sequence);
            const b = await allLogits(decoder, sequence);
            let worst = 0;
            for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
            assert.ok(worst <= 1e-4, `max |Δ| ${worst}`);
            const prompt = sequence.length - 40;
            assert.deepEqual(
              await referenceTokens(decoder, sequence.slice(0, prompt), 40),
              sequence.slice(prompt),
            );
          }
        } finally {
          await decoder.close();
        }
      },
    );

    await t.step(
      "accuracy_level 4 (int8 activations): max |Δ| < 2; ≥ 85% of teacher-forced argmaxes equal, the others at a top-2 margin < 0.5",
      async () => {
        const decoder = await load(int8.dir);
        try {
          for (const sequence of sequences) {
            const a = await allLogits(reference, sequence);
            const b = await allLogits(decoder, sequence);
            let worst = 0;
            for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
            assert.ok(worst < 2, `max |Δ| ${worst}`);
            // Where the argmax differs, the float32 top-2 margin is small.
            let same = 0;
            let widest = 0;
            for (let position = 0; position < sequence.length; position++) {
              const offset = position * vocab;
              const best = argmax(a, offset, vocab);
              if (best === argmax(b, offset, vocab)) {
                same++;
                continue;
              }
              let second = Number.NEGATIVE_INFINITY;
              for (let i = 0; i < vocab; i++) {
                if (i !== best) second = Math.max(second, a[offset + i]!);
              }
              widest = Math.max(widest, a[offset + best]! - second);
            }
            assert.ok(same >= 0.85 * sequence.length, `${same} of ${sequence.length}`);
            assert.ok(widest < 0.5, `an argmax changed at a top-2 margin of ${widest}`);
          }
        } finally {
          await decoder.close();
        }
      },
    );
  } finally {
    await reference.close();
    await backend.close();
  }
  assert.ok(dirname(int8.dir).endsWith("cpu_and_mobile"));
});
