import assert from "node:assert/strict";
import { join } from "node:path";
import {
  DataError,
  findHumanVoteFiles,
  joinConversations,
  readConversations,
  readHumanVotes,
  streamHumanVoteRecords,
  streamHumanVotes,
} from "../../lib/data/mod.ts";
import type { HumanVote } from "../../lib/data/types.ts";
import { onSharedData, tempFile } from "../_helpers.ts";
import {
  humanVoteParquet,
  SHARED_VOTES,
  sharedVotesWithConversations,
  voteColumns,
  writeJsonFixture,
  writeParquetFixture,
} from "../_human_vote_fixtures.ts";

const talk = (answer: string) => [
  { role: "user", content: "Q1" },
  { role: "assistant", content: answer },
  { role: "user", content: "Q2" },
  { role: "assistant", content: `${answer}, again` },
];

const vote = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  question_id: 81,
  model_a: "alpaca-13b",
  model_b: "gpt-4",
  winner: "model_b",
  judge: "expert_0",
  turn: 1,
  ...extra,
});

const jsonl = (...records: unknown[]) =>
  records.map((record) => JSON.stringify(record)).join("\n") + "\n";

/** Asserts that reading `path` fails with a DataError at `line` (or row) and `field`. */
async function rejectsAt(
  path: string,
  where: { line: number; field: string | undefined; unit?: "line" | "row" },
  pattern: RegExp,
) {
  await assert.rejects(readHumanVotes(path), (error: unknown) => {
    assert.ok(error instanceof DataError, `expected a DataError, got ${error}`);
    assert.equal(error.file, path);
    assert.equal(error.line, where.line);
    assert.equal(error.field, where.field);
    assert.match(error.message, new RegExp(`${where.unit ?? "line"} ${where.line} of "`));
    assert.ok(error.message.includes(path));
    if (where.field !== undefined) assert.ok(error.message.includes(`field "${where.field}"`));
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("readHumanVotes() reads every form of the human judgments", async (t) => {
  await t.step({
    name: "reads the shared label-only JSONL files",
    ...onSharedData,
    fn: async () => {
      const human = await readHumanVotes(SHARED_VOTES.human);
      const gpt4 = await readHumanVotes(SHARED_VOTES.gpt4Pair);
      assert.equal(human.length, 3355);
      assert.equal(gpt4.length, 2400);
      assert.equal(human.filter((vote) => vote.turn === 1).length, 1689);
      assert.equal(gpt4.filter((vote) => vote.winner === "tie (inconsistent)").length, 380);
      assert.ok(gpt4.every((vote) => vote.judge === "gpt4_pair"));
      assert.ok(human.every((vote) => vote.conversation_a === undefined));
    },
  });

  await t.step("reads JSONL with conversations and keeps them", async () => {
    const path = await tempFile(
      jsonl(vote({ conversation_a: talk("A"), conversation_b: talk("B") })),
    );
    const [read] = await readHumanVotes(path);
    assert.deepEqual(read!.conversation_b, talk("B"));
    const [labels] = await readHumanVotes(path, { conversations: false });
    assert.equal(labels!.conversation_a, undefined);
  });

  await t.step("reads a FastChat JSON array, judge as a list", async () => {
    const text = JSON.stringify(
      [
        vote({ judge: ["gpt-4", "pair-v2"], conversation_a: talk("A"), conversation_b: talk("B") }),
        vote({ turn: 2, winner: "tie (inconsistent)", judge: ["gpt-4", "pair-v2-multi-turn"] }),
      ],
      null,
      2,
    );
    const path = await tempFile(text, ".json");
    const votes = await readHumanVotes(path);
    assert.equal(votes.length, 2);
    assert.deepEqual(votes[0]!.judge, ["gpt-4", "pair-v2"]);
    assert.deepEqual(votes[0]!.conversation_a, talk("A"));
    assert.equal(votes[1]!.winner, "tie (inconsistent)");
    const lines: number[] = [];
    for await (const batch of streamHumanVoteRecords(path)) {
      for (const record of batch) lines.push(record.line);
    }
    const starts = text.split("\n").flatMap((line, index) => line === "  {" ? [index + 1] : []);
    assert.deepEqual(lines, starts);
    assert.equal(starts[0], 2);
  });

  await t.step("rejects an empty JSON array; reads strings holding brackets", async () => {
    const empty = await tempFile("[ ]\n", ".json");
    await assert.rejects(readHumanVotes(empty), /holds no vote/);
    const tricky = vote({ conversation_a: [{ role: "user", content: '],{"x": "\\"]' }] });
    const [read] = await readHumanVotes(await tempFile(JSON.stringify([tricky]), ".json"));
    assert.equal(read!.conversation_a![0]!.content, '],{"x": "\\"]');
  });

  await t.step({
    name: "reads Hugging Face parquet files in row groups, conversations included",
    ...onSharedData,
    fn: async () => {
      const root = await Deno.makeTempDir();
      const fixture = await writeParquetFixture(root);
      const { human } = await sharedVotesWithConversations();
      let batches = 0;
      const read: HumanVote[] = [];
      for await (const batch of streamHumanVotes(fixture.human)) {
        batches++;
        read.push(...batch);
      }
      assert.equal(batches, 4); // 3355 rows in groups of 1000
      assert.deepEqual(read, human);
      const labels = await readHumanVotes(fixture.gpt4Pair, { conversations: false });
      assert.equal(labels.length, 2400);
      assert.ok(labels.every((vote) => vote.conversation_a === undefined));
    },
  });

  await t.step({
    name: "reads FastChat JSON fixtures (12 MB: many read chunks) from the shared data",
    ...onSharedData,
    fn: async () => {
      const fixture = await writeJsonFixture(await Deno.makeTempDir());
      const { human, gpt4Pair } = await sharedVotesWithConversations();
      const read = await readHumanVotes(fixture.gpt4Pair);
      assert.deepEqual(read, gpt4Pair.map((vote) => ({ ...vote, judge: ["gpt-4", "pair-v2"] })));
      assert.deepEqual(await readHumanVotes(fixture.human), human);
    },
  });
});

Deno.test("readHumanVotes() rejects bad input naming file, line and field", async (t) => {
  const good = JSON.stringify(vote());
  await t.step("invalid JSON", async () => {
    await rejectsAt(await tempFile(`${good}\n{"question_id": 81,,}\n`), {
      line: 2,
      field: undefined,
    }, /invalid JSON/);
  });
  await t.step("missing field", async () => {
    const { winner: _, ...noWinner } = vote();
    await rejectsAt(
      await tempFile(jsonl(vote(), noWinner)),
      { line: 2, field: "winner" },
      /missing required field "winner"/,
    );
  });
  await t.step("wrong type", async () => {
    await rejectsAt(await tempFile(jsonl(vote({ question_id: "81" }))), {
      line: 1,
      field: "question_id",
    }, /expected "question_id" to be a number, got string "81"/);
    await rejectsAt(
      await tempFile(jsonl(vote({ judge: 7 }))),
      { line: 1, field: "judge" },
      /got number 7/,
    );
    await rejectsAt(
      await tempFile(jsonl(vote({ conversation_a: [{ role: "user", content: 5 }] }))),
      { line: 1, field: "conversation_a[0].content" },
      /to be a string, got number 5/,
    );
  });
  await t.step("bad winner", async () => {
    await rejectsAt(await tempFile(jsonl(vote(), vote(), vote({ winner: "model_c" }))), {
      line: 3,
      field: "winner",
    }, /got string "model_c"/);
  });
  await t.step("bad turn", async () => {
    await rejectsAt(
      await tempFile(jsonl(vote({ turn: 3 }))),
      { line: 1, field: "turn" },
      /1 or 2, got 3/,
    );
  });
  await t.step("same model on both sides", async () => {
    await rejectsAt(await tempFile(jsonl(vote({ model_b: "alpaca-13b" }))), {
      line: 1,
      field: "model_b",
    }, /same model "alpaca-13b"/);
  });
  await t.step("truncated last line", async () => {
    await rejectsAt(
      await tempFile(`${good}\n${good.slice(0, 30)}`),
      { line: 2, field: undefined },
      /truncated/,
    );
  });
  await t.step("byte-order mark", async () => {
    await rejectsAt(
      await tempFile(`\uFEFF${good}\n`),
      { line: 1, field: undefined },
      /byte-order mark/,
    );
    await rejectsAt(
      await tempFile(`\uFEFF[${good}]`, ".json"),
      { line: 1, field: undefined },
      /byte-order mark/,
    );
  });
  await t.step("JSON arrays: bad element, truncated array, not an array", async () => {
    await rejectsAt(
      await tempFile(`[\n${good},\n${JSON.stringify(vote({ turn: 0 }))}\n]`, ".json"),
      { line: 3, field: "turn" },
      /1 or 2, got 0/,
    );
    await rejectsAt(await tempFile(`[\n${good},\n{"question_id": 8`, ".json"), {
      line: 3,
      field: undefined,
    }, /truncated/);
    await rejectsAt(
      await tempFile(`[\n${good},\n]`, ".json"),
      { line: 3, field: undefined },
      /expected an array element/,
    );
    await rejectsAt(
      await tempFile(`${good}\n`, ".json"),
      { line: 1, field: undefined },
      /\.jsonl extension/,
    );
    await rejectsAt(
      await tempFile(`[${good}] x`, ".json"),
      { line: 1, field: undefined },
      /after the closing/,
    );
  });
  await t.step("parquet: errors name the row", async () => {
    const votes = [vote(), vote(), vote({ winner: "none" })] as unknown as HumanVote[];
    const badWinner = await tempFile(humanVoteParquet(voteColumns(votes), 2), ".parquet");
    await rejectsAt(badWinner, { line: 3, field: "winner", unit: "row" }, /got string "none"/);
    const columns = voteColumns([vote(), vote()] as unknown as HumanVote[]);
    const nullModel = await tempFile(
      humanVoteParquet({ ...columns, model_a: ["a", null] }),
      ".parquet",
    );
    await rejectsAt(nullModel, { line: 2, field: "model_a", unit: "row" }, /got null/);
    const badTurn = await tempFile(humanVoteParquet({ ...columns, turn: [1n, 5n] }), ".parquet");
    await rejectsAt(badTurn, { line: 2, field: "turn", unit: "row" }, /1 or 2, got 5/);
  });
  await t.step("parquet: a missing column, a file that is not parquet", async () => {
    const { judge: _, ...columns } = voteColumns([vote()] as unknown as HumanVote[]);
    const path = await tempFile(humanVoteParquet(columns), ".parquet");
    await assert.rejects(readHumanVotes(path), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.equal(error.field, "judge");
      assert.match(error.message, /missing required column "judge"/);
      assert.ok(error.message.includes(path));
      return true;
    });
    const notParquet = await tempFile("question_id,winner\n", ".parquet");
    await assert.rejects(readHumanVotes(notParquet), /not a readable parquet file/);
  });
  await t.step("an unknown extension", async () => {
    await assert.rejects(
      readHumanVotes(await tempFile("", ".csv")),
      /unknown vote file format ".csv"/,
    );
  });
});

Deno.test("readConversations() and joinConversations() rebuild conversation_a/b", async (t) => {
  await t.step({
    name: "reads the shared reconstruction",
    ...onSharedData,
    fn: async () => {
      const records = await readConversations(SHARED_VOTES.conversations);
      assert.equal(records.length, 479);
      assert.ok(records.every((record) => record.conversation.length === 4));
      assert.equal(records.filter((record) => record.source === "model_answer_earlier").length, 5);
    },
  });
  await t.step({
    name: "joins on (question_id, model) and lists the missing keys",
    ...onSharedData,
    fn: async () => {
      const votes = await readHumanVotes(SHARED_VOTES.human);
      const { votes: joined, missing } = joinConversations(
        votes,
        await readConversations(SHARED_VOTES.conversations),
      );
      assert.deepEqual(missing, ["144/vicuna-13b-v1.2"]);
      assert.equal(joined.length, votes.length);
      assert.equal(votes[0]!.conversation_a, undefined); // input left alone
      const first = joined[0]!;
      assert.equal(first.conversation_a![0]!.role, "user");
      assert.equal(first.conversation_a![0]!.content, first.conversation_b![0]!.content);
    },
  });
  await t.step("rejects a repeated key naming both lines", async () => {
    const record = JSON.stringify({ question_id: 81, model: "m", conversation: talk("A") });
    const path = await tempFile(`${record}\n${record}\n`);
    await assert.rejects(
      readConversations(path),
      /line 2 of .*duplicate conversation .*first on line 1/,
    );
  });
});

Deno.test("findHumanVoteFiles() prefers parquet, then JSON, then JSONL", async (t) => {
  const root = await Deno.makeTempDir();
  const directory = join(root, "mt_bench_human_judgments");
  await t.step("finds nothing in an empty root", async () => {
    const found = await findHumanVoteFiles(root);
    assert.equal(found.human, undefined);
    assert.equal(found.gpt4Pair, undefined);
    assert.equal(found.conversations, undefined);
  });
  await Deno.mkdir(directory);
  for (const name of ["human_labels.jsonl", "gpt4_pair_labels.jsonl", "gpt4_pair_judgments.json"]) {
    await Deno.writeTextFile(join(directory, name), "");
  }
  await t.step("takes the JSON over the JSONL", async () => {
    const found = await findHumanVoteFiles(root);
    assert.deepEqual(found.human, { path: join(directory, "human_labels.jsonl"), format: "jsonl" });
    assert.deepEqual(found.gpt4Pair, {
      path: join(directory, "gpt4_pair_judgments.json"),
      format: "json",
    });
  });
  await t.step("takes parquet over everything", async () => {
    await Deno.writeTextFile(join(directory, "human.parquet"), "");
    const found = await findHumanVoteFiles(root);
    assert.deepEqual(found.human, { path: join(directory, "human.parquet"), format: "parquet" });
  });
});
