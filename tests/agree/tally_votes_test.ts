import assert from "node:assert/strict";
import { tallyVotes } from "../../lib/agree/mod.ts";
import type { PairJudgment, PairWinner, SingleJudgment } from "../../lib/data/types.ts";

const pairJudge: [string, string] = ["gpt-4", "pair-v2"];
const singleJudge: [string, string] = ["gpt-4", "single-v1"];

function single(question_id: number, model: string, score: number): SingleJudgment {
  return { question_id, model, judge: singleJudge, score, turn: 1 };
}

Deno.test("tallyVotes()", async (t) => {
  await t.step("counts human votes under their judge group and ignores others", async () => {
    const vote = (judge: string, winner: string) => ({
      vote: { question_id: 81, model_a: "b", model_b: "a", winner, judge, turn: 1 },
    });
    const { tally } = await tallyVotes(["gpt4-pair", "human"], {
      humanVotes: [[vote("gpt4_pair", "model_a"), vote("expert_1", "tie")], [
        vote("author_0", "model_b"),
      ]],
    });
    // Models sorted: "a" first; gpt4 said "b" (model_a of the vote) won.
    assert.equal(tally.table().counts.join(), "0,1,0,0,0,1");
    assert.equal(tally.ignored, 1);
  });

  await t.step("drops failed pairwise games and failed grades, and counts them", async () => {
    const game = (g1: PairWinner): { record: PairJudgment } => ({
      record: {
        question_id: 81,
        model_1: "a",
        model_2: "b",
        g1_winner: g1,
        g2_winner: "model_1",
        judge: pairJudge,
        turn: 1,
      },
    });
    const result = await tallyVotes(["p.jsonl", "s.jsonl"], {
      judgments: new Map<string, { record: PairJudgment | SingleJudgment }[][]>([
        ["p.jsonl", [[game("model_1"), game("error")]]],
        ["s.jsonl", [[
          { record: single(81, "a", 9) },
          { record: single(81, "b", 3) },
          { record: single(81, "c", -1) },
        ]]],
      ]),
    });
    assert.equal(result.errorGames, 1);
    assert.equal(result.failedScores, 1);
    assert.equal(result.singleGradeVotes, 1);
    assert.equal(result.tally.table().counts.join(), "1,0,0,1,0,0");
  });

  await t.step("reads streamed batches", async () => {
    async function* batches() {
      yield [{ record: single(81, "a", 5) }];
      yield [{ record: single(81, "b", 5) }];
    }
    const result = await tallyVotes(["s.jsonl", "human"], {
      humanVotes: [[{
        vote: {
          question_id: 81,
          model_a: "a",
          model_b: "b",
          winner: "tie",
          judge: "expert_0",
          turn: 1,
        },
      }]],
      judgments: new Map([["s.jsonl", batches()]]),
    });
    assert.equal(result.singleGradeVotes, 1);
    assert.equal(result.tally.table().counts.join(), "0,0,1,0,0,1");
  });

  await t.step("names the file and line of a bad vote", async () => {
    await assert.rejects(
      () =>
        tallyVotes(["gpt4-pair", "human"], {
          humanVotes: [[{
            vote: {
              question_id: 81,
              model_a: "a",
              model_b: "b",
              winner: "x",
              judge: "expert_0",
              turn: 1,
            },
            source: { file: "votes.jsonl", line: 7 },
          }]],
        }),
      /line 7 of "votes.jsonl"/,
    );
  });
});
