// deno-lint-ignore-file no-console
/**
 * `llm-judge audit`: the biases of a judge's run, from its judgment files.
 * @module
 */
import {
  type Command,
  COMMON_OPTIONS,
  expandListArgs,
  integerOption,
  listOption,
  oneOf,
  parseCommandArgs,
  UsageError,
} from "./_command.ts";
import { stdout, writeAll } from "./_io.ts";
import { layout, resolveRoots } from "../lib/data/data_root.ts";
import { findHumanVoteFiles } from "../lib/data/find_human_vote_files.ts";
import { readAnswerDirectory } from "../lib/data/read_answers.ts";
import { readHumanVotes } from "../lib/data/read_human_votes.ts";
import { readJudgments } from "../lib/data/read_judgments.ts";
import type { HumanVote, Judgment, ModelAnswer } from "../lib/data/types.ts";
import { writeTextFileAtomic } from "../lib/data/write_text_file_atomic.ts";
import { answerLengths, auditJudgments, judgeFamily, renderAudit } from "../lib/audit/mod.ts";
import { HUMAN_BENCH } from "../lib/calibrate/mod.ts";

const FORMATS = ["table", "json", "markdown", "csv"] as const;

const OPTIONS = {
  ...COMMON_OPTIONS,
  "input-file": { type: "string", multiple: true },
  "bench-name": { type: "string" },
  family: { type: "string" },
  bootstrap: { type: "string", default: "1000" },
  seed: { type: "string", default: "0" },
  format: { type: "string", default: "table" },
  "output-file": { type: "string" },
} as const;

const HELP = `Usage: llm-judge audit --input-file FILE [FILE ...] [options]

Reports the biases of a judge's run from its judgment file(s), ours or
FastChat's, pairwise or single. Several files of the same judge over the same
matches are compared as repeated runs; the other figures use the first file.

Figures:
  error rate               failed requests (unparsable verdicts, failed calls), top causes
  position consistency     pairwise: share of matches whose two orders agree
  first-position preference  share of decided games won by the answer shown first
  tie rate, inconsistency  ties per game; matches whose verdict flips with the order
  longer answer win rate   pairwise: decided games won by the longer answer
  score per 1000 chars     single: slope of score on answer length, 95% CI over questions
  self-preference          win rate (or mean-score gap) of the judge's own model family;
                           a model is in the family when its name contains the family
                           name, by default the judge name's leading letters
                           (gpt-4 -> gpt, groq:llama-3.1-8b-instant -> llama);
                           on mt_bench_human, next to the experts' win rate
  verdict entropy          spread of scores (or A/B/tie verdicts), in bits
  runs agreeing per item   with several files: per-item agreement, score spread per model
  minimum significant difference  single: the mean-score gap this run can resolve,
                           and a significance mark between neighbours in the ranking

Options:
  --input-file FILE ...    judgment files (a bare name is looked up in
                           <output-root>/<bench>/model_judgment/)
  --bench-name NAME        bench of the answers (default: from the records'
                           provenance, else mt_bench); answer lengths come from
                           <data-root>/<bench>/model_answer and <output-root>/<bench>/model_answer
  --family NAMES           the judge's model family, comma-separated (e.g. gpt,openai)
  --bootstrap N            bootstrap rounds (default 1000)
  --seed N                 bootstrap seed (default 0)
  --format FORMAT          table, json, markdown or csv (default table)
  --output-file PATH       also write the output to PATH
  --data-dir DIR / --output-dir DIR   roots (as for judge)

Repeated runs: judge --repeats K --temperature T writes <judge>_single.run1.jsonl
... <judge>_single.runK.jsonl (pair likewise); pass the K files. Repeated
judgments within one file are not split into runs: pass one file per run.`;

/** The `audit` command. */
export const auditCommand: Command = {
  name: "audit",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const { values } = parseCommandArgs(expandListArgs(args, ["--input-file"]), OPTIONS);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const inputs = listOption(values["input-file"]);
    if (inputs === undefined) throw new UsageError("--input-file is required");
    const format = oneOf(values.format, FORMATS, "--format");
    const rounds = integerOption(values.bootstrap, "--bootstrap", 0);
    const seed = integerOption(values.seed, "--seed", 0);
    const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
    const runs: Judgment[][] = [];
    const paths: string[] = [];
    for (const input of inputs) {
      const path = await locate(input, roots.output, values["bench-name"]);
      paths.push(path);
      runs.push(await readJudgments(path));
    }
    const first = runs[0]![0];
    const provenance = first?.provenance as Record<string, unknown> | undefined;
    const bench = values["bench-name"] ??
      (typeof provenance?.bench === "string" ? provenance.bench : "mt_bench");
    const answers = new Map<string, ModelAnswer[]>();
    for (const root of new Set([roots.data, roots.output])) {
      let directory: Map<string, Map<number | string, ModelAnswer>>;
      try {
        directory = await readAnswerDirectory(layout.answerDir(root, bench));
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue;
        throw error;
      }
      for (const [model, byId] of directory) answers.set(model, [...byId.values()]);
    }
    let referenceVotes: HumanVote[] = [];
    if (bench === HUMAN_BENCH) {
      const found = await findHumanVoteFiles(roots.data);
      if (found.human !== undefined) {
        referenceVotes = await readHumanVotes(found.human.path, { conversations: false });
      }
    }
    const judges = new Set(runs.flat().map((record) => record.judge[0]));
    if (judges.size > 1) {
      console.error(
        `llm-judge audit: note: the files hold records of ${judges.size} judges (${
          [...judges].join(", ")
        }); the figures mix them`,
      );
    }
    const family = listOption(values.family) ?? [judgeFamily(first?.judge[0] ?? "")];
    const report = auditJudgments(runs, {
      lengthOf: answers.size > 0 ? answerLengths(answers) : undefined,
      family,
      referenceVotes,
      rounds,
      seed,
    });
    const document = { inputs: paths, bench, answers_found: answers.size > 0, report };
    const text = format === "json"
      ? JSON.stringify(document, null, 2) + "\n"
      : renderAudit(report, format);
    if (values["output-file"] !== undefined) {
      await writeTextFileAtomic(values["output-file"], text);
    }
    writeAll(stdout(), new TextEncoder().encode(text));
    if (answers.size === 0) {
      console.error(
        `llm-judge audit: note: no answer files under ${
          layout.answerDir(roots.data, bench)
        }; no verbosity figures (use --bench-name)`,
      );
    }
    return 0;
  },
};

/** The path as given, else a file of the bench's model_judgment/ in the output root. */
async function locate(input: string, root: string, bench: string | undefined): Promise<string> {
  const candidates = [input];
  for (const name of bench === undefined ? ["mt_bench", HUMAN_BENCH] : [bench]) {
    const directory = layout.judgmentDir(root, name);
    candidates.push(`${directory}/${input}`, `${directory}/${input}.jsonl`);
  }
  for (const candidate of candidates) {
    try {
      if ((await Deno.stat(candidate)).isFile) return candidate;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  throw new UsageError(
    `no judgment file ${JSON.stringify(input)}: looked at ${candidates.join(", ")}`,
  );
}
