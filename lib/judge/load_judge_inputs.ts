import { join } from "node:path";
import { DataError } from "../data/data_error.ts";
import { readAnswers } from "../data/read_answers.ts";
import { readJudgePrompts } from "../data/read_judge_prompts.ts";
import { readQuestions } from "../data/read_questions.ts";
import type { JudgePrompt, ModelAnswer, Question, QuestionId } from "../data/types.ts";
import { layout } from "../data/data_root.ts";
import { REFERENCE_CATEGORIES } from "./make_matches.ts";
import { questionIdLine } from "./_question_id_line.ts";
import type { JudgeMode } from "./types.ts";

/** Options for {@linkcode loadJudgeInputs}. */
export interface LoadJudgeInputsOptions {
  /** Data root (read-only, FastChat layout). */
  dataRoot: string;
  /**
   * Output root, read before the data root: its `<bench>/question.jsonl`
   * (a bench written there, as calibrate's `mt_bench_human`), its
   * `<bench>/model_answer` (answers generated here win) and its
   * `<bench>/reference_answer`.
   * @default {the data root}
   */
  outputRoot?: string;
  /**
   * Bench name.
   * @default {"mt_bench"}
   */
  bench?: string;
  /**
   * Judge name; picks `reference_answer/<judge>.jsonl`.
   * @default {"gpt-4"}
   */
  judgeName?: string;
  /**
   * Judge prompt file (`--judge-file`). Left out: `<data root>/judge_prompts_multilingual.jsonl`
   * when a question declares `lang` and that file exists (with a notice), else
   * `<data root>/judge_prompts.jsonl`.
   * @default {undefined}
   */
  judgeFile?: string;
  /**
   * Models to judge; every answer file when left out.
   * @default {undefined}
   */
  models?: readonly string[] | undefined;
  /**
   * Keep only the first n questions (`--first-n`).
   * @default {undefined}
   */
  firstN?: number | undefined;
  /**
   * Mode, so the baseline's answers are loaded and checked.
   * @default {"single"}
   */
  mode?: JudgeMode;
  /**
   * Baseline of `pairwise-baseline`.
   * @default {"gpt-3.5-turbo"}
   */
  baselineModel?: string;
  /**
   * A model without an answer to some question is kept, and its missing
   * answers are listed in `missing`, instead of throwing (`--skip-missing`).
   * @default {false}
   */
  skipMissing?: boolean;
}

/** Everything matches are made from, validated. */
export interface JudgeInputs {
  /** The questions, first n only when `firstN` is set. */
  questions: Question[];
  /** Models to judge: `models`, else every model with an answer file, sorted. */
  models: string[];
  /** Answers by model, then question id; the baseline's too in `pairwise-baseline`. */
  answers: Map<string, Map<QuestionId, ModelAnswer>>;
  /** Answer file of each model (for messages). */
  answerFiles: Map<string, string>;
  /** Reference answers by question id (empty when no reference file exists). */
  references: Map<QuestionId, ModelAnswer>;
  /** Name of the reference file used (`<judge>` or `gpt-4`), if any. */
  referenceName: string | undefined;
  /** Judge prompts by name. */
  prompts: Map<string, JudgePrompt>;
  /** The judge prompt file read. */
  judgeFile: string;
  /** Things worth telling the user (e.g. the reference fallback). */
  notices: string[];
  /** The questions file read (the output root's, else the data root's). */
  questionFile: string;
  /** Answers missing from a model's file, with `skipMissing` (else empty). */
  missing: { model: string; questionId: QuestionId; file: string }[];
}

/**
 * Reads and checks the inputs of a judging run, as FastChat's
 * `gen_judgment.py` plus `check_data`: questions (first n; the output
 * root's `<bench>/question.jsonl` when there is one, else the data root's),
 * answers from `<bench>/model_answer` under the data root and the output
 * root, the judge
 * prompts, and the reference answers `reference_answer/<judge>.jsonl` —
 * falling back to `gpt-4.jsonl` with a notice, as FastChat's references were
 * written by GPT-4. Anything missing throws a `DataError` naming the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadJudgeInputs } from "./load_judge_inputs.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/mt_bench/model_answer`, { recursive: true });
 * const line = (value: unknown) => JSON.stringify(value) + "\n";
 * await Deno.writeTextFile(`${root}/mt_bench/question.jsonl`,
 *   line({ question_id: 81, category: "writing", turns: ["Hi", "More"] }));
 * await Deno.writeTextFile(`${root}/mt_bench/model_answer/m.jsonl`,
 *   line({ question_id: 81, answer_id: "x", model_id: "m", choices: [{ index: 0, turns: ["a", "b"] }] }));
 * await Deno.writeTextFile(`${root}/judge_prompts.jsonl`, line({
 *   name: "single-v1", type: "single", system_prompt: "s", prompt_template: "{question}",
 *   description: "d", category: "general", output_format: "[[rating]]",
 * }));
 * const inputs = await loadJudgeInputs({ dataRoot: root });
 * assert.deepEqual(inputs.models, ["m"]);
 * assert.equal(inputs.questions.length, 1);
 * assert.equal(inputs.referenceName, undefined); // no reference_answer/ directory
 * ```
 */
export async function loadJudgeInputs(options: LoadJudgeInputsOptions): Promise<JudgeInputs> {
  const bench = options.bench ?? "mt_bench";
  const dataRoot = options.dataRoot;
  const outputRoot = options.outputRoot ?? dataRoot;
  const judgeName = options.judgeName ?? "gpt-4";
  const notices: string[] = [];
  const questionFile = outputRoot !== dataRoot && await exists(layout.questions(outputRoot, bench))
    ? layout.questions(outputRoot, bench)
    : layout.questions(dataRoot, bench);
  let questions = await readQuestions(questionFile);
  if (options.firstN !== undefined) questions = questions.slice(0, options.firstN);

  const answerFiles = new Map<string, string>();
  const directories = [layout.answerDir(dataRoot, bench)];
  if (outputRoot !== dataRoot) directories.push(layout.answerDir(outputRoot, bench));
  for (const directory of directories) {
    for (const name of await listJsonl(directory)) {
      answerFiles.set(name.slice(0, -".jsonl".length), join(directory, name));
    }
  }
  const available = [...answerFiles.keys()].sort();
  if (available.length === 0 && options.models === undefined) {
    notices.push(`no answer files in ${directories.join(" or ")}: nothing to judge`);
  }
  const models = options.models ? [...options.models] : available;
  const needed = [...models];
  const mode = options.mode ?? "single";
  const baseline = options.baselineModel ?? "gpt-3.5-turbo";
  if (mode === "pairwise-baseline" && !needed.includes(baseline)) needed.push(baseline);
  const answers = new Map<string, Map<QuestionId, ModelAnswer>>();
  const missing: JudgeInputs["missing"] = [];
  for (const model of needed) {
    const file = answerFiles.get(model);
    if (file === undefined) {
      throw new DataError(
        `no answer file for model "${model}"${
          available.length > 0 ? ` (models with answers: ${available.join(", ")})` : ""
        }`,
        { file: join(directories.at(-1)!, `${model}.jsonl`) },
      );
    }
    const list = await readAnswers(file);
    const byId = new Map(list.map((answer) => [answer.question_id, answer]));
    for (const question of questions) {
      const answer = byId.get(question.question_id);
      if (answer === undefined) {
        if (options.skipMissing) {
          missing.push({ model, questionId: question.question_id, file });
          continue;
        }
        await idTypeMismatch(question.question_id, questionFile, byId, file);
        throw new DataError(
          `model "${model}" has no answer to question ${
            JSON.stringify(question.question_id)
          } (--skip-missing judges the rest without the matches that need it)`,
          { file, field: "question_id" },
        );
      }
      await checkTurns(question, answer, file, `model "${model}"'s answer`);
    }
    answers.set(model, byId);
  }

  const referenceDirs = [layout.referenceDir(dataRoot, bench)];
  if (outputRoot !== dataRoot) referenceDirs.unshift(layout.referenceDir(outputRoot, bench));
  let referenceFile: string | undefined;
  let referenceName: string | undefined;
  for (const name of judgeName === "gpt-4" ? ["gpt-4"] : [judgeName, "gpt-4"]) {
    for (const directory of referenceDirs) {
      const candidate = join(directory, `${name}.jsonl`);
      if (await exists(candidate)) {
        referenceFile ??= candidate;
        referenceName ??= name;
      }
    }
    if (referenceFile !== undefined) break;
  }
  const references = new Map<QuestionId, ModelAnswer>();
  const needsReference = questions.filter((question) =>
    REFERENCE_CATEGORIES.includes(question.category)
  );
  if (referenceFile !== undefined) {
    if (referenceName !== judgeName && needsReference.length > 0) {
      notices.push(
        `no reference answers by judge "${judgeName}" (reference_answer/${judgeName}.jsonl); using ${referenceFile}`,
      );
    }
    for (const answer of await readAnswers(referenceFile)) {
      references.set(answer.question_id, answer);
    }
  }
  for (const question of needsReference) {
    const reference = references.get(question.question_id);
    if (reference !== undefined) {
      await checkTurns(question, reference, referenceFile!, "the reference answer");
    } else {
      if (referenceFile !== undefined) {
        await idTypeMismatch(question.question_id, questionFile, references, referenceFile);
      }
      throw new DataError(
        `no reference answer to question ${
          JSON.stringify(question.question_id)
        } (category "${question.category}" is judged against a reference)`,
        referenceFile === undefined
          ? { file: join(referenceDirs.at(-1)!, "gpt-4.jsonl") }
          : { file: referenceFile, field: "question_id" },
      );
    }
  }
  let judgeFile = options.judgeFile ?? layout.judgePrompts(dataRoot);
  const lang = questions.find((question) => question.lang)?.lang;
  if (options.judgeFile === undefined && lang !== undefined) {
    const multilingual = layout.multilingualJudgePrompts(dataRoot);
    if (await exists(multilingual)) {
      judgeFile = multilingual;
      notices.push(
        `questions of ${bench} declare "lang" (${lang}): judge prompts from ${multilingual} (--judge-file to choose others)`,
      );
    }
  }
  const prompts = await readJudgePrompts(judgeFile);
  return {
    judgeFile,
    questions,
    models,
    answers,
    answerFiles,
    references,
    referenceName,
    prompts,
    notices,
    questionFile,
    missing,
  };
}

/**
 * An answer with fewer turns than its question cannot be judged on the later
 * turns: a DataError naming the answer file, its line and field (not the judge
 * prompt that would fail to render).
 */
async function checkTurns(
  question: Question,
  answer: ModelAnswer,
  file: string,
  what: string,
): Promise<void> {
  const need = question.turns.length;
  for (let index = 0; index < answer.choices.length; index++) {
    const have = answer.choices[index]!.turns.length;
    if (have >= need) continue;
    throw new DataError(
      `${what} to question ${JSON.stringify(question.question_id)} has ${have} turn(s); ` +
        `the question has ${need}`,
      {
        file,
        line: await questionIdLine(file, question.question_id),
        field: `choices[${index}].turns`,
      },
    );
  }
}

/**
 * A question id written as a string in one file and a number in the other
 * ("85" and 85): a DataError naming the file, line and field with the string,
 * the odd one out (MT-Bench ids are integers).
 */
async function idTypeMismatch(
  id: QuestionId,
  questionFile: string,
  byId: ReadonlyMap<QuestionId, unknown>,
  otherFile: string,
): Promise<void> {
  const other: QuestionId | undefined = typeof id === "string"
    ? (/^-?\d+$/.test(id) ? Number(id) : undefined)
    : String(id);
  if (other === undefined || !byId.has(other)) return;
  const [file, text, number] = typeof id === "string"
    ? [questionFile, id, other]
    : [otherFile, other as string, id];
  throw new DataError(
    `question_id ${JSON.stringify(text)} is a string here but the number ${number} in "${
      file === questionFile ? otherFile : questionFile
    }"; write it as the number ${number}`,
    { file, line: await questionIdLine(file, text), field: "question_id" },
  );
}

async function listJsonl(directory: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (entry.isFile && entry.name.endsWith(".jsonl")) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}
