import assert from "node:assert/strict";
import { join } from "node:path";
import { SHARED_DATA, SHARED_DATA_MISSING } from "../_helpers.ts";
import { createMockClient, type MockScript } from "../../lib/chat/mod.ts";
import { readAnswers } from "../../lib/data/read_answers.ts";
import { readJudgePrompts } from "../../lib/data/read_judge_prompts.ts";
import type { Judgment, PairJudgment, SingleJudgment } from "../../lib/data/types.ts";
import { isPairJudgment } from "../../lib/data/types.ts";
import { judgeMatches, makeJudges, prepareMatch } from "../../lib/judge/mod.ts";
import { computeAgreement, pairJudgmentVote, VoteTally } from "../../lib/agree/mod.ts";
import { answerLengths, lengthBias } from "../../lib/audit/mod.ts";
import {
  calibrationMatches,
  computeCalibration,
  type HumanBenchItem,
  loadHumanBench,
  sampleItems,
} from "../../lib/calibrate/mod.ts";
import { alwaysA, expertJudge, lengthJudge, longerWins, unparsable } from "./_scripted_judges.ts";

// Everything here reads the upstream data: without it, one skipped test says so.
if (SHARED_DATA_MISSING) {
  Deno.test({ name: "calibration on the upstream human judgments", ignore: true, fn() {} });
} else {
  await register();
}

async function register(): Promise<void> {
  const loaded = await loadHumanBench(SHARED_DATA);
  const { bench } = loaded;
  const prompts = await readJudgePrompts(join(SHARED_DATA, "judge_prompts.jsonl"));
  const references = new Map(
    (await readAnswers(join(SHARED_DATA, "mt_bench", "reference_answer", "gpt-4.jsonl")))
      .map((answer) => [answer.question_id, answer]),
  );

  /** Judges items with a scripted judge through the judge pipeline; returns the records. */
  async function judge(
    script: MockScript,
    items: readonly HumanBenchItem[],
    kind: "pair" | "single",
  ) {
    const judges = makeJudges("mock", prompts, kind === "pair" ? "pairwise" : "single");
    const prepared = calibrationMatches(bench, items, judges, kind, { references })
      .map((match) => prepareMatch(match, bench.name));
    const records: Judgment[] = [];
    const result = await judgeMatches(prepared, {
      client: createMockClient({ script }),
      bench: bench.name,
      parallel: 4,
      onRecord: ({ record }) => {
        records.push(record);
      },
    });
    assert.equal(result.done, prepared.length);
    return { records, prepared };
  }

  Deno.test("assembleHumanBench() over the shared data", async (t) => {
    await t.step("every voted item has both answers or is listed with the reason", () => {
      assert.equal(bench.items.length + bench.unavailable.length, 1633);
      assert.equal(bench.unavailable.length, 4);
      for (const { item, reason } of bench.unavailable) {
        assert.equal(item.question_id, 144);
        assert.ok(item.model_b === "vicuna-13b-v1.2" || item.model_a === "vicuna-13b-v1.2");
        assert.match(reason, /no conversation of model "vicuna-13b-v1\.2" on question 144/);
      }
      for (const item of bench.items) {
        for (const model of [item.model_a, item.model_b]) {
          const answer = bench.answers.get(model)!.find((entry) =>
            entry.question_id === item.question_id
          );
          assert.equal(answer?.choices[0]?.turns.length, 2, `${model} ${item.question_id}`);
        }
      }
      assert.equal(bench.questions.length, 80);
      assert.deepEqual([...bench.answers.keys()], [
        "alpaca-13b",
        "claude-v1",
        "gpt-3.5-turbo",
        "gpt-4",
        "llama-13b",
        "vicuna-13b-v1.2",
      ]);
    });

    await t.step("the answers are those the experts saw (GPT-4's earlier answers)", async () => {
      const earlier = await readAnswers(
        join(SHARED_DATA, "mt_bench", "model_answer_earlier", "gpt-4.jsonl"),
      );
      const shown = bench.answers.get("gpt-4")!;
      let same = 0;
      for (const answer of shown) {
        const other = earlier.find((entry) => entry.question_id === answer.question_id)!;
        if (JSON.stringify(other.choices[0]!.turns) === JSON.stringify(answer.choices[0]!.turns)) {
          same++;
        }
      }
      assert.equal(same, shown.length);
    });
  });

  Deno.test("computeCalibration() reference rows reproduce the paper's counts", () => {
    const report = computeCalibration({
      judge: "none",
      items: bench.items,
      humanVotes: loaded.humanVotes,
      gpt4Votes: loaded.gpt4Votes,
      questions: bench.questions,
    }, { rounds: 0 });
    const counts = (label: string) =>
      report.rows.find((row) => row.label === label)!.result.turns.flatMap((turn) => [
        `${turn.withTie.agree}/${turn.withTie.total}`,
        `${turn.withoutTie.agree}/${turn.withoutTie.total}`,
      ]);
    assert.deepEqual(counts("gpt4-pair vs human"), ["886/1343", "727/859", "871/1325", "731/864"]);
    assert.deepEqual(counts("human vs human"), ["454/721", "388/479", "471/707", "388/474"]);
  });

  Deno.test("computeCalibration() with scripted judges of known bias", async (t) => {
    const sample = sampleItems(bench.items, 120, 1);
    const calibrate = (records: Judgment[], items = sample) =>
      computeCalibration({
        judge: "mock",
        items,
        humanVotes: loaded.humanVotes,
        gpt4Votes: loaded.gpt4Votes,
        questions: bench.questions,
        pairRecords: records.filter(isPairJudgment) as PairJudgment[],
        singleRecords: records.some((record) => !isPairJudgment(record))
          ? records.filter((record) => !isPairJudgment(record)) as SingleJudgment[]
          : undefined,
        referenceScope: "items",
      }, { rounds: 200 });

    await t.step('always "[[A]]": consistency 0%, first position 100%, all ties', async () => {
      const { records } = await judge(alwaysA, sample, "pair");
      const report = calibrate(records);
      assert.equal(report.positionBias!.consistency, 0);
      assert.equal(report.positionBias!.firstPositionPreference, 1);
      assert.equal(report.positionBias!.finalTieRate, 1);
      const row = report.rows.find((entry) => entry.label === "mock vs human")!;
      for (const turn of row.result.turns) assert.equal(turn.withoutTie.total, 0);
      assert.equal(report.failures.pair!.failed + report.failures.pair!.missing, 0);
    });

    await t.step(
      "the longer answer wins: consistency 100%, longer-answer win rate 100%",
      async () => {
        const { records } = await judge(longerWins, sample, "pair");
        const report = calibrate(records);
        assert.equal(report.positionBias!.consistency, 1);
        const bias = lengthBias(records, answerLengths(bench.answers), { rounds: 0 });
        assert.equal(bias.longerWinRate, 1);
        assert.ok(bias.decidedGames > 200);
      },
    );

    await t.step("a judge that votes as one expert agrees 100% with that expert", async () => {
      const counts = new Map<string, number>();
      for (const item of bench.items) {
        for (const vote of item.votes) counts.set(vote.judge, (counts.get(vote.judge) ?? 0) + 1);
      }
      const expert = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
      const voted = bench.items.filter((item) => item.votes.some((vote) => vote.judge === expert));
      const judges = makeJudges("mock", prompts, "pairwise");
      const prepared = calibrationMatches(bench, voted, judges, "pair", { references })
        .map((match) => prepareMatch(match, bench.name));
      const records: Judgment[] = [];
      await judgeMatches(prepared, {
        client: createMockClient({ script: expertJudge(expert, prepared, voted) }),
        bench: bench.name,
        parallel: 4,
        onRecord: ({ record }) => {
          records.push(record);
        },
      });
      const tally = new VoteTally(["mock", expert]);
      for (const record of records) tally.add("mock", pairJudgmentVote(record as PairJudgment)!);
      for (const vote of loaded.humanVotes) {
        if (vote.judge === expert) tally.add(expert, vote);
      }
      const result = computeAgreement(tally, { rounds: 0 });
      let total = 0;
      for (const turn of result.turns) {
        assert.equal(turn.withTie.ratio, 1);
        total += turn.withTie.total;
      }
      assert.equal(total, voted.length);
      const report = calibrate(records, voted);
      assert.equal(report.positionBias!.consistency, 1);
    });

    await t.step("5% unparsable verdicts: error rate 5% within sampling error", async () => {
      const items = sampleItems(bench.items, 400, 2);
      const { records } = await judge(unparsable(0.05), items, "pair");
      const report = calibrate(records, items);
      const errors = report.failures.pair!.errors;
      assert.equal(errors.requests, 800);
      const margin = 3 * Math.sqrt(0.05 * 0.95 / errors.requests);
      assert.ok(Math.abs(errors.errorRate - 0.05) < margin, `error rate ${errors.errorRate}`);
      assert.equal(errors.parseFailures, errors.failed);
      assert.match(errors.causes[0]!.cause, /no verdict found/);
      assert.equal(report.failures.pair!.failed, errors.failedRecords);
      assert.equal(report.failures.pair!.keys.length, errors.failedRecords);
    });

    await t.step("single grades become votes; single vs pair of one judge agree", async () => {
      const pair = await judge(lengthJudge, sample, "pair");
      const single = await judge(lengthJudge, sample, "single");
      const report = calibrate([...pair.records, ...single.records]);
      const singleVsPair = report.rows.find((row) => row.label === "mock (single) vs mock")!;
      let total = 0;
      for (const turn of singleVsPair.result.turns) {
        assert.equal(turn.withTie.ratio, 1);
        total += turn.withTie.total;
      }
      assert.equal(total, sample.length);
      const vsHuman = report.rows.find((row) => row.label === "mock (single) vs human")!;
      const pairVsHuman = report.rows.find((row) => row.label === "mock vs human")!;
      assert.deepEqual(
        vsHuman.result.turns.map((turn) => turn.withTie.agree),
        pairVsHuman.result.turns.map((turn) => turn.withTie.agree),
      );
    });
  });
}
