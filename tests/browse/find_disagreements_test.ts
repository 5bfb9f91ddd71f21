import assert from "node:assert/strict";
import { VoteTally } from "../../lib/agree/vote_tally.ts";
import { findDisagreements } from "../../lib/browse/mod.ts";

const vote = (
  judge: string,
  modelA: string,
  modelB: string,
  winner: string,
  questionId = 81,
  turn = 1,
) => ({ question_id: questionId, model_a: modelA, model_b: modelB, winner, judge, turn });

function tally(judges: [string, string], votes: ReturnType<typeof vote>[]): VoteTally {
  const out = new VoteTally(judges);
  for (const item of votes) out.addHumanVote(item);
  return out;
}

Deno.test("findDisagreements()", async (t) => {
  const votes = [
    vote("gpt4_pair", "a", "b", "model_a"),
    vote("expert_1", "b", "a", "model_b"), // agrees (order flipped)
    vote("expert_2", "a", "b", "tie"),
    vote("gpt4_pair", "a", "c", "tie (inconsistent)", 82),
    vote("expert_1", "a", "c", "tie", 82), // agrees
    vote("gpt4_pair", "a", "b", "model_b", 83, 2),
    vote("expert_3", "a", "b", "model_a", 83, 2),
    vote("expert_4", "a", "b", "model_a", 83, 2),
    vote("gpt4_pair", "b", "c", "model_a", 84), // no human vote: not compared
  ];

  await t.step("pairs every vote of one judge with every vote of the other", () => {
    const found = findDisagreements(tally(["gpt4-pair", "human"], votes), {
      categoryOf: (id) => (id === 83 ? "math" : "writing"),
    });
    assert.deepEqual([found.keys, found.agree, found.total], [3, 2, 5]);
    assert.deepEqual(
      found.rows.map((row) => [row.question_id, row.turn, row.category, row.agree, row.total]),
      [[83, 2, "math", 0, 2], [81, 1, "writing", 1, 2]],
    );
    assert.deepEqual(found.rows[0]!.votes, [
      { model_a: 0, model_b: 1, tie: 0 },
      { model_a: 2, model_b: 0, tie: 0 },
    ]);
  });

  await t.step("leaves ties out when asked", () => {
    const found = findDisagreements(tally(["gpt4-pair", "human"], votes), { noTies: true });
    assert.deepEqual([found.keys, found.agree, found.total], [2, 1, 3]);
    assert.deepEqual(found.rows.map((row) => row.question_id), [83]);
  });

  await t.step("filters by turn and question", () => {
    const turn1 = findDisagreements(tally(["gpt4-pair", "human"], votes), { turn: 1 });
    assert.deepEqual(turn1.rows.map((row) => row.question_id), [81]);
    const only82 = findDisagreements(tally(["gpt4-pair", "human"], votes), {
      keepQuestion: (id) => id === 82,
    });
    assert.deepEqual([only82.keys, only82.rows.length], [1, 0]);
  });

  await t.step("pairs distinct votes within one judge", () => {
    const found = findDisagreements(tally(["human", "human"], votes));
    // q81: expert_1 says a, expert_2 tie (0/1); q83: both say a (1/1).
    assert.deepEqual([found.keys, found.agree, found.total], [2, 1, 2]);
    assert.deepEqual(found.rows.map((row) => row.question_id), [81]);
  });

  await t.step("sorts by agreement, then by the number of vote pairs", () => {
    const found = findDisagreements(tally(["gpt4-pair", "human"], [
      vote("gpt4_pair", "a", "b", "model_a", 90),
      vote("expert_1", "a", "b", "model_b", 90),
      vote("gpt4_pair", "a", "b", "model_a", 91),
      vote("expert_1", "a", "b", "model_b", 91),
      vote("expert_2", "a", "b", "model_b", 91),
    ]));
    assert.deepEqual(found.rows.map((row) => [row.question_id, row.total]), [[91, 2], [90, 1]]);
  });
});
