import assert from "node:assert/strict";
import { type AgreementResult, computeAgreement, VoteTally } from "../../lib/agree/mod.ts";
import { streamHumanVotes } from "../../lib/data/mod.ts";
import {
  EXPECTED,
  SHARED_VOTES,
  writeJsonFixture,
  writeParquetFixture,
} from "../_human_vote_fixtures.ts";
import { flipped, humanVote } from "./_votes.ts";
import { onSharedData } from "../_helpers.ts";
import { tempDir } from "../_temp.ts";

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `expected ${expected}, got ${actual}`);

/** The figures of a result as [[S1 agree, S1 total, S2 agree, S2 total] per turn]. */
function figures(result: AgreementResult): number[][] {
  return result.turns.map((turn) => [
    turn.withTie.agree,
    turn.withTie.total,
    turn.withoutTie.agree,
    turn.withoutTie.total,
  ]);
}

async function agreementOfFiles(judges: [string, string], files: string[]) {
  const tally = new VoteTally(judges);
  for (const file of files) {
    for await (const batch of streamHumanVotes(file, { conversations: false })) {
      for (const vote of batch) tally.addHumanVote(vote);
    }
  }
  return computeAgreement(tally, { rounds: 0 });
}

Deno.test("computeAgreement() on hand-written votes", async (t) => {
  // Five keys, one GPT-4 and one human vote each (rows GPT-4, columns human):
  //   q81 A/A, q82 B/B, q83 tie/A, q84 A/B, q85 tie (inconsistent)/tie.
  const gpt4VsHuman = () => {
    const tally = new VoteTally(["gpt4-pair", "human"]);
    const pairs = [
      [81, "model_a", "model_a"],
      [82, "model_b", "model_b"],
      [83, "tie", "model_a"],
      [84, "model_a", "model_b"],
      [85, "tie (inconsistent)", "tie"],
    ] as const;
    for (const [question_id, gpt4, human] of pairs) {
      tally.addHumanVote(humanVote("gpt4_pair", gpt4, { question_id }));
      // Humans saw the models the other way round on even questions.
      const vote = humanVote(`expert_${question_id}`, human, { question_id });
      tally.addHumanVote(question_id % 2 === 0 ? flipped(vote) : vote);
    }
    return tally;
  };

  await t.step("counts S1 with ties and S2 without, ties of any kind equal", () => {
    const result = computeAgreement(gpt4VsHuman(), { rounds: 0 });
    assert.deepEqual(figures(result), [[3, 5, 2, 3]]);
    close(result.turns[0]!.withTie.ratio, 0.6);
    assert.equal(result.turns[0]!.keys, 5);
    assert.equal(result.turns[0]!.questions, 5);
    assert.equal(result.bootstrap, null);
    assert.equal(result.turns[0]!.withTie.interval, null);
  });

  await t.step("computes kappa on the same pairs: 7/17 with ties, 0.4 without", () => {
    // S1: p_o = 3/5; GPT-4 marginals A 2, B 1, T 2 and human A 2, B 2, T 1 of 5
    // give p_e = 0.32, kappa = 0.28/0.68 = 7/17. S2 keeps q81, q82, q84:
    // p_o = 2/3, p_e = 2/3*1/3 + 1/3*2/3 = 4/9, kappa = (2/9)/(5/9) = 0.4.
    const [turn] = computeAgreement(gpt4VsHuman(), { rounds: 0 }).turns;
    close(turn!.withTie.kappa, 7 / 17);
    close(turn!.withoutTie.kappa, 0.4);
  });

  await t.step("pairs every vote of the first judge with every vote of the second", () => {
    const tally = new VoteTally(["gpt4-pair", "human"]);
    tally.addHumanVote(humanVote("gpt4_pair", "model_a"));
    for (const winner of ["model_a", "model_a", "model_b", "tie"]) {
      tally.addHumanVote(humanVote("expert_1", winner));
    }
    assert.deepEqual(figures(computeAgreement(tally, { rounds: 0 })), [[2, 4, 2, 3]]);
  });

  await t.step("skips keys where only one judge voted", () => {
    const tally = new VoteTally(["gpt4-pair", "human"]);
    tally.addHumanVote(humanVote("gpt4_pair", "model_a"));
    tally.addHumanVote(humanVote("expert_1", "model_a", { question_id: 90 }));
    const [turn] = computeAgreement(tally, { rounds: 1000 }).turns;
    assert.equal(turn!.withTie.total, 0);
    assert.ok(Number.isNaN(turn!.withTie.ratio));
    assert.ok(Number.isNaN(turn!.withTie.kappa));
    assert.equal(turn!.withTie.interval, null);
  });

  await t.step("pairs i < j within a key for a judge with itself", () => {
    const tally = new VoteTally(["human", "human"]);
    // q81: A, A, tie -> (A,A) agree, (A,T) x2 -> S1 1/3, S2 1/1.
    for (const winner of ["model_a", "model_a", "tie"]) {
      tally.addHumanVote(humanVote("expert_1", winner));
    }
    // q82: A, B (given flipped), tie (inconsistent), tie -> S1 1/6 (the two ties), S2 0/1.
    tally.addHumanVote(humanVote("expert_1", "model_a", { question_id: 82 }));
    tally.addHumanVote(flipped(humanVote("expert_2", "model_b", { question_id: 82 })));
    tally.addHumanVote(humanVote("expert_3", "tie (inconsistent)", { question_id: 82 }));
    tally.addHumanVote(humanVote("expert_4", "tie", { question_id: 82 }));
    // Authors and single votes make no pair.
    tally.addHumanVote(humanVote("author_1", "model_a", { question_id: 82 }));
    tally.addHumanVote(humanVote("expert_1", "model_a", { question_id: 83 }));
    const result = computeAgreement(tally, { rounds: 0 });
    assert.deepEqual(figures(result), [[2, 9, 1, 2]]);
    assert.equal(result.turns[0]!.keys, 2);
    assert.equal(result.ignored, 1);
  });

  await t.step("gives Scott's pi as the kappa of a judge with itself", () => {
    const tally = new VoteTally(["human", "human"]);
    for (const winner of ["model_a", "model_a", "tie"]) {
      tally.addHumanVote(humanVote("expert_1", winner));
    }
    // Pairs (A,A), (A,T), (A,T): p_o = 1/3, pooled marginals A 2/3, T 1/3, p_e = 5/9.
    close(computeAgreement(tally, { rounds: 0 }).turns[0]!.withTie.kappa, -0.5);
  });

  await t.step("reports each turn on its own, in order", () => {
    const tally = new VoteTally(["human", "human"]);
    for (const turn of [2, 1]) {
      tally.addHumanVote(humanVote("expert_1", "model_a", { turn }));
      tally.addHumanVote(humanVote("expert_2", turn === 1 ? "model_a" : "model_b", { turn }));
    }
    const result = computeAgreement(tally, { rounds: 0 });
    assert.deepEqual(result.turns.map((turn) => turn.turn), [1, 2]);
    assert.deepEqual(figures(result), [[1, 1, 1, 1], [0, 1, 0, 1]]);
  });

  await t.step("restricts to the given questions", () => {
    const result = computeAgreement(gpt4VsHuman(), {
      rounds: 0,
      questionIds: new Set([81, 83]),
    });
    assert.deepEqual(figures(result), [[1, 2, 1, 1]]);
  });
});

Deno.test("computeAgreement() bootstrap intervals", async (t) => {
  const tally = new VoteTally(["gpt4-pair", "human"]);
  for (let question = 81; question <= 120; question++) {
    for (const pair of [["a", "b"], ["a", "c"], ["b", "c"]]) {
      const extra = { question_id: question, model_a: pair[0]!, model_b: pair[1]! };
      tally.addHumanVote(humanVote("gpt4_pair", "model_a", extra));
      tally.addHumanVote(humanVote("expert_1", question % 3 === 0 ? "model_b" : "model_a", extra));
      tally.addHumanVote(humanVote("expert_2", question % 4 === 0 ? "tie" : "model_a", extra));
    }
  }

  await t.step("are reproducible for a seed and contain the ratio", () => {
    const first = computeAgreement(tally, { rounds: 300, seed: 7 });
    const second = computeAgreement(tally, { rounds: 300, seed: 7 });
    assert.deepEqual(first, second);
    assert.deepEqual(first.bootstrap, { rounds: 300, seed: 7, confidence: 0.95, unit: "question" });
    for (const stat of [first.turns[0]!.withTie, first.turns[0]!.withoutTie]) {
      assert.ok(stat.interval!.lower <= stat.ratio && stat.ratio <= stat.interval!.upper);
      assert.ok(stat.interval!.lower < stat.interval!.upper);
    }
    const other = computeAgreement(tally, { rounds: 300, seed: 8 });
    assert.notDeepEqual(other.turns[0]!.withTie.interval, first.turns[0]!.withTie.interval);
  });

  await t.step("narrow with a lower confidence", () => {
    const wide = computeAgreement(tally, { rounds: 300, confidence: 0.99 }).turns[0]!.withTie;
    const narrow = computeAgreement(tally, { rounds: 300, confidence: 0.5 }).turns[0]!.withTie;
    assert.ok(
      narrow.interval!.upper - narrow.interval!.lower < wide.interval!.upper - wide.interval!.lower,
    );
  });

  await t.step("resample questions, not votes: one question gives a point interval", () => {
    const one = new VoteTally(["human", "human"]);
    for (const pair of [["a", "b"], ["a", "c"], ["b", "c"], ["a", "d"]]) {
      const extra = { model_a: pair[0]!, model_b: pair[1]! };
      one.addHumanVote(humanVote("expert_1", "model_a", extra));
      one.addHumanVote(humanVote("expert_2", pair[1] === "c" ? "model_b" : "model_a", extra));
    }
    const stat = computeAgreement(one, { rounds: 200 }).turns[0]!.withTie;
    assert.equal(stat.ratio, 0.5);
    assert.deepEqual(stat.interval, { lower: 0.5, upper: 0.5 });
  });

  await t.step("throws RangeError for a negative or fractional round count", () => {
    assert.throws(() => computeAgreement(tally, { rounds: -1 }), RangeError);
    assert.throws(() => computeAgreement(tally, { rounds: 1.5 }), RangeError);
  });
});

Deno.test(
  "computeAgreement() reproduces FastChat on the shared human judgments",
  onSharedData,
  async (t) => {
    const check = async (files: { human: string; gpt4Pair: string }) => {
      assert.deepEqual(
        figures(await agreementOfFiles(["gpt4-pair", "human"], [files.human, files.gpt4Pair])),
        EXPECTED["gpt4-pair human"],
      );
      assert.deepEqual(
        figures(await agreementOfFiles(["human", "human"], [files.human, files.gpt4Pair])),
        EXPECTED["human human"],
      );
    };
    await t.step("from the label-only JSONL files", async () => {
      await check(SHARED_VOTES);
    });
    await t.step("from Hugging Face parquet files with conversations", async () => {
      await check(await writeParquetFixture(await tempDir()));
    });
    await t.step("from FastChat's JSON arrays with conversations", async () => {
      await check(await writeJsonFixture(await tempDir()));
    });
  },
);
