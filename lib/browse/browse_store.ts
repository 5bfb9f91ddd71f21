import { join, resolve } from "node:path";
import { layout } from "../data/data_root.ts";
import { DataError } from "../data/data_error.ts";
import { readAnswers } from "../data/read_answers.ts";
import { readQuestions } from "../data/read_questions.ts";
import { readHumanVotes } from "../data/read_human_votes.ts";
import { readConversations } from "../data/read_conversations.ts";
import {
  findHumanVoteFiles,
  type HumanVoteFile,
  type HumanVoteFiles,
} from "../data/find_human_vote_files.ts";
import { findJudgmentFiles } from "../data/find_judgment_files.ts";
import {
  type ChatMessage,
  type HumanVote,
  isPairJudgment,
  type ModelAnswer,
  type Question,
} from "../data/types.ts";
import { type SourcedHumanVote, type SourcedJudgment, tallyVotes } from "../agree/tally_votes.ts";
import { FileCache, fileStamp } from "./_file_cache.ts";
import { JudgmentFileIndex } from "./_judgment_file_index.ts";
import { toApiError } from "./_api_error.ts";
import { BrowseRequestError } from "./browse_request_error.ts";
import { buildQuestionView, type ModelAnswerVersions } from "./build_question_view.ts";
import { findDisagreements } from "./find_disagreements.ts";
import { selectJudgments } from "./select_judgments.ts";
import type {
  AnswerVersion,
  BenchInfo,
  BenchList,
  BrowseApiError,
  BrowseModel,
  DisagreementList,
  JudgeOption,
  JudgmentFileView,
  JudgmentsView,
  QuestionSummary,
  QuestionView,
} from "./types.ts";

/** Options for {@linkcode BrowseStore}. */
export interface BrowseStoreOptions {
  /**
   * The bench the human-judgment votes (`mt_bench_human_judgments`) belong to;
   * other benches show no votes, even when their question ids match.
   * @default {"mt_bench"}
   */
  humanBench?: string;
  /**
   * Output root, read before the data root: its answers, references,
   * judgment files and votes are shown too, and a file name found in both
   * roots is taken from the output root.
   * @default {the data root}
   */
  outputRoot?: string | undefined;
}

/** Filters of {@linkcode BrowseStore.disagreements}. */
export interface DisagreementQuery {
  /** The two judges: `gpt4-pair`, `human`, `author`, or judgment file names of the bench. */
  judges: [string, string];
  /**
   * Leave tie votes out (FastChat's "without tie").
   * @default {false}
   */
  noTies?: boolean;
  /**
   * Only this turn.
   * @default {undefined} (both)
   */
  turn?: number;
  /**
   * Only questions of this category.
   * @default {undefined} (all)
   */
  category?: string;
  /**
   * Rows returned at most.
   * @default {500}
   */
  limit?: number;
}

/** Judges read from the human-judgment data rather than from a judgment file. */
const VOTE_JUDGES: Readonly<Record<string, string>> = {
  "gpt4-pair": "GPT-4 pair votes (mt_bench_human_judgments)",
  human: "Human experts (mt_bench_human_judgments)",
  author: "Authors (mt_bench_human_judgments)",
};

interface QuestionIndex {
  questions: Question[];
  byId: Map<string, Question>;
}

interface VoteIndex {
  byQuestion: Map<string, HumanVote[]>;
  models: Set<string>;
  all: HumanVote[];
}

/** A conversation with the file it came from. */
interface Conversation {
  path: string;
  messages: ChatMessage[];
}

const PREVIEW_LENGTH = 90;

/**
 * The data behind the QA browser: reads a data root lazily and caches each
 * parsed file until it changes on disk (size or mtime), so the first page needs
 * only the question list and the files of the models shown. Every method
 * returns the JSON the API serves. Names in requests (bench, question, model,
 * judge) are checked against what is on disk before any path is built, so a
 * request cannot reach files outside the data root.
 *
 * Bad files raise a {@linkcode DataError} (file, line, field); parts of a view
 * that can do without a file (one model's answer, a judgment file, the votes)
 * report the error in the view instead. Unknown names raise a
 * {@linkcode BrowseRequestError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BrowseStore } from "./browse_store.ts";
 * const root = await Deno.makeTempDir();
 * await Deno.mkdir(`${root}/demo/model_answer`, { recursive: true });
 * await Deno.writeTextFile(`${root}/demo/question.jsonl`,
 *   '{"question_id":1,"category":"writing","turns":["Say hi"]}\n');
 * await Deno.writeTextFile(`${root}/demo/model_answer/m.jsonl`,
 *   '{"question_id":1,"model_id":"m","choices":[{"index":0,"turns":["Hi"]}]}\n');
 * const store = new BrowseStore(root);
 * assert.equal((await store.benches()).benches[0], "demo");
 * const view = await store.questionView("demo", "1", ["m"]);
 * assert.equal(view.answers[0]!.versions[0]!.turns[0], "Hi");
 * ```
 */
export class BrowseStore {
  /** The data root. */
  readonly root: string;
  /** The roots read, output root first (the data root alone when they are the same). */
  readonly roots: readonly string[];
  /** The bench the human votes belong to. */
  readonly humanBench: string;

  readonly #questions = new FileCache<QuestionIndex>(async (path) => {
    const questions = await readQuestions(path);
    return { questions, byId: new Map(questions.map((q) => [String(q.question_id), q])) };
  });
  readonly #answers = new FileCache<Map<string, ModelAnswer>>(async (path) => {
    const answers = await readAnswers(path);
    return new Map(answers.map((answer) => [String(answer.question_id), answer]));
  });
  readonly #judgments = new FileCache<JudgmentFileIndex>(JudgmentFileIndex.read);
  readonly #votes = new FileCache<VoteIndex>(async (path) => {
    const all = await readHumanVotes(path, { conversations: false });
    const byQuestion = new Map<string, HumanVote[]>();
    const models = new Set<string>();
    for (const vote of all) {
      const key = String(vote.question_id);
      const list = byQuestion.get(key);
      if (list === undefined) byQuestion.set(key, [vote]);
      else list.push(vote);
      models.add(vote.model_a);
      models.add(vote.model_b);
    }
    return { byQuestion, models, all };
  });
  readonly #voteConversations = new FileCache<Map<string, Conversation>>(async (path) => {
    const out = new Map<string, Conversation>();
    const keep = (questionId: number, model: string, messages: ChatMessage[] | undefined) => {
      if (messages === undefined) return;
      const key = `${questionId}/${model}`;
      const known = out.get(key);
      if (known === undefined || known.messages.length < messages.length) {
        out.set(key, { path, messages });
      }
    };
    for (const vote of await readHumanVotes(path)) {
      keep(vote.question_id, vote.model_a, vote.conversation_a);
      keep(vote.question_id, vote.model_b, vote.conversation_b);
    }
    return out;
  });
  readonly #reconstructed = new FileCache<Map<string, Conversation>>(async (path) => {
    const records = await readConversations(path);
    return new Map(
      records.map((
        record,
      ) => [`${record.question_id}/${record.model}`, { path, messages: record.conversation }]),
    );
  });

  /**
   * Creates a store over a data root; nothing is read until asked.
   * @param root The data root, in FastChat's layout.
   * @param options Which bench the human votes belong to.
   */
  constructor(root: string, options: BrowseStoreOptions = {}) {
    this.root = root;
    this.roots = options.outputRoot === undefined || resolve(options.outputRoot) === resolve(root)
      ? [root]
      : [options.outputRoot, root];
    this.humanBench = options.humanBench ?? "mt_bench";
  }

  /**
   * Every folder with a `question.jsonl` under the roots; a missing data root
   * is a DataError (a missing output root is not).
   */
  async benches(): Promise<BenchList> {
    const benches = new Set<string>();
    try {
      for (const root of this.roots) {
        try {
          for await (const entry of Deno.readDir(root)) {
            if (!entry.isDirectory && !entry.isSymlink) continue;
            if (await isFile(layout.questions(root, entry.name))) benches.add(entry.name);
          }
        } catch (error) {
          if (root === this.root || !(error instanceof Deno.errors.NotFound)) throw error;
        }
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new DataError("data root not found (set --data-dir or LLM_JUDGE_DATA)", {
          file: this.root,
        }, { cause: error });
      }
      throw error;
    }
    return { root: this.root, benches: [...benches].sort() };
  }

  /** The question list, models, judgment files and judges of a bench. */
  async benchInfo(bench: string): Promise<BenchInfo> {
    await this.#requireBench(bench);
    const { questions } = await this.#questions.get(await this.#questionFile(bench));
    const warnings: BrowseApiError[] = [];
    const votes = await this.#voteIndexes(bench).catch((error) => {
      warnings.push(toApiError(error));
      return [];
    });
    const models = await this.#models(bench, votes);
    const judgmentFiles = [...(await this.#judgmentFiles(bench)).keys()];
    const references = [...(await this.#files((root) => layout.referenceDir(root, bench))).keys()]
      .map(stem);
    const files = bench === this.humanBench ? await this.#humanVoteFiles() : undefined;
    const judges: JudgeOption[] = [];
    if (files?.gpt4Pair !== undefined) {
      judges.push({ name: "gpt4-pair", label: VOTE_JUDGES["gpt4-pair"]! });
    }
    if (files?.human !== undefined) {
      judges.push({ name: "human", label: VOTE_JUDGES.human! });
      judges.push({ name: "author", label: VOTE_JUDGES.author! });
    }
    for (const name of judgmentFiles) judges.push({ name, label: `${name} (model_judgment)` });
    const categories = [...new Set(questions.map((question) => question.category))];
    const first = questions[0];
    const defaultModels = first === undefined
      ? []
      : await this.#defaultModels(bench, String(first.question_id), models, votes, judgmentFiles);
    return {
      bench,
      categories,
      questions: questions.map(summary),
      models,
      judgmentFiles,
      references,
      judges,
      humanVotes: votes.length > 0,
      defaultModels,
      warnings,
    };
  }

  /**
   * The pair of models with the most judgments on one question: pairwise
   * records and human votes count once each, and two models that both have a
   * single grade count once per judgment file. Only models the page can show;
   * ties go to the pair first by name. Without any, the first two models.
   */
  async #defaultModels(
    bench: string,
    questionKey: string,
    models: readonly BrowseModel[],
    votes: readonly VoteIndex[],
    judgmentFiles: readonly string[],
  ): Promise<string[]> {
    const known = new Set(models.map((model) => model.name));
    const counts = new Map<string, number>();
    const add = (first: string, second: string) => {
      if (first === second || !known.has(first) || !known.has(second)) return;
      const key = JSON.stringify(first < second ? [first, second] : [second, first]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };
    for (const index of votes) {
      for (const vote of index.byQuestion.get(questionKey) ?? []) add(vote.model_a, vote.model_b);
    }
    for (const name of judgmentFiles) {
      let lines;
      try {
        lines = (await this.#judgments.get(join(layout.judgmentDir(this.root, bench), name)))
          .records(questionKey);
      } catch (error) {
        if (error instanceof DataError) continue; // the question view reports it
        throw error;
      }
      const graded = new Set<string>();
      for (const { record } of lines) {
        if (isPairJudgment(record)) add(record.model_1, record.model_2);
        else graded.add(record.model);
      }
      const sorted = [...graded].sort();
      sorted.forEach((first, index) => {
        for (const second of sorted.slice(index + 1)) add(first, second);
      });
    }
    let best: [string, number] | undefined;
    for (const [key, count] of counts) {
      if (best === undefined || count > best[1] || (count === best[1] && key < best[0])) {
        best = [key, count];
      }
    }
    return best === undefined
      ? models.slice(0, 2).map((model) => model.name)
      : JSON.parse(best[0]) as string[];
  }

  /**
   * One question with the answers of up to two models (every version found:
   * `model_answer/`, `model_answer_earlier/`, and the conversation the human
   * judges saw), the reference answers and the human votes.
   */
  async questionView(bench: string, questionId: string, models: string[]): Promise<QuestionView> {
    await this.#requireBench(bench);
    const question = await this.#question(bench, questionId);
    if (models.length > 2) {
      throw new BrowseRequestError(
        "request",
        `expected at most 2 models, got ${models.length}: ${JSON.stringify(models)}`,
      );
    }
    if (models.length === 2 && models[0] === models[1]) {
      throw new BrowseRequestError("request", `the two models are the same: ${models[0]}`);
    }
    const warnings: BrowseApiError[] = [];
    const voteIndexes = await this.#voteIndexes(bench).catch((error) => {
      warnings.push(toApiError(error));
      return [];
    });
    const known = await this.#models(bench, voteIndexes);
    for (const model of models) {
      if (!known.some((info) => info.name === model)) {
        throw new BrowseRequestError(
          "not_found",
          `unknown model ${JSON.stringify(model)} in bench ${JSON.stringify(bench)}`,
        );
      }
    }
    const key = String(question.question_id);
    const votes = voteIndexes.flatMap((index) => index.byQuestion.get(key) ?? []);
    const answers: ModelAnswerVersions[] = [];
    for (const model of models) {
      answers.push(await this.#answerVersions(bench, key, model, voteIndexes.length > 0));
    }
    const references: { name: string; turns: string[] }[] = [];
    const referenceFiles = await this.#files((root) => layout.referenceDir(root, bench));
    for (const [name, path] of referenceFiles) {
      try {
        const file = await this.#answers.get(path);
        const answer = file.get(key);
        if (answer !== undefined) {
          references.push({ name: stem(name), turns: answer.choices[0]!.turns });
        }
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        warnings.push(toApiError(error));
      }
    }
    return buildQuestionView({ bench, question, references, answers, votes, warnings });
  }

  /** The records of every judgment file of the bench on one question, for the models shown. */
  async judgmentsView(
    bench: string,
    questionId: string,
    models: string[],
  ): Promise<JudgmentsView> {
    await this.#requireBench(bench);
    const question = await this.#question(bench, questionId);
    const key = String(question.question_id);
    const files: JudgmentFileView[] = [];
    for (const [name, path] of await this.#judgmentFiles(bench)) {
      try {
        const index = await this.#judgments.get(path);
        files.push({ name, records: selectJudgments(index.records(key), models) });
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        files.push({ name, records: [], error: toApiError(error) });
      }
    }
    return { bench, question_id: question.question_id, files };
  }

  /**
   * The keys (question, turn, model pair) on which two judges disagree, most
   * disagreeing first. Judges are `gpt4-pair`, `human` and `author` (the
   * human-judgment data, on its bench only) or judgment files of the bench;
   * single-grade files vote by comparing the two models' scores (FastChat's
   * `TIE_DELTA` 0.1), as `agree` does.
   */
  async disagreements(bench: string, query: DisagreementQuery): Promise<DisagreementList> {
    await this.#requireBench(bench);
    const { byId } = await this.#questions.get(await this.#questionFile(bench));
    const judgmentPaths = await this.#judgmentFiles(bench);
    const judgmentFiles = [...judgmentPaths.keys()];
    const [first, second] = query.judges;
    for (const judge of new Set(query.judges)) {
      if (judge in VOTE_JUDGES) {
        if (bench !== this.humanBench) {
          throw new BrowseRequestError(
            "not_found",
            `judge ${
              JSON.stringify(judge)
            } comes from the human-judgment data, which belongs to bench ${
              JSON.stringify(this.humanBench)
            }, not ${JSON.stringify(bench)}`,
          );
        }
      } else if (!judgmentFiles.includes(judge)) {
        throw new BrowseRequestError(
          "not_found",
          `unknown judge ${JSON.stringify(judge)}: expected gpt4-pair, human, author or one of ${
            JSON.stringify(judgmentFiles)
          }`,
        );
      }
    }
    const humanVotes: SourcedHumanVote[][] = [];
    if (first in VOTE_JUDGES || second in VOTE_JUDGES) {
      const indexes = await this.#voteIndexes(bench);
      if (indexes.length === 0) {
        throw new DataError("no human-judgment votes found", {
          file: layout.humanDir(this.root),
        });
      }
      for (const index of indexes) humanVotes.push(index.all.map((vote) => ({ vote })));
    }
    const judgments = new Map<string, SourcedJudgment[][]>();
    for (const judge of new Set(query.judges)) {
      if (judge in VOTE_JUDGES) continue;
      const path = judgmentPaths.get(judge)!;
      const index = await this.#judgments.get(path);
      const records = [...index.all()].map(({ line, record }) => ({
        record,
        source: { file: path, line },
      }));
      judgments.set(judge, [records]);
    }
    const { tally } = await tallyVotes([first, second], { humanVotes, judgments });
    const category = query.category;
    const found = findDisagreements(tally, {
      noTies: query.noTies ?? false,
      turn: query.turn,
      keepQuestion: category === undefined
        ? undefined
        : (id) => byId.get(String(id))?.category === category,
      categoryOf: (id) => byId.get(String(id))?.category ?? "",
    });
    const limit = query.limit ?? 500;
    return {
      bench,
      judges: [first, second],
      ties: !(query.noTies ?? false),
      keys: found.keys,
      agree: found.agree,
      total: found.total,
      rows: found.rows.slice(0, limit),
      truncated: Math.max(0, found.rows.length - limit),
    };
  }

  /**
   * Reads a bench's files into the cache before the first request needs them:
   * the question list, every answer, earlier-answer and reference file, the
   * judgment files, the human votes and their conversations. Bad files are
   * skipped here; the requests that need them report them. Returns the bench
   * warmed: `bench`, else `mt_bench` when present, else the first bench, or
   * undefined when there is none.
   */
  async warm(bench?: string): Promise<string | undefined> {
    const { benches } = await this.benches();
    const name = bench ?? (benches.includes(this.humanBench) ? this.humanBench : benches[0]);
    if (name === undefined) return undefined;
    const skipDataErrors = async (load: () => Promise<unknown>) => {
      try {
        await load();
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
      }
    };
    await skipDataErrors(() => this.benchInfo(name));
    const votes = await this.#voteIndexes(name).catch(() => []);
    for (const model of await this.#models(name, votes)) {
      for (const kind of ["file", "earlier"] as const) {
        const path = (await this.#answerFiles(name, kind)).get(`${model.name}.jsonl`);
        if (path !== undefined) await skipDataErrors(() => this.#answers.get(path));
      }
    }
    for (const path of (await this.#files((root) => layout.referenceDir(root, name))).values()) {
      await skipDataErrors(() => this.#answers.get(path));
    }
    for (const path of (await this.#judgmentFiles(name)).values()) {
      await skipDataErrors(() => this.#judgments.get(path));
    }
    if (votes.length > 0) await skipDataErrors(() => this.#conversation("", ""));
    return name;
  }

  /** `question.jsonl` of a bench: the output root's when it has one, else the data root's. */
  async #questionFile(bench: string): Promise<string> {
    for (const root of this.roots) {
      const path = layout.questions(root, bench);
      if (await isFile(path)) return path;
    }
    return layout.questions(this.root, bench);
  }

  /** `*.jsonl` names → paths in a folder of each root; the output root wins. */
  async #files(folder: (root: string) => string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const root of this.roots) {
      const directory = folder(root);
      for (const name of await jsonlNames(directory)) {
        if (!out.has(name)) out.set(name, join(directory, name));
      }
    }
    return new Map([...out].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
  }

  /** Judgment file names → paths, found by `findJudgmentFiles` (output root first). */
  async #judgmentFiles(bench: string): Promise<Map<string, string>> {
    const outputRoot = this.roots.length > 1 ? this.roots[0] : undefined;
    const found = await findJudgmentFiles(this.root, { outputRoot, bench });
    return new Map(
      found.files.map((file) => [file.name, file.path] as const)
        .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0),
    );
  }

  #answerFiles(bench: string, kind: "file" | "earlier"): Promise<Map<string, string>> {
    return this.#files((root) =>
      kind === "file" ? layout.answerDir(root, bench) : join(root, bench, "model_answer_earlier")
    );
  }

  /** The vote files, each split from the first root that has it. */
  async #humanVoteFiles(): Promise<HumanVoteFiles> {
    const all = await Promise.all(this.roots.map((root) => findHumanVoteFiles(root)));
    return {
      directory: all.at(-1)!.directory,
      human: all.find((files) => files.human !== undefined)?.human,
      gpt4Pair: all.find((files) => files.gpt4Pair !== undefined)?.gpt4Pair,
      conversations: all.find((files) => files.conversations !== undefined)?.conversations,
    };
  }

  async #requireBench(bench: string): Promise<void> {
    const { benches } = await this.benches();
    if (!benches.includes(bench)) {
      throw new BrowseRequestError(
        "not_found",
        `unknown bench ${JSON.stringify(bench)}: expected one of ${JSON.stringify(benches)}`,
      );
    }
  }

  async #question(bench: string, questionId: string): Promise<Question> {
    const { byId } = await this.#questions.get(await this.#questionFile(bench));
    const question = byId.get(questionId);
    if (question === undefined) {
      throw new BrowseRequestError(
        "not_found",
        `unknown question ${JSON.stringify(questionId)} in bench ${JSON.stringify(bench)}`,
      );
    }
    return question;
  }

  /** The vote files' indexes, when the bench is the human-judgment bench. */
  async #voteIndexes(bench: string): Promise<VoteIndex[]> {
    if (bench !== this.humanBench) return [];
    const files = await this.#humanVoteFiles();
    const out: VoteIndex[] = [];
    for (const file of [files.human, files.gpt4Pair]) {
      if (file !== undefined) out.push(await this.#votes.get(file.path));
    }
    return out;
  }

  async #models(bench: string, votes: readonly VoteIndex[]): Promise<BrowseModel[]> {
    const files = new Set([...(await this.#answerFiles(bench, "file")).keys()].map(stem));
    const earlier = new Set([...(await this.#answerFiles(bench, "earlier")).keys()].map(stem));
    const voted = new Set(votes.flatMap((index) => [...index.models]));
    const names = [...new Set([...files, ...earlier, ...voted])].sort();
    return names.map((name) => ({
      name,
      answerFile: files.has(name),
      earlierFile: earlier.has(name),
      voted: voted.has(name),
    }));
  }

  async #answerVersions(
    bench: string,
    questionKey: string,
    model: string,
    withVotes: boolean,
  ): Promise<ModelAnswerVersions> {
    const versions: AnswerVersion[] = [];
    const out: ModelAnswerVersions = { model, versions };
    const fromFile = async (source: "file" | "earlier") => {
      const path = (await this.#answerFiles(bench, source)).get(`${model}.jsonl`);
      if (path === undefined) return;
      try {
        const answer = (await this.#answers.get(path)).get(questionKey);
        if (answer !== undefined) versions.push({ source, path, turns: answer.choices[0]!.turns });
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        out.error ??= toApiError(error);
      }
    };
    await fromFile("file");
    await fromFile("earlier");
    if (withVotes) {
      try {
        const conversation = await this.#conversation(questionKey, model);
        if (conversation !== undefined) {
          versions.push({
            source: "voted",
            path: conversation.path,
            turns: conversation.messages.filter((message) => message.role === "assistant")
              .map((message) => message.content),
          });
        }
      } catch (error) {
        if (!(error instanceof DataError)) throw error;
        out.error ??= toApiError(error);
      }
    }
    return out;
  }

  /**
   * The conversation the human judges saw: from the vote files themselves when
   * they carry conversations (parquet, FastChat JSON), else from
   * `conversations_reconstructed.jsonl`.
   */
  async #conversation(questionKey: string, model: string): Promise<Conversation | undefined> {
    const files = await this.#humanVoteFiles();
    const key = `${questionKey}/${model}`;
    for (const file of [files.human, files.gpt4Pair]) {
      if (file === undefined || !carriesConversations(file)) continue;
      const found = (await this.#voteConversations.get(file.path)).get(key);
      if (found !== undefined) return found;
    }
    if (files.conversations === undefined) return undefined;
    return (await this.#reconstructed.get(files.conversations)).get(key);
  }
}

function carriesConversations(file: HumanVoteFile): boolean {
  return file.format === "parquet" || file.format === "json";
}

function summary(question: Question): QuestionSummary {
  const first = question.turns[0]!.replace(/\s+/g, " ").trim();
  return {
    question_id: question.question_id,
    category: question.category,
    turns: question.turns.length,
    preview: first.length > PREVIEW_LENGTH ? `${first.slice(0, PREVIEW_LENGTH - 1)}…` : first,
  };
}

function stem(name: string): string {
  return name.replace(/\.jsonl$/, "");
}

/** The `*.jsonl` file names of a directory, sorted; none when it does not exist. */
async function jsonlNames(directory: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if ((entry.isFile || entry.isSymlink) && entry.name.endsWith(".jsonl")) {
        names.push(entry.name);
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    throw error;
  }
  return names.sort();
}

async function isFile(path: string): Promise<boolean> {
  try {
    await fileStamp(path);
    return true;
  } catch (error) {
    if (error instanceof DataError) return false;
    throw error;
  }
}
