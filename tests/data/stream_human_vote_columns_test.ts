import assert from "node:assert/strict";
import {
  DataError,
  HUMAN_VOTE_WINNERS,
  type HumanVoteColumns,
  streamHumanVoteColumns,
  type StreamHumanVoteColumnsOptions,
  streamHumanVoteRecords,
} from "../../lib/data/mod.ts";
import { readJsonArray } from "../../lib/data/_json_array.ts";
import { tempFile } from "../_helpers.ts";

const MODELS = ["alpaca-13b", "claude-v1", "gpt-4", "vicuna-13b-v1.2"];

function votes(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => ({
    judge: index % 3 === 0 ? ["gpt-4", "pair-v2"] : `expert_${index % 7}`,
    model_a: MODELS[index % 4],
    model_b: MODELS[(index + 1 + (index >> 2) % 3) % 4],
    question_id: 81 + (index >> 3),
    turn: 1 + (index & 1),
    winner: HUMAN_VOTE_WINNERS[index % 4],
    // Text that looks like an element boundary, inside strings.
    ...(index % 5 === 0 ? { conversation_a: [{ role: "user", content: "a},\n{b}, [x]," }] } : {}),
  }));
}

/** FastChat's form: one element per line. */
const compact = (records: unknown[]) => `[${records.map((r) => JSON.stringify(r)).join(",\n")}]\n`;

/** The sizes that send a small file through slices, and through workers. */
const LARGE: StreamHumanVoteColumnsOptions[] = [
  { wholeLimit: 0, sliceSize: 100, workers: 1 },
  { wholeLimit: 0, sliceSize: 100, rangeSize: 700, workers: 2 },
  { wholeLimit: 0, sliceSize: 1 << 20, rangeSize: 3000, workers: 3 },
];
/**
 * For the error cases: one thread, and workers on small ranges (each pool of
 * workers costs a few tenths of a second to start).
 */
const LARGE_FOR_ERRORS = LARGE.slice(0, 2);

/** Votes as plain rows, with their lines, from columns. */
async function rows(path: string | string[], options: StreamHumanVoteColumnsOptions = {}) {
  const read: { vote: Record<string, unknown>; line: number }[] = [];
  const all: HumanVoteColumns[] = [];
  for await (const columns of streamHumanVoteColumns(path, options)) all.push(columns);
  for (const columns of all) {
    for (let index = 0; index < columns.size; index++) {
      read.push({
        vote: {
          question_id: columns.questionIds[columns.question[index]!],
          model_a: columns.models[columns.modelA[index]!],
          model_b: columns.models[columns.modelB[index]!],
          winner: HUMAN_VOTE_WINNERS[columns.winner[index]!],
          judge: columns.judges[columns.judge[index]!],
          turn: columns.turn[index],
        },
        line: columns.source(index).line,
      });
    }
  }
  return read;
}

async function records(path: string) {
  const read: { vote: Record<string, unknown>; line: number }[] = [];
  for await (const batch of streamHumanVoteRecords(path, { conversations: false })) {
    for (const record of batch) read.push({ vote: { ...record.vote }, line: record.line });
  }
  return read;
}

async function failure(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(() => undefined, (error) => error);
  assert.ok(error instanceof DataError, String(error));
  return error;
}

Deno.test("streamHumanVoteColumns() reads what streamHumanVoteRecords() reads", async (t) => {
  const data = votes(120);
  for (
    const [form, text] of [
      ["one element per line", compact(data)],
      ["indented", JSON.stringify(data, null, 2)],
      ["one line", JSON.stringify(data)],
    ] as const
  ) {
    await t.step(form, async () => {
      const path = await tempFile(text, ".json");
      const expected = await records(path);
      assert.equal(expected.length, 120);
      assert.deepEqual(await rows(path), expected);
      for (const options of LARGE) {
        assert.deepEqual(await rows(path, options), expected, JSON.stringify(options));
      }
    });
  }
  await t.step("several files, large and small, in order", async () => {
    const large = await tempFile(compact(data), ".json");
    const small = await tempFile(compact(votes(7)), ".json");
    const expected = [...await records(large), ...await records(small), ...await records(large)];
    for (const options of LARGE) {
      const read = await rows([large, small, large], { ...options, wholeLimit: 2000 });
      assert.deepEqual(read, expected, JSON.stringify(options));
    }
  });
  await t.step("a JSON Lines file", async () => {
    const path = await tempFile(data.map((r) => JSON.stringify(r)).join("\n") + "\n");
    assert.deepEqual(await rows(path), await records(path));
  });
});

Deno.test("streamHumanVoteColumns() reports a bad large file as the records reader does", async (t) => {
  const good = compact(votes(60)).slice(0, -2); // without "]\n"
  const cases: [string, string][] = [
    ["a bad vote", `${good},\n${JSON.stringify({ ...votes(1)[0], turn: 0 })},\n${good.slice(1)}]`],
    ["invalid JSON", `${good},\n{"judge": x},\n${good.slice(1)}]`],
    ["a missing element", `${good},\n,${good.slice(1)}]`],
    ["a truncated array", good],
    ["text after the array", `${good}] x`],
    ["a byte-order mark", `\uFEFF${good}]`],
    ["not an array", `${JSON.stringify(votes(1)[0])}\n`],
    ["an empty array", `[${" ".repeat(300)}]`],
  ];
  for (const [label, text] of cases) {
    await t.step(label, async () => {
      const path = await tempFile(text, ".json");
      const expected = await failure(records(path));
      for (const options of [{}, ...LARGE_FOR_ERRORS]) {
        const error = await failure(rows(path, options));
        assert.equal(error.message, expected.message, JSON.stringify(options));
        assert.equal(error.line, expected.line);
        assert.equal(error.field, expected.field);
      }
    });
  }
  await t.step("invalid UTF-8", async () => {
    const bytes = new TextEncoder().encode(`${good}]`);
    bytes[bytes.length - 40] = 0xff;
    const path = await tempFile(bytes, ".json");
    for (const options of [{}, ...LARGE_FOR_ERRORS]) {
      assert.match((await failure(rows(path, options))).message, /not valid UTF-8/);
    }
  });
});

Deno.test("streamHumanVoteColumns() takes and refuses each field's values as parseHumanVote() does", async (t) => {
  // Each variant of one vote, between good ones: the columns' fast path must
  // take exactly what the records reader takes, and report the rest the same way.
  const base = { ...votes(1)[0], question_id: 81 } as Record<string, unknown>;
  delete base.conversation_a;
  const variants: Record<string, unknown>[] = [
    { question_id: 0 },
    { question_id: -3 },
    { question_id: 81.5 },
    { question_id: "81" },
    { question_id: null },
    { question_id: undefined },
    { model_a: "" },
    { model_a: 7 },
    { model_b: base.model_a },
    { model_b: undefined },
    { winner: "model_c" },
    { winner: "tie (inconsistent)" },
    { winner: 1 },
    { judge: "" },
    { judge: ["gpt-4", "pair-v2"] },
    { judge: ["gpt-4"] },
    { judge: ["gpt-4", 2] },
    { judge: { model: "gpt-4" } },
    { turn: 2 },
    { turn: 3 },
    { turn: "1" },
    { turn: 1.0 },
    { extra: "kept out", conversation_b: "not a list" },
  ];
  const good = votes(4).map((vote) => ({ ...vote, conversation_a: undefined }));
  for (const variant of variants) {
    const vote = { ...base, ...variant };
    for (
      const [suffix, text] of [
        [".json", compact([...good, vote, ...good])],
        [".jsonl", [...good, vote, ...good].map((record) => JSON.stringify(record)).join("\n")],
      ] as const
    ) {
      await t.step(`${JSON.stringify(variant)} in ${suffix}`, async () => {
        const path = await tempFile(text, suffix);
        const expected = await records(path).then((read) => read, (error: DataError) => error);
        for (const options of suffix === ".json" ? [{}, LARGE[0]!] : [{}]) {
          const got = await rows(path, options).then((read) => read, (error: DataError) => error);
          if (expected instanceof Error) {
            assert.ok(got instanceof DataError, `${JSON.stringify(options)}: read ${got}`);
            assert.equal(got.message, expected.message);
          } else {
            assert.deepEqual(got, expected, JSON.stringify(options));
          }
        }
      });
    }
  }
});

Deno.test("readJsonArray() gives large files' elements their lines", async () => {
  const text = JSON.stringify(votes(50), null, 2);
  const path = await tempFile(text, ".json");
  const read = async (sizes: Parameters<typeof readJsonArray>[2]) => {
    const lines: number[] = [];
    for await (const batch of readJsonArray(path, path, sizes)) {
      for (const entry of batch) lines.push(entry.line);
    }
    return lines;
  };
  const starts = text.split("\n").flatMap((line, index) => line === "  {" ? [index + 1] : []);
  assert.deepEqual(await read({}), starts);
  assert.deepEqual(await read({ wholeLimit: 0, sliceSize: 200 }), starts);
});
