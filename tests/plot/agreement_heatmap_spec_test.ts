import assert from "node:assert/strict";
import type { AgreementResult } from "../../lib/agree/compute_agreement.ts";
import {
  type AgreementCell,
  type AgreementHeatmapMeta,
  agreementHeatmapSpec,
} from "../../lib/plot/mod.ts";
import { compileSpec } from "./_compile.ts";

function stat(agree: number, total: number, kappa = 0.5) {
  return { agree, total, ratio: total === 0 ? NaN : agree / total, kappa, interval: null };
}

function result(judges: [string, string], turns: [number, number, number, number][]) {
  return {
    judges,
    turns: turns.map(([a1, t1, a2, t2], index) => ({
      turn: index + 1,
      withTie: stat(a1, t1),
      withoutTie: stat(a2, t2),
      keys: t1,
      questions: 80,
    })),
    bootstrap: null,
    votes: [0, 0],
    ignored: 0,
  } satisfies AgreementResult;
}

const gpt4Human = result(["gpt4-pair", "human"], [[886, 1343, 727, 859], [871, 1325, 731, 864]]);
const humanHuman = result(["human", "human"], [[454, 721, 388, 479], [471, 707, 388, 474]]);

Deno.test("agreementHeatmapSpec()", async (t) => {
  const spec = agreementHeatmapSpec([gpt4Human, humanHuman]);
  const cells = (spec.datasets as Record<string, AgreementCell[]>).cells!;

  await t.step("has a judge x judge panel per turn and setup", () => {
    const meta = spec.usermeta!.llmJudge as AgreementHeatmapMeta;
    assert.deepEqual(meta, {
      kind: "agreement",
      judges: ["gpt4-pair", "human"],
      turns: [1, 2],
      setups: ["S1 (with ties)", "S2 (without ties)"],
    });
    const facet = (spec as { facet: { row: { field: string }; column: { field: string } } }).facet;
    assert.equal(facet.row.field, "turn");
    assert.equal(facet.column.field, "setup");
  });

  await t.step("mirrors two judges and puts a judge with itself on the diagonal", () => {
    // 2 turns x 2 setups x (2 mirrored cells + 1 diagonal cell)
    assert.equal(cells.length, 12);
    const find = (row: string, column: string, turn: string, setup: string) =>
      cells.find((cell) =>
        cell.rowJudge === row && cell.columnJudge === column && cell.turn === turn &&
        cell.setup.startsWith(setup)
      );
    assert.deepEqual(
      [
        find("gpt4-pair", "human", "turn 1", "S1")!.agree,
        find("human", "gpt4-pair", "turn 1", "S1")!.total,
      ],
      [886, 1343],
    );
    assert.equal(find("human", "gpt4-pair", "turn 2", "S2")!.agree, 731);
    assert.equal(find("human", "human", "turn 1", "S2")!.total, 479);
    assert.equal(find("gpt4-pair", "gpt4-pair", "turn 1", "S1"), undefined);
  });

  await t.step("compiles with vega-lite without warnings", () => {
    assert.deepEqual(compileSpec(spec).warnings, []);
  });

  await t.step("keeps only the chosen turns and judges; no pair gives null ratio", () => {
    const empty = result(["a", "b"], [[0, 0, 0, 0]]);
    const chosen = agreementHeatmapSpec([gpt4Human, humanHuman, empty], {
      turns: [2],
      judges: ["human", "a", "b"],
    });
    const kept = (chosen.datasets as Record<string, AgreementCell[]>).cells!;
    assert.deepEqual(
      kept.map((cell) => `${cell.rowJudge}/${cell.columnJudge}/${cell.turn}`),
      ["human/human/turn 2", "human/human/turn 2"],
    );
    const withEmpty = agreementHeatmapSpec([empty]);
    const emptyCells = (withEmpty.datasets as Record<string, AgreementCell[]>).cells!;
    assert.equal(emptyCells[0]!.ratio, null);
  });
});
