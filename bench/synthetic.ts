/**
 * Synthetic judgment and vote files for the benchmarks: FastChat's record shapes
 * with short texts, deterministic for a given size.
 * @module
 */
import { seededRandom } from "../lib/stats/random.ts";

const CATEGORY_COUNT = 8;
const QUESTIONS = 80;

/** Model names `model-000` … */
export function modelNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `model-${String(index).padStart(3, "0")}`);
}

/** Writes `count` single-judgment lines (score -1 on about 0.5% of them). Returns the byte size. */
export async function writeSingleJudgments(path: string, count: number): Promise<number> {
  const random = seededRandom(count);
  const models = modelNames(Math.max(2, Math.ceil(count / (QUESTIONS * 2))));
  return await writeLines(path, count, (index) => {
    const model = models[Math.floor(index / (QUESTIONS * 2))]!;
    const question = 81 + (index % QUESTIONS);
    const turn = 1 + (Math.floor(index / QUESTIONS) % 2);
    const failed = random() < 0.005;
    const score = failed ? -1 : 1 + Math.floor(random() * 10);
    const prompt = turn === 1
      ? (question % CATEGORY_COUNT < 3 ? "single-math-v1" : "single-v1")
      : "single-v1-multi-turn";
    return JSON.stringify({
      question_id: question,
      model,
      judge: ["gpt-4", prompt],
      user_prompt:
        `[Question]\nSynthetic question ${question}, turn ${turn}.\n\n[Answer]\nSynthetic answer text of a realistic length.`,
      judgment: failed ? "$ERROR$" : `The answer is adequate. Rating: [[${score}]]`,
      score,
      turn,
      tstamp: 1687221890.5 + index,
    });
  });
}

/** Writes `count` label-only human votes and the matching GPT-4 pair votes (one per key). */
export async function writeVotes(
  humanPath: string,
  gpt4Path: string,
  count: number,
): Promise<{ humanBytes: number; gpt4Bytes: number; keys: number }> {
  const random = seededRandom(count + 1);
  const winners = ["model_a", "model_b", "tie"];
  const votesPerKey = 3;
  const keys = Math.ceil(count / votesPerKey);
  const modelCount = Math.max(3, Math.ceil(Math.sqrt((2 * keys) / (QUESTIONS * 2))) + 1);
  const models = modelNames(modelCount);
  const pairs: [string, string][] = [];
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++) pairs.push([models[a]!, models[b]!]);
  }
  const key = (index: number) => {
    const pair = pairs[Math.floor(index / (QUESTIONS * 2)) % pairs.length]!;
    return {
      question_id: 81 + (index % QUESTIONS),
      turn: 1 + (Math.floor(index / QUESTIONS) % 2),
      pair,
    };
  };
  const humanBytes = await writeLines(humanPath, count, (index) => {
    const { question_id, turn, pair } = key(Math.floor(index / votesPerKey));
    const [model_a, model_b] = random() < 0.5 ? pair : [pair[1], pair[0]];
    const winner = winners[Math.floor(random() * 3)];
    return JSON.stringify({
      judge: `expert_${index % 65}`,
      model_a,
      model_b,
      question_id,
      turn,
      winner,
    });
  });
  const gpt4Bytes = await writeLines(gpt4Path, keys, (index) => {
    const { question_id, turn, pair } = key(index);
    const draw = random();
    const winner = draw < 0.4
      ? "model_a"
      : draw < 0.8
      ? "model_b"
      : draw < 0.9
      ? "tie"
      : "tie (inconsistent)";
    return JSON.stringify({
      judge: "gpt4_pair",
      model_a: pair[0],
      model_b: pair[1],
      question_id,
      turn,
      winner,
    });
  });
  return { humanBytes, gpt4Bytes, keys };
}

async function writeLines(
  path: string,
  count: number,
  line: (index: number) => string,
): Promise<number> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let bytes = 0;
  try {
    const chunk: string[] = [];
    for (let index = 0; index < count; index++) {
      chunk.push(line(index));
      if (chunk.length === 10_000 || index === count - 1) {
        const data = encoder.encode(chunk.join("\n") + "\n");
        bytes += data.length;
        let written = 0;
        while (written < data.length) written += await file.write(data.subarray(written));
        chunk.length = 0;
      }
    }
  } finally {
    file.close();
  }
  return bytes;
}
