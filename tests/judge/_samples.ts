/** Loads the FastChat judgment samples under `<data>/samples/` for the rendering and parsing tests. */
import { join } from "node:path";
import {
  type ModelAnswer,
  type QuestionId,
  readAnswerDirectory,
  readAnswers,
  readJudgePrompts,
  readQuestions,
} from "../../lib/data/mod.ts";
import type { JudgePrompt, Question } from "../../lib/data/types.ts";
import { SHARED_DATA } from "../_helpers.ts";

/** One raw line of a sample judgment file, parsed, with its text. */
export interface SampleRecord {
  file: string;
  line: number;
  text: string;
  value: Record<string, unknown>;
}

/** A sample set: its answers and judgment records. */
export interface SampleSet {
  name: string;
  answers: Map<string, Map<QuestionId, ModelAnswer>>;
  records: SampleRecord[];
}

/** The shared benchmark files the samples were judged with. */
export interface SampleBench {
  questions: Question[];
  references: Map<QuestionId, ModelAnswer>;
  prompts: Map<string, JudgePrompt>;
}

export const SAMPLES_DIR = join(SHARED_DATA, "samples");

export async function loadBench(): Promise<SampleBench> {
  const questions = await readQuestions(join(SHARED_DATA, "mt_bench", "question.jsonl"));
  const references = new Map(
    (await readAnswers(join(SHARED_DATA, "mt_bench", "reference_answer", "gpt-4.jsonl")))
      .map((answer) => [answer.question_id, answer]),
  );
  const prompts = await readJudgePrompts(join(SHARED_DATA, "judge_prompts.jsonl"));
  return { questions, references, prompts };
}

export async function loadSampleSets(): Promise<SampleSet[]> {
  const sets: SampleSet[] = [];
  const names: string[] = [];
  for await (const entry of Deno.readDir(SAMPLES_DIR)) {
    if (entry.isDirectory) names.push(entry.name);
  }
  names.sort();
  for (const name of names) {
    const answers = await readAnswerDirectory(join(SAMPLES_DIR, name, "model_answer"));
    const records: SampleRecord[] = [];
    const judgmentDir = join(SAMPLES_DIR, name, "model_judgment");
    const files: string[] = [];
    for await (const entry of Deno.readDir(judgmentDir)) {
      if (entry.name.endsWith(".jsonl")) files.push(entry.name);
    }
    files.sort();
    for (const file of files) {
      const path = join(judgmentDir, file);
      const lines = (await Deno.readTextFile(path)).split("\n");
      lines.forEach((text, index) => {
        if (text.length === 0) return;
        records.push({ file: path, line: index + 1, text, value: JSON.parse(text) });
      });
    }
    sets.push({ name, answers, records });
  }
  return sets;
}
