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

/**
 * Sizes of the realistic records: text fields drawn uniformly between these
 * byte counts. The real sample sets (../shared/data/samples) have user_prompt
 * medians of 2.5–3.7 KB and judgment medians of 0.6 KB; these land a single
 * record near 2 KB, so that 1M records make a file of about 2 GB.
 */
export const REALISTIC = {
  userPrompt: [1000, 1800],
  judgment: [250, 750],
} as const;

const WORDS = (
  "the answer is helpful relevant accurate and detailed but it misses a step in the " +
  "derivation of the second part so the final result is not fully correct overall a " +
  "reasonable response that follows the instructions with clear structure and examples"
).split(" ");

/** A deterministic text of about `bytes` bytes drawn from a word pool. */
function text(random: () => number, bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word = WORDS[Math.floor(random() * WORDS.length)]!;
    parts.push(word);
    length += word.length + 1;
  }
  return parts.join(" ");
}

function between(random: () => number, [low, high]: readonly [number, number]): number {
  return low + Math.floor(random() * (high - low));
}

/**
 * 64 user prompts and 64 judgment texts of realistic length, drawn in that
 * order, reused across records: generating 2 GB of distinct text would
 * dominate the run.
 */
function textPools(random: () => number): { prompts: string[]; judgments: string[] } {
  const prompts = Array.from(
    { length: 64 },
    () => text(random, between(random, REALISTIC.userPrompt)),
  );
  const judgments = Array.from(
    { length: 64 },
    () => text(random, between(random, REALISTIC.judgment)),
  );
  return { prompts, judgments };
}

/**
 * Writes `count` single-judgment records of realistic size: FastChat's fields
 * with a user_prompt and judgment text (see {@linkcode REALISTIC}), 160
 * records (80 questions × 2 turns) per model, about 0.5% score -1 and 2% 8.5.
 * Returns the byte size.
 */
export async function writeRealisticSingle(path: string, count: number): Promise<number> {
  const random = seededRandom(count + 7);
  const { prompts, judgments } = textPools(random);
  const models = modelNames(Math.max(2, Math.ceil(count / (QUESTIONS * 2))));
  return await writeLines(path, count, (index) => {
    const model = models[Math.floor(index / (QUESTIONS * 2))]!;
    const question = 81 + (index % QUESTIONS);
    const turn = 1 + (Math.floor(index / QUESTIONS) % 2);
    const draw = random();
    const score = draw < 0.005 ? -1 : draw < 0.025 ? 8.5 : 1 + Math.floor(random() * 10);
    const math = question % CATEGORY_COUNT < 3;
    const prompt = (math ? "single-math-v1" : "single-v1") + (turn === 2 ? "-multi-turn" : "");
    const judgment = score === -1
      ? "$ERROR$"
      : `${judgments[index % judgments.length]!} Rating: [[${score}]]`;
    return JSON.stringify({
      question_id: question,
      model,
      judge: ["gpt-4", prompt],
      user_prompt: prompts[(index * 7) % prompts.length]!,
      judgment,
      score,
      turn,
      tstamp: 1687221890.5 + index,
    });
  });
}

/**
 * Writes `count` pairwise-judgment records of realistic size (two prompts and
 * two judgments each): 160 records per model pair, pairs taken in order from
 * (model-000, model-001), (model-000, model-002), …, so the first pairs all
 * hold model-000 (a baseline); about 1% of games have an error verdict.
 * Returns the byte size.
 */
export async function writeRealisticPairs(path: string, count: number): Promise<number> {
  const random = seededRandom(count + 11);
  const { prompts, judgments } = textPools(random);
  const pairCount = Math.max(1, Math.ceil(count / (QUESTIONS * 2)));
  let modelCount = 2;
  while ((modelCount * (modelCount - 1)) / 2 < pairCount) modelCount++;
  const models = modelNames(modelCount);
  const pairs: [string, string][] = [];
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++) pairs.push([models[a]!, models[b]!]);
  }
  const verdicts = ["model_1", "model_2", "tie"] as const;
  const tags = { model_1: "[[A]]", model_2: "[[B]]", tie: "[[C]]", error: "" };
  return await writeLines(path, count, (index) => {
    const [model_1, model_2] = pairs[Math.floor(index / (QUESTIONS * 2))]!;
    const question = 81 + (index % QUESTIONS);
    const turn = 1 + (Math.floor(index / QUESTIONS) % 2);
    const g1 = random() < 0.01 ? "error" : verdicts[Math.floor(random() * 3)]!;
    const g2 = random() < 0.7 ? g1 : verdicts[Math.floor(random() * 3)]!;
    const math = question % CATEGORY_COUNT < 3;
    const prompt = (math ? "pair-math-v1" : "pair-v2") + (turn === 2 ? "-multi-turn" : "");
    return JSON.stringify({
      question_id: question,
      model_1,
      model_2,
      g1_winner: g1,
      g2_winner: g2,
      judge: ["gpt-4", prompt],
      g1_user_prompt: prompts[(index * 7) % prompts.length]!,
      g1_judgment: g1 === "error" ? "$ERROR$" : `${judgments[index % 64]!} ${tags[g1]}`,
      g2_user_prompt: prompts[(index * 7 + 3) % prompts.length]!,
      g2_judgment: `${judgments[(index + 5) % 64]!} ${tags[g2]}`,
      turn,
      tstamp: 1687221890.5 + index,
    });
  });
}

/**
 * Writes the human-judgment votes `times` over as two JSON files that both
 * FastChat's compute_agreement.py and `agree` read: each copy shifts the
 * question ids by 1000, so that each (question, pair, turn) keeps one GPT-4
 * vote, and the GPT-4 judge is written `["gpt-4", "pair-v2"]` as in FastChat's
 * own files. Returns the vote count and byte size.
 */
export async function writeReplicatedVotes(
  sources: { human: string; gpt4: string },
  targets: { human: string; gpt4: string },
  times: number,
): Promise<{ votes: number; bytes: number }> {
  let votes = 0;
  let bytes = 0;
  for (const kind of ["human", "gpt4"] as const) {
    const lines = (await Deno.readTextFile(sources[kind])).split("\n").filter((line) =>
      line !== ""
    );
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const file = await Deno.open(targets[kind], { write: true, create: true, truncate: true });
    const encoder = new TextEncoder();
    const write = async (chunk: string) => {
      const data = encoder.encode(chunk);
      bytes += data.length;
      let written = 0;
      while (written < data.length) written += await file.write(data.subarray(written));
    };
    try {
      await write("[");
      for (let copy = 0; copy < times; copy++) {
        const out: string[] = [];
        for (const vote of parsed) {
          const judge = vote.judge === "gpt4_pair" ? ["gpt-4", "pair-v2"] : vote.judge;
          out.push(JSON.stringify({
            ...vote,
            judge,
            question_id: (vote.question_id as number) + 1000 * copy,
          }));
        }
        votes += out.length;
        await write((copy === 0 ? "" : ",\n") + out.join(",\n"));
      }
      await write("]\n");
    } finally {
      file.close();
    }
  }
  return { votes, bytes };
}
