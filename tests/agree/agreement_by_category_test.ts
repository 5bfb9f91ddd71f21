import assert from "node:assert/strict";
import { join } from "node:path";
import { agreementByCategory, computeAgreement, VoteTally } from "../../lib/agree/mod.ts";
import { readQuestions, streamHumanVotes } from "../../lib/data/mod.ts";
import { onSharedData, SHARED_DATA } from "../_helpers.ts";
import { SHARED_VOTES } from "../_human_vote_fixtures.ts";
import { humanVote } from "./_votes.ts";

Deno.test("agreementByCategory()", async (t) => {
  await t.step("splits agreement by the questions' categories, in file order", () => {
    const tally = new VoteTally(["gpt4-pair", "human"]);
    for (
      const [question_id, gpt4, human] of [[81, "model_a", "model_a"], [82, "model_a", "model_b"], [
        101,
        "tie",
        "tie",
      ]] as const
    ) {
      tally.addHumanVote(humanVote("gpt4_pair", gpt4, { question_id }));
      tally.addHumanVote(humanVote("expert_1", human, { question_id }));
    }
    const rows = agreementByCategory(tally, [
      { question_id: 101, category: "reasoning" },
      { question_id: 81, category: "writing" },
      { question_id: 82, category: "writing" },
      { question_id: 200, category: "math" },
    ], { rounds: 0 });
    assert.deepEqual(rows.map((row) => row.category), ["reasoning", "writing", "math"]);
    assert.deepEqual(rows[1]!.questionIds, [81, 82]);
    assert.deepEqual(
      rows.map((row) => [row.result.turns[0]!.withTie.agree, row.result.turns[0]!.withTie.total]),
      [[1, 1], [1, 2], [0, 0]],
    );
  });

  await t.step({
    name: "adds up to the overall agreement on the shared data",
    ...onSharedData,
    fn: async () => {
      const tally = new VoteTally(["gpt4-pair", "human"]);
      for (const file of [SHARED_VOTES.human, SHARED_VOTES.gpt4Pair]) {
        for await (const batch of streamHumanVotes(file, { conversations: false })) {
          for (const vote of batch) tally.addHumanVote(vote);
        }
      }
      const questions = await readQuestions(join(SHARED_DATA, "mt_bench", "question.jsonl"));
      const rows = agreementByCategory(tally, questions, { rounds: 0 });
      assert.equal(rows.length, 8);
      const overall = computeAgreement(tally, { rounds: 0 });
      for (const [index, turn] of overall.turns.entries()) {
        const sum = (pick: (row: (typeof rows)[number]) => number) =>
          rows.reduce((total, row) => total + pick(row), 0);
        assert.equal(sum((row) => row.result.turns[index]!.withTie.agree), turn.withTie.agree);
        assert.equal(sum((row) => row.result.turns[index]!.withTie.total), turn.withTie.total);
        assert.equal(
          sum((row) => row.result.turns[index]!.withoutTie.total),
          turn.withoutTie.total,
        );
      }
    },
  });
});
