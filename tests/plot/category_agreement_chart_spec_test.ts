import assert from "node:assert/strict";
import { agreementByCategory } from "../../lib/agree/agreement_by_category.ts";
import { VoteTally } from "../../lib/agree/vote_tally.ts";
import {
  type CategoryAgreementBar,
  type CategoryAgreementChartMeta,
  categoryAgreementChartSpec,
} from "../../lib/plot/mod.ts";
import { compileSpec } from "./_compile.ts";

/** Human votes on two questions (one per category), both turns. */
function tally(judges: [string, string]): VoteTally {
  const votes = new VoteTally(judges);
  const add = (question_id: number, turn: number, winner: string, judge: string) =>
    votes.addHumanVote({ question_id, model_a: "a", model_b: "b", winner, judge, turn });
  for (const turn of [1, 2]) {
    add(81, turn, "model_a", "gpt4_pair");
    add(81, turn, "model_a", "expert_1");
    add(81, turn, "tie", "expert_2");
    add(111, turn, "model_b", "gpt4_pair");
    add(111, turn, "model_a", "expert_1");
  }
  return votes;
}

const questions = [
  { question_id: 81, category: "writing" },
  { question_id: 111, category: "math" },
];

Deno.test("categoryAgreementChartSpec()", async (t) => {
  const series = [
    {
      categories: agreementByCategory(tally(["gpt4-pair", "human"]), questions, { rounds: 20 }),
    },
    {
      label: "experts",
      categories: agreementByCategory(tally(["human", "human"]), questions, { rounds: 20 }),
    },
  ];

  await t.step(
    "has one bar per judge pair, category and setup, with intervals for one turn",
    () => {
      const spec = categoryAgreementChartSpec(series, { turn: 1 });
      const meta = spec.usermeta!.llmJudge as CategoryAgreementChartMeta;
      assert.deepEqual(meta, {
        kind: "category-agreement",
        series: ["gpt4-pair vs human", "experts"],
        categories: ["Writing", "Math"],
        turn: 1,
      });
      const bars = (spec.datasets as Record<string, CategoryAgreementBar[]>).bars!;
      assert.equal(bars.length, 2 * 2 * 2);
      const writing = bars.find((bar) =>
        bar.series === "gpt4-pair vs human" && bar.category === "Writing" &&
        bar.setup.startsWith("S1")
      )!;
      assert.deepEqual([writing.agree, writing.total, writing.ratio], [1, 2, 0.5]);
      assert.notEqual(writing.lower, null);
      assert.deepEqual(compileSpec(spec).warnings, []);
    },
  );

  await t.step("pools the turns by default, without intervals or kappa", () => {
    const spec = categoryAgreementChartSpec(series);
    const bars = (spec.datasets as Record<string, CategoryAgreementBar[]>).bars!;
    const math = bars.find((bar) =>
      bar.series === "gpt4-pair vs human" && bar.category === "Math" && bar.setup.startsWith("S2")
    )!;
    assert.deepEqual([math.agree, math.total, math.ratio], [0, 2, 0]);
    assert.equal(math.lower, null);
    assert.equal(math.kappa, null);
    assert.equal((spec.usermeta!.llmJudge as CategoryAgreementChartMeta).turn, null);
  });
});
