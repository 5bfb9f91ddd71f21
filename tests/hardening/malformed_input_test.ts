// Table-driven malformed input: every input file kind, read by its lib reader
// (fast, in process), and every command's flags, through `main` in process.
// Each case must end in a DataError / ModelLoadError naming the file (and the
// line and field where there is one), or exit 2 for a bad command line.
import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "../../lib/data/data_error.ts";
import { readAnswers } from "../../lib/data/read_answers.ts";
import { readHumanVotes } from "../../lib/data/read_human_votes.ts";
import { readJudgePrompts } from "../../lib/data/read_judge_prompts.ts";
import { readJudgments, streamPairJudgments } from "../../lib/data/read_judgments.ts";
import { readQuestions } from "../../lib/data/read_questions.ts";
import { ModelLoadError } from "../../lib/generate/model_load_error.ts";
import { readModelDirectory } from "../../lib/generate/read_model_directory.ts";
import { writeFixtureDataRoot } from "../_fixture_data.ts";
import { tinyModel } from "../generate/_fixtures.ts";
import { runInProcess } from "./_in_process.ts";
import { tempDir } from "../_temp.ts";

/** A small data root of our own, for the commands that read one before their flags fail. */
const DATA = (await writeFixtureDataRoot(await tempDir({ prefix: "llm-judge-data-" }))).root;

type Json = Record<string, unknown>;

interface FileKind {
  name: string;
  /** A valid record of the kind. */
  good: Json;
  /** Required fields (each deleted and given wrong types). */
  required: string[];
  /** File suffix. */
  suffix: string;
  /** Reads the file completely. */
  read(path: string): Promise<unknown>;
  /** An empty file is valid for this kind (a later check reports what is missing). */
  emptyOk?: boolean;
  /** Extra invalid records: [label, record, field]. */
  extra: [string, Json, string | undefined][];
}

const pairRecord = {
  question_id: 81,
  model_1: "a",
  model_2: "b",
  g1_winner: "model_1",
  g2_winner: "tie",
  judge: ["gpt-4", "pair-v2"],
  turn: 1,
};
const vote = {
  question_id: 81,
  model_a: "a",
  model_b: "b",
  winner: "model_a",
  judge: "expert_0",
  turn: 1,
};
const answer = {
  question_id: 81,
  answer_id: "x",
  model_id: "m",
  choices: [{ index: 0, turns: ["t1", "t2"] }],
  tstamp: 1,
};
const drainPairs = async (path: string) => {
  for await (const _ of streamPairJudgments(path)) { /* read all */ }
};

const KINDS: FileKind[] = [
  {
    name: "questions",
    good: { question_id: 81, category: "writing", turns: ["q1", "q2"] },
    required: ["question_id", "category", "turns"],
    suffix: ".jsonl",
    read: readQuestions,
    extra: [
      ["no turns", { question_id: 82, category: "writing", turns: [] }, "turns"],
      ["a turn not a string", { question_id: 82, category: "w", turns: ["a", 3] }, "turns[1]"],
      ["a repeated question_id", { question_id: 81, category: "w", turns: ["a"] }, "question_id"],
      ["a float id", { question_id: 8.5, category: "w", turns: ["a"] }, "question_id"],
    ],
  },
  {
    name: "answers",
    emptyOk: true,
    good: answer,
    required: ["question_id", "choices"],
    suffix: ".jsonl",
    read: readAnswers,
    extra: [
      ["choices not an array", { ...answer, choices: "x" }, "choices"],
      ["turns not strings", { ...answer, choices: [{ index: 0, turns: [1] }] }, undefined],
    ],
  },
  {
    name: "reference answers",
    emptyOk: true,
    good: { ...answer, model_id: "gpt-4" },
    required: ["question_id", "choices"],
    suffix: ".jsonl",
    read: readAnswers,
    extra: [["an empty choice list", { ...answer, choices: [] }, "choices"]],
  },
  {
    name: "judge prompts",
    emptyOk: true,
    good: {
      name: "single-v1",
      type: "single",
      system_prompt: "s",
      prompt_template: "{question} {answer}",
      description: "d",
      category: "general",
      output_format: "[[rating]]",
    },
    required: ["name", "type", "system_prompt", "prompt_template"],
    suffix: ".jsonl",
    read: readJudgePrompts,
    extra: [[
      "an unknown type",
      {
        name: "x",
        type: "triple",
        system_prompt: "",
        prompt_template: "",
        description: "",
        category: "",
        output_format: "",
      },
      "type",
    ]],
  },
  {
    name: "single judgments",
    good: { question_id: 81, model: "m", judge: ["gpt-4", "single-v1"], score: 7, turn: 1 },
    required: ["question_id", "model", "judge", "score", "turn"],
    suffix: ".jsonl",
    read: readJudgments,
    extra: [
      ["score 11", { question_id: 81, model: "m", judge: ["g", "s"], score: 11, turn: 1 }, "score"],
      [
        "score 0.5",
        { question_id: 81, model: "m", judge: ["g", "s"], score: 0.5, turn: 1 },
        "score",
      ],
      ["score -2", { question_id: 81, model: "m", judge: ["g", "s"], score: -2, turn: 1 }, "score"],
      ["turn 3", { question_id: 81, model: "m", judge: ["g", "s"], score: 5, turn: 3 }, "turn"],
      ["turn 0", { question_id: 81, model: "m", judge: ["g", "s"], score: 5, turn: 0 }, "turn"],
      [
        "judge of 3",
        { question_id: 81, model: "m", judge: ["g", "s", "x"], score: 5, turn: 1 },
        "judge",
      ],
    ],
  },
  {
    name: "pair judgments",
    good: pairRecord,
    required: ["question_id", "model_1", "model_2", "g1_winner", "g2_winner", "judge", "turn"],
    suffix: ".jsonl",
    read: drainPairs,
    extra: [
      ["winner A", { ...pairRecord, g1_winner: "A" }, "g1_winner"],
      ["turn 3", { ...pairRecord, turn: 3 }, "turn"],
      [
        "a single record",
        { question_id: 81, model: "m", judge: ["g", "s"], score: 5, turn: 1 },
        "g1_winner",
      ],
    ],
  },
  {
    name: "human votes (JSONL)",
    good: vote,
    required: ["question_id", "model_a", "model_b", "winner", "judge", "turn"],
    suffix: ".jsonl",
    read: readHumanVotes,
    extra: [
      ["winner model_c", { ...vote, winner: "model_c" }, "winner"],
      ["turn 3", { ...vote, turn: 3 }, "turn"],
    ],
  },
];

/** Builds the cases of one kind: [label, file text, line, field]. */
function fileCases(kind: FileKind): [string, string, number | undefined, string | undefined][] {
  const good = JSON.stringify(kind.good);
  const cases: [string, string, number | undefined, string | undefined][] = kind.emptyOk
    ? []
    : [["an empty file", "", undefined, undefined], [
      "only blank lines",
      "\n\n",
      undefined,
      undefined,
    ]];
  cases.push(
    ["a byte-order mark", `\uFEFF${good}\n`, 1, undefined],
    ["invalid JSON on line 2", `${good}\n{"question_id": 81,\n`, 2, undefined],
    ["a truncated last line", `${good}\n${good.slice(0, 20)}`, 2, undefined],
    ["an array, not an object", `${good}\n[1, 2]\n`, 2, undefined],
    ["a number, not an object", `${good}\n42\n`, 2, undefined],
    ["an unrelated object", `${good}\n{"x": 1}\n`, 2, undefined],
    ["a string, not an object", `"text"\n`, 1, undefined],
    ["a duplicate key", `${good.slice(0, -1)}, "turn": 2, "turn": 1}\n`, 1, "turn"],
  );
  for (const field of kind.required) {
    const without = { ...kind.good };
    delete without[field];
    cases.push([`no "${field}"`, `${good}\n${JSON.stringify(without)}\n`, 2, undefined]);
    for (const [what, value] of [["null", null], ["an object", { a: 1 }]] as const) {
      cases.push([
        `"${field}" is ${what}`,
        `${JSON.stringify({ ...kind.good, [field]: value })}\n`,
        1,
        undefined,
      ]);
    }
  }
  for (const [label, record, field] of kind.extra) {
    cases.push([label, `${good}\n${JSON.stringify(record)}\n`, 2, field]);
  }
  return cases;
}

let fileCaseCount = 0;

Deno.test("malformed input files: a DataError naming file, line and field", async (t) => {
  const dir = await tempDir({ prefix: "llm-judge-malformed-" });
  for (const kind of KINDS) {
    await t.step(kind.name, async (t) => {
      for (const [label, text, line, field] of fileCases(kind)) {
        fileCaseCount++;
        await t.step(label, async () => {
          const path = join(dir, `case-${fileCaseCount}${kind.suffix}`);
          await Deno.writeTextFile(path, text);
          const error = await kind.read(path).then(() => undefined, (error) => error);
          assert.ok(error instanceof DataError, `${label}: ${error}`);
          assert.ok(error.message.includes(path), error.message);
          if (line !== undefined) assert.equal(error.line, line, error.message);
          if (field !== undefined) assert.equal(error.field, field, error.message);
        });
      }
    });
  }
  await t.step("human votes (JSON array)", async (t) => {
    const cases: [string, string][] = [
      ["an empty array", "[]"],
      ["not an array", '{"a": 1}'],
      ["a bad vote", JSON.stringify([vote, { ...vote, winner: "x" }])],
      ["a truncated array", JSON.stringify([vote]).slice(0, -3)],
      ["turn 3", JSON.stringify([{ ...vote, turn: 3 }])],
    ];
    for (const [label, text] of cases) {
      fileCaseCount++;
      await t.step(label, async () => {
        const path = join(dir, `votes-${fileCaseCount}.json`);
        await Deno.writeTextFile(path, text);
        const error = await readHumanVotes(path).then(() => undefined, (error) => error);
        assert.ok(error instanceof DataError, `${label}: ${error}`);
        assert.ok(error.message.includes(path), error.message);
      });
    }
  });
});

Deno.test("malformed model directories: a ModelLoadError naming the file", async (t) => {
  const tiny = await tinyModel();
  const configs: [string, string, string][] = [
    ["config.json", "not json", "config.json"],
    ["config.json", "[]", "config.json"],
    ["config.json", '{"num_hidden_layers": "x"}', "config.json"],
    ["config.json", "", "config.json"],
    ["genai_config.json", "{", "genai_config.json"],
    ["genai_config.json", '{"model": 3}', "genai_config.json"],
    ["tokenizer_config.json", "{", "tokenizer_config.json"],
  ];
  for (const [file, text, named] of configs) {
    fileCaseCount++;
    await t.step(`${file}: ${JSON.stringify(text)}`, async () => {
      const dir = await tempDir({ prefix: "llm-judge-model-" });
      for (const name of ["config.json", "tokenizer.json", "tokenizer_config.json"]) {
        await Deno.copyFile(join(tiny.dir, name), join(dir, name));
      }
      await Deno.mkdir(join(dir, "onnx"));
      await Deno.copyFile(join(tiny.dir, "onnx", "model.onnx"), join(dir, "onnx", "model.onnx"));
      await Deno.writeTextFile(join(dir, file), text);
      const error = await readModelDirectory(dir).then(() => undefined, (error) => error);
      assert.ok(
        error instanceof ModelLoadError || error instanceof DataError,
        `${file}: ${error}`,
      );
      assert.ok(
        (error as Error).message.includes(named) || (error as Error).message.includes(dir),
        (error as Error).message,
      );
    });
  }
});

/** Command lines that must exit 2 (bad usage), each with what the message names. */
const FLAG_CASES: [string[], RegExp][] = [];
const COMMAND_NAMES = [
  "fetch-data",
  "agree",
  "show",
  "gen",
  "gen-api",
  "serve",
  "judge",
  "demo",
  "plot",
  "browse",
];
for (const command of COMMAND_NAMES) {
  FLAG_CASES.push([[command, "--no-such-flag"], /no-such-flag/]);
  FLAG_CASES.push([[command, "--help=3"], /help/]);
}
FLAG_CASES.push(
  [["show", "--mode", "pairs"], /--mode/],
  [["show", "--format", "xml"], /--format/],
  [["show", "--bootstrap", "-1"], /--bootstrap/],
  [["show", "--seed", "1.5"], /--seed/],
  [["agree", "--judges", "human"], /--judges/],
  [["agree", "--judges", "a", "b", "c"], /--judges/],
  [["agree", "--format", "xml"], /format/],
  [["judge", "--mode", "pairs"], /--mode/],
  [["judge", "--parallel", "0"], /--parallel/],
  [["judge", "--parallel", "x"], /--parallel/],
  [["judge", "--max-attempts", "0"], /--max-attempts/],
  [["judge", "--timeout", "-1"], /--timeout/],
  [["judge", "--first-n", "-2"], /--first-n/],
  [["judge", "--max-tokens", "0"], /--max-tokens/],
  [["judge", "--price-input", "free"], /--price-input/],
  [["judge", "--rpm", "0"], /--rpm/],
  [["gen", "--model-id", "m"], /--model-path/],
  [["gen", "--model-path", "x", "--model-id", "m", "--question-begin", "-1"], /--question-begin/],
  [["gen-api", "--model", "m", "--question-begin", "10", "--question-end", "5"], /--question-end/],
  [["gen-api", "--model", "m", "--question-begin", "5000"], /--question-begin/],
  [["gen-api", "--model", "m", "--max-tokens", "0"], /--max-tokens/],
  [["gen-api", "--model", "m", "--parallel", "x"], /--parallel/],
  [["serve", "--model-path", "x", "--port", "abc"], /--port/],
  [["plot", "--kind", "pie", "--out", "x.svg"], /--kind/],
  [["plot", "--kind", "radar", "--out", "x.gif"], /--out/],
  [["plot", "--kind", "radar"], /--out/],
  [["demo", "--bootstrap", "x"], /--bootstrap/],
  [["browse", "--port", "x"], /--port/],
  [["fetch-data", "--only", "nothing-like-this"], /only/],
  [["nope"], /unknown command/],
);

Deno.test({
  name: "malformed command lines: exit 2 naming the flag",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    for (const [args, pattern] of FLAG_CASES) {
      await t.step(args.join(" "), async () => {
        const { code, stderr } = await runInProcess(args, {
          LLM_JUDGE_DATA: DATA,
          LLM_JUDGE_API_KEY: "k",
          OPENAI_API_KEY: "k",
        });
        assert.equal(code, 2, stderr);
        assert.match(stderr, pattern);
        assert.doesNotMatch(stderr, /Uncaught/);
      });
    }
    const total = fileCaseCount + FLAG_CASES.length;
    assert.ok(total >= 120, `only ${total} cases`);
  },
});
