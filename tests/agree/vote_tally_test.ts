import assert from "node:assert/strict";
import { computeAgreement, VoteTally } from "../../lib/agree/mod.ts";
import { DataError } from "../../lib/data/mod.ts";
import { flipped, humanVote } from "./_votes.ts";

/** The six counts of the only key. */
function counts(tally: VoteTally): number[] {
  const table = tally.table();
  assert.equal(table.size, 1);
  return [...table.counts];
}

Deno.test("VoteTally", async (t) => {
  await t.step("sorts the models of a key and flips the winner when model_a > model_b", () => {
    const tally = new VoteTally(["gpt4-pair", "human"]);
    tally.addHumanVote(humanVote("gpt4_pair", "model_a"));
    tally.addHumanVote(flipped(humanVote("expert_1", "model_a"))); // vicuna vs alpaca, vicuna loses
    tally.addHumanVote(flipped(humanVote("expert_2", "model_b")));
    const table = tally.table();
    assert.equal(table.models[table.lows[0]!], "alpaca");
    assert.equal(table.models[table.highs[0]!], "vicuna");
    assert.deepEqual(counts(tally), [1, 0, 0, 1, 1, 0]);
  });

  await t.step("keeps ties when flipping, tie (inconsistent) included", () => {
    const tally = new VoteTally(["gpt4-pair", "human"]);
    tally.addHumanVote(flipped(humanVote("gpt4_pair", "tie (inconsistent)")));
    tally.addHumanVote(flipped(humanVote("expert_1", "tie")));
    assert.deepEqual(counts(tally), [0, 0, 1, 0, 0, 1]);
  });

  await t.step("compares models with < on strings, as Python does for ASCII", () => {
    const tally = new VoteTally(["human", "human"]);
    tally.addHumanVote(humanVote("expert_1", "model_a", { model_a: "Zeta", model_b: "alpha" }));
    const table = tally.table();
    assert.equal(table.models[table.lows[0]!], "Zeta"); // "Z" (90) sorts before "a" (97)
    assert.deepEqual(counts(tally), [1, 0, 0, 0, 0, 0]);
  });

  await t.step("keys votes per turn and per question", () => {
    const tally = new VoteTally(["human", "human"]);
    tally.addHumanVote(humanVote("expert_1", "tie"));
    tally.addHumanVote(humanVote("expert_1", "tie", { turn: 2 }));
    tally.addHumanVote(humanVote("expert_1", "tie", { question_id: 82 }));
    tally.addHumanVote(flipped(humanVote("expert_2", "tie")));
    assert.equal(tally.table().size, 3);
    assert.deepEqual([...tally.keys("human")].map((key) => [key.turn, key.question_id]), [
      [1, 81],
      [2, 81],
      [1, 82],
    ]);
  });

  await t.step("counts author votes apart from human and ignores other judges", () => {
    const tally = new VoteTally(["gpt4-pair", "human"]);
    assert.equal(tally.addHumanVote(humanVote("author_0", "model_a")), false);
    assert.equal(tally.addHumanVote(humanVote(["gpt-4", "single-v1"], "model_a")), false);
    assert.equal(tally.addHumanVote(humanVote(["gpt-4", "pair-v2"], "model_a")), true);
    assert.equal(tally.ignored, 2);
    assert.deepEqual(tally.counted, [1, 0]);
    const authors = new VoteTally(["author", "human"]);
    authors.addHumanVote(humanVote("author_0", "model_a"));
    authors.addHumanVote(humanVote("expert_0", "model_a"));
    assert.deepEqual(counts(authors), [1, 0, 0, 1, 0, 0]);
  });

  await t.step("throws RangeError for a winner that is neither model nor a tie", () => {
    const tally = new VoteTally(["human", "human"]);
    assert.throws(
      () => tally.add("human", humanVote("expert_0", "error"), { file: "v.jsonl", line: 4 }),
      (error: Error) =>
        error instanceof RangeError && /line 4 of "v.jsonl".*"error"/.test(error.message),
    );
  });

  await t.step(
    "rejects a second vote of a machine first judge where the second judge voted",
    () => {
      const tally = new VoteTally(["gpt4-pair", "human"]);
      tally.addHumanVote(humanVote("gpt4_pair", "model_a"), { file: "g.jsonl", line: 1 });
      tally.addHumanVote(humanVote("gpt4_pair", "model_a", { question_id: 82 }), {
        file: "g.jsonl",
        line: 2,
      });
      tally.addHumanVote(flipped(humanVote("gpt4_pair", "tie", { question_id: 82 })), {
        file: "g.jsonl",
        line: 3,
      });
      // No human vote on question 82 yet: FastChat skips the key before its assert.
      assert.doesNotThrow(() => tally.checkOneVotePerKey());
      tally.addHumanVote(humanVote("expert_0", "tie", { question_id: 82 }));
      assert.throws(() => computeAgreement(tally, { rounds: 0 }), (error: unknown) => {
        assert.ok(error instanceof DataError);
        assert.equal(error.file, "g.jsonl");
        assert.equal(error.line, 3);
        assert.match(error.message, /"gpt4-pair" has 2 votes on question_id 82, turn 1/);
        return true;
      });
    },
  );

  await t.step("allows several votes of human as the first judge (pairs every vote)", () => {
    const tally = new VoteTally(["human", "gpt4-pair"]);
    tally.addHumanVote(humanVote("expert_0", "model_a"));
    tally.addHumanVote(humanVote("expert_1", "model_b"));
    tally.addHumanVote(humanVote("gpt4_pair", "model_a"));
    const [turn] = computeAgreement(tally, { rounds: 0 }).turns;
    assert.equal(turn!.withTie.agree, 1);
    assert.equal(turn!.withTie.total, 2);
  });

  await t.step("grows past its initial capacity", () => {
    const tally = new VoteTally(["human", "human"]);
    for (let question = 0; question < 5000; question++) {
      tally.addHumanVote(humanVote("expert_0", "model_a", { question_id: question }));
    }
    const table = tally.table();
    assert.equal(table.size, 5000);
    assert.equal(table.questionIds[table.questions[4999]!], 4999);
    assert.equal(table.counts[4999 * 6], 1);
  });
});
