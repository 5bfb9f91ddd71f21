import assert from "node:assert/strict";
import type { SingleJudgment } from "../../lib/data/mod.ts";
import { SingleScoreCollector, singleScoreTable } from "../../lib/score/mod.ts";
import { bootstrapInterval, seededRandom } from "../../lib/stats/mod.ts";
import { near, numbersIn, sampleSingles, single } from "./_records.ts";
import { onSharedData } from "../_helpers.ts";

const NO_BOOTSTRAP = { rounds: 0 };

/** FastChat's means, restated plainly: per model, kept records of a turn (or all), averaged. */
function naiveMeans(records: readonly SingleJudgment[], turn?: number): Map<string, number> {
  const sums = new Map<string, [number, number]>();
  for (const record of records) {
    if (record.score === -1 || record.error !== undefined) continue;
    if (turn !== undefined && record.turn !== turn) continue;
    const [sum, count] = sums.get(record.model) ?? [0, 0];
    sums.set(record.model, [sum + record.score, count + 1]);
  }
  return new Map([...sums].map(([model, [sum, count]]) => [model, sum / count]));
}

Deno.test("singleScoreTable() reproduces FastChat's show_result.py", onSharedData, async (t) => {
  await t.step("Stefanstud__FastChat gpt-4_single.jsonl: phi-3-dpo", async () => {
    const table = singleScoreTable(
      await sampleSingles("Stefanstud__FastChat", "gpt-4_single.jsonl"),
      NO_BOOTSTRAP,
    );
    assert.deepEqual(table.firstTurn.map((row) => row.model), ["phi-3-dpo"]);
    near(table.firstTurn[0]!.score, 8.3625, "turn 1");
    near(table.secondTurn[0]!.score, 8.0375, "turn 2");
    near(table.average[0]!.score, 8.2, "average");
    assert.equal(table.average[0]!.records, 160);
    assert.equal(table.totals.scoreMinusOne, 0);
  });

  await t.step("vanbujm__FastChat: three models, turn-2 order differs from turn 1", async () => {
    const table = singleScoreTable(
      await sampleSingles("vanbujm__FastChat", "gpt-4_single.jsonl"),
      NO_BOOTSTRAP,
    );
    const expected: [string, number][][] = [
      [["ultrachat_sai", 7.15], ["ultrachat_cai", 7.1], ["ultrachat_baseline", 6.7625]],
      [["ultrachat_sai", 6.2], ["ultrachat_baseline", 6.025], ["ultrachat_cai", 5.925]],
      [["ultrachat_sai", 6.675], ["ultrachat_cai", 6.5125], ["ultrachat_baseline", 6.39375]],
    ];
    [table.firstTurn, table.secondTurn, table.average].forEach((rows, index) => {
      assert.deepEqual(rows.map((row) => row.model), expected[index]!.map(([model]) => model));
      rows.forEach((row, position) => near(row.score, expected[index]![position]![1], row.model));
    });
  });

  await t.step("dreaming-panda__MTBench: -1 records dropped, duplicates averaged in", async () => {
    const table = singleScoreTable(
      await sampleSingles("dreaming-panda__MTBench", "gpt-4_single-origin.jsonl"),
      NO_BOOTSTRAP,
    );
    const normal = "Meta-Llama-3-8B-Instruct-Normal";
    const griffin = "Meta-Llama-3-8B-Instruct-Griffin";
    assert.deepEqual(table.firstTurn.map((row) => row.model), [normal, griffin]);
    near(table.firstTurn[0]!.score, 721 / 86, "Normal turn 1");
    assert.equal(table.firstTurn[0]!.records, 86);
    near(table.secondTurn[0]!.score, 7.2625, "Normal turn 2");
    near(table.average[0]!.score, 1302 / 166, "Normal average");
    near(table.firstTurn[1]!.score, 3.1375, "Griffin turn 1");
    near(table.secondTurn[1]!.score, 2.2625, "Griffin turn 2");
    near(table.average[1]!.score, 2.7, "Griffin average");
    assert.equal(table.totals.scoreMinusOne, 4);
    assert.equal(table.totals.duplicateKeys, 10);
    assert.equal(table.totals.duplicateRecords, 10);
    const excluded = table.excluded.find((row) => row.model === normal)!;
    assert.deepEqual(
      [excluded.records, excluded.kept, excluded.scoreMinusOne, excluded.duplicateKeys],
      [170, 166, 4, 10],
    );
  });

  await t.step("the average pools both turns rather than averaging the turn means", () => {
    const table = singleScoreTable([
      single("m", 1, 1, 10),
      single("m", 2, 1, 10),
      single("m", 1, 2, 1),
    ], NO_BOOTSTRAP);
    near(table.average[0]!.score, 7, "pooled mean");
  });
});

Deno.test("singleScoreTable() edge cases", async (t) => {
  await t.step("a model whose records are all -1 gets no score row but is counted", () => {
    const table = singleScoreTable([
      single("good", 1, 1, 8),
      single("broken", 1, 1, -1),
      single("broken", 1, 2, -1),
    ]);
    assert.deepEqual(table.average.map((row) => row.model), ["good"]);
    assert.deepEqual(table.excluded.find((row) => row.model === "broken"), {
      model: "broken",
      records: 2,
      kept: 0,
      scoreMinusOne: 2,
      errors: 0,
      duplicateKeys: 0,
      duplicateRecords: 0,
    });
    assert.equal(table.totals.records - table.totals.kept, 2);
  });

  await t.step("records with an error field are excluded and counted apart from -1", () => {
    const table = singleScoreTable([
      single("m", 1, 1, 9),
      single("m", 2, 1, 3, { error: "timeout" }),
      single("m", 3, 1, -1, { error: "timeout" }),
      single("m", 4, 1, -1),
    ], NO_BOOTSTRAP);
    near(table.firstTurn[0]!.score, 9, "kept mean");
    assert.equal(table.totals.errors, 2);
    assert.equal(table.totals.scoreMinusOne, 1);
    assert.equal(table.totals.kept, 1);
  });

  await t.step("only turn 1: no second-turn rows, the average is the first turn", () => {
    const table = singleScoreTable([single("a", 1, 1, 4), single("a", 2, 1, 6)]);
    assert.equal(table.secondTurn.length, 0);
    near(table.average[0]!.score, 5, "average");
    near(table.firstTurn[0]!.score, 5, "turn 1");
  });

  await t.step("equal scores sort by model name", () => {
    const table = singleScoreTable([
      single("zeta", 1, 1, 7),
      single("alpha", 1, 1, 7),
      single("mid", 1, 1, 9),
    ], NO_BOOTSTRAP);
    assert.deepEqual(table.firstTurn.map((row) => row.model), ["mid", "alpha", "zeta"]);
  });

  await t.step("the model list keeps its models and counts the rest", () => {
    const table = singleScoreTable([
      single("a", 1, 1, 7),
      single("b", 1, 1, 5),
      single("c", 1, 1, 3),
    ], { modelList: ["c", "a", "ghost"], rounds: 0 });
    assert.deepEqual(table.firstTurn.map((row) => row.model), ["a", "c"]);
    assert.deepEqual(table.excluded.map((row) => row.model), ["a", "c"]);
    assert.equal(table.totals.outsideModelList, 1);
    assert.deepEqual(table.missingModels, ["ghost"]);
  });

  await t.step("no records: empty tables, no NaN", () => {
    const table = singleScoreTable([]);
    assert.deepEqual([table.firstTurn, table.secondTurn, table.average], [[], [], []]);
    assert.ok(numbersIn(table).every(Number.isFinite));
  });

  await t.step("per-category means pool both turns, in question-file order", () => {
    const categories = new Map<number, string>([[1, "writing"], [2, "math"], [3, "writing"]]);
    const table = singleScoreTable([
      single("a", 1, 1, 8),
      single("a", 1, 2, 6),
      single("a", 2, 1, 2),
      single("b", 3, 1, 10),
    ], { categories, rounds: 0 });
    assert.deepEqual(table.categories, ["writing", "math"]);
    assert.deepEqual(table.perCategory, [
      { model: "b", category: "writing", score: 10, records: 1 },
      { model: "a", category: "writing", score: 7, records: 2 },
      { model: "a", category: "math", score: 2, records: 1 },
    ]);
    assert.equal(singleScoreTable([single("a", 1, 1, 8)], NO_BOOTSTRAP).perCategory, null);
  });

  await t.step("a question without a category is a RangeError naming it", () => {
    assert.throws(
      () => singleScoreTable([single("a", 99, 1, 8)], { categories: new Map([[1, "x"]]) }),
      (error: Error) => error instanceof RangeError && /question_id 99/.test(error.message),
    );
  });

  await t.step("bad bootstrap options are RangeErrors", () => {
    assert.throws(() => singleScoreTable([], { rounds: -1 }), RangeError);
    assert.throws(() => singleScoreTable([], { rounds: 1.5 }), RangeError);
    assert.throws(() => singleScoreTable([], { seed: 0.5 }), RangeError);
  });
});

/** Random records: duplicates, -1, error fields, a third turn, half scores, sparse question ids. */
function randomRecords(seed: number, count: number, options: { halves?: boolean } = {}) {
  const random = seededRandom(seed);
  const records: SingleJudgment[] = [];
  for (let index = 0; index < count; index++) {
    const model = `m${Math.floor(random() * 7)}`;
    // Sparse ids for some models push them out of the dense rows into the hash table.
    const question = model === "m6"
      ? 100_000 + Math.floor(random() * 5000)
      : Math.floor(random() * 30);
    const turn = 1 + Math.floor(random() * 3);
    const draw = random();
    let score = 1 + Math.floor(random() * 10);
    if (options.halves && random() < 0.3) score += 0.5;
    const extra = draw < 0.03 ? { error: "failed" } : {};
    records.push(single(model, question, turn, draw > 0.97 ? -1 : score, extra));
  }
  return records;
}

Deno.test("singleScoreTable() matches a plain restatement on random records", async (t) => {
  for (const seed of [1, 2, 3]) {
    await t.step(`seed ${seed}`, () => {
      const records = randomRecords(seed, 4000);
      const table = singleScoreTable(records, NO_BOOTSTRAP);
      for (
        const [rows, turn] of [[table.firstTurn, 1], [table.secondTurn, 2], [
          table.average,
          undefined,
        ]] as const
      ) {
        const expected = naiveMeans(records, turn);
        assert.equal(rows.length, expected.size);
        for (const row of rows) {
          near(row.score, expected.get(row.model)!, `${row.model} turn ${turn}`);
        }
      }
      const keys = new Map<string, number>();
      for (const record of records) {
        const key = JSON.stringify([record.model, record.question_id, record.turn, record.judge]);
        keys.set(key, (keys.get(key) ?? 0) + 1);
      }
      assert.equal(
        table.totals.duplicateKeys,
        [...keys.values()].filter((count) => count > 1).length,
      );
      assert.equal(
        table.totals.duplicateRecords,
        [...keys.values()].reduce((sum, count) => sum + count - 1, 0),
      );
    });
  }

  await t.step("models with disjoint question sets (hashed rather than dense)", () => {
    const records: SingleJudgment[] = [];
    for (let model = 0; model < 200; model++) {
      for (let question = 0; question < 150; question++) {
        const id = `q${model}-${question}`;
        records.push(single(`m${model}`, id, 1, 1 + ((model + question) % 10)));
        if (question % 7 === 0) records.push(single(`m${model}`, id, 1, 5)); // a duplicate
      }
    }
    const table = singleScoreTable(records, NO_BOOTSTRAP);
    const expected = naiveMeans(records, 1);
    assert.equal(table.firstTurn.length, 200);
    for (const row of table.firstTurn) near(row.score, expected.get(row.model)!, row.model);
    assert.equal(table.totals.duplicateKeys, 200 * 22);
  });

  await t.step("a collector fed in batches gives the same table as the records", () => {
    const records = randomRecords(9, 3000);
    const collector = new SingleScoreCollector();
    for (let start = 0; start < records.length; start += 700) {
      collector.addAll(records.slice(start, start + 700));
    }
    assert.deepEqual(singleScoreTable(collector), singleScoreTable(records));
  });
});

Deno.test("singleScoreTable() bootstrap intervals", async (t) => {
  /** lib/stats bootstrapInterval over one model's questions, for one turn (or all). */
  function reference(records: SingleJudgment[], model: string, turn: number | undefined, seed = 0) {
    const byQuestion = new Map<string, [number, number]>();
    const questions = new Map<string, [number, number]>();
    for (const record of records) {
      if (record.model !== model) continue;
      const key = JSON.stringify(record.question_id);
      if (!questions.has(key)) questions.set(key, [0, 0]);
      if (record.score === -1 || record.error !== undefined) continue;
      const totals = questions.get(key)!;
      totals[1]++;
      if (turn !== undefined && record.turn !== turn) continue;
      const [sum, count] = byQuestion.get(key) ?? [0, 0];
      byQuestion.set(key, [sum + record.score, count + 1]);
    }
    // Clusters: questions with at least one kept score, in order of first appearance.
    const units = [...questions].filter(([, [, kept]]) => kept > 0).map(([key]) =>
      byQuestion.get(key) ?? [0, 0]
    );
    return bootstrapInterval(units.length, (weights) => {
      let sum = 0;
      let count = 0;
      weights.forEach((weight, index) => {
        sum += weight * units[index]![0];
        count += weight * units[index]![1];
      });
      return count > 0 ? sum / count : NaN;
    }, { seed });
  }

  const cases: [string, SingleJudgment[]][] = [
    ["integer scores", randomRecords(4, 3000)],
    ["half scores (packed at scale 2)", randomRecords(5, 3000, { halves: true })],
    [
      "non-integral scores (not packed)",
      randomRecords(6, 2000).map((record) => ({
        ...record,
        score: record.score === -1 ? -1 : record.score + 0.1,
      })),
    ],
    [
      "one score per turn and question (paired columns)",
      Array.from(
        { length: 60 },
        (_, index) => single("p", index % 30, 1 + Math.floor(index / 30), 1 + index % 9),
      ),
    ],
  ];
  for (const [label, records] of cases) {
    await t.step(`equal lib/stats bootstrapInterval per model: ${label}`, () => {
      const table = singleScoreTable(records, { seed: 7 });
      for (
        const [rows, turn] of [[table.firstTurn, 1], [table.secondTurn, 2], [
          table.average,
          undefined,
        ]] as const
      ) {
        for (const row of rows) {
          const expected = reference(records, row.model, turn, 7);
          near(row.lower, expected.lower, `${row.model} turn ${turn} lower`);
          near(row.upper, expected.upper, `${row.model} turn ${turn} upper`);
        }
      }
    });
  }

  await t.step({
    name: "intervals contain the estimate, are seeded and skipped when off",
    ...onSharedData,
    fn: async () => {
      const records = await sampleSingles("vanbujm__FastChat", "gpt-4_single.jsonl");
      const table = singleScoreTable(records);
      for (const row of [...table.firstTurn, ...table.secondTurn, ...table.average]) {
        assert.ok(row.lower! <= row.score && row.score <= row.upper!, row.model);
      }
      assert.deepEqual(singleScoreTable(records), table);
      assert.notDeepEqual(singleScoreTable(records, { seed: 1 }).average, table.average);
      const off = singleScoreTable(records, NO_BOOTSTRAP);
      assert.ok(off.average.every((row) => row.lower === undefined && row.upper === undefined));
      assert.ok(numbersIn(table).every(Number.isFinite));
    },
  });

  await t.step("a model's interval does not depend on the other models", () => {
    const records = randomRecords(8, 3000);
    const all = singleScoreTable(records);
    const alone = singleScoreTable(records, { modelList: ["m2"] });
    assert.deepEqual(alone.average[0], all.average.find((row) => row.model === "m2"));
  });
});
