import assert from "node:assert/strict";
import { join } from "node:path";
import { BrowseRequestError, BrowseStore } from "../../lib/browse/mod.ts";
import { DataError } from "../../lib/data/data_error.ts";
import { writeFixtureRoot } from "./_fixture.ts";
import { tempDir } from "../_temp.ts";

Deno.test("BrowseStore", async (t) => {
  const root = await writeFixtureRoot();

  await t.step("reads a changed file again, keeps an unchanged one", async () => {
    const store = new BrowseStore(root);
    const path = join(root, "other", "model_answer", "good.jsonl");
    const first = await store.questionView("other", "81", ["good"]);
    assert.equal(first.answers[0]!.versions[0]!.turns[0], "Good one");
    const record = {
      question_id: 81,
      model_id: "good",
      choices: [{ index: 0, turns: ["Changed answer, longer than before", "x"] }],
    };
    await Deno.writeTextFile(path, JSON.stringify(record) + "\n");
    const second = await store.questionView("other", "81", ["good"]);
    assert.equal(second.answers[0]!.versions[0]!.turns[0], "Changed answer, longer than before");
  });

  await t.step("a failed read is not cached: a fixed file is read again", async () => {
    const store = new BrowseStore(root);
    const path = join(root, "broken", "question.jsonl");
    await assert.rejects(store.benchInfo("broken"), DataError);
    await Deno.writeTextFile(
      path,
      JSON.stringify({ question_id: 1, category: "c", turns: ["fixed question"] }) + "\n",
    );
    const info = await store.benchInfo("broken");
    assert.equal(info.questions[0]!.preview, "fixed question");
  });

  await t.step("warm() preloads mt_bench and skips bad files", async () => {
    const store = new BrowseStore(root);
    assert.equal(await store.warm(), "mt_bench");
    // other/model_answer/bad.jsonl is bad: warming skips it, the request that needs it reports it.
    assert.equal(await store.warm("other"), "other");
    const view = await store.questionView("other", "81", ["bad"]);
    assert.match(view.answers[0]!.error!.message, /line 2 of/);
    assert.equal(await new BrowseStore(await tempDir()).warm(), undefined);
  });

  await t.step("votes belong to the configured bench only", async () => {
    const store = new BrowseStore(root, { humanBench: "other" });
    assert.equal((await store.benchInfo("mt_bench")).humanVotes, false);
    assert.equal((await store.benchInfo("other")).humanVotes, true);
    await assert.rejects(
      store.disagreements("mt_bench", { judges: ["human", "gpt4-pair"] }),
      BrowseRequestError,
    );
  });

  await t.step(
    "benchInfo() opens on the pair with the most judgments on the first question",
    async () => {
      const store = new BrowseStore(root);
      // q81: model-x and model-y have a pair record, single grades and votes; evil sorts first.
      assert.deepEqual((await store.benchInfo("mt_bench")).defaultModels, ["model-x", "model-y"]);
      // No judgments at all: the first two models by name.
      assert.deepEqual((await store.benchInfo("other")).defaultModels, ["bad", "good"]);
    },
  );

  await t.step(
    "a bad vote file is a warning in the bench info, an error for disagreements",
    async () => {
      const badRoot = await writeFixtureRoot();
      await Deno.writeTextFile(
        join(badRoot, "mt_bench_human_judgments", "human_labels.jsonl"),
        '{"question_id": 81, "model_a": "x", "model_b": "y", "winner": "maybe", "judge": "expert_0", "turn": 1}\n',
      );
      const store = new BrowseStore(badRoot);
      const info = await store.benchInfo("mt_bench");
      assert.equal(info.humanVotes, false);
      assert.equal(info.warnings.length, 1);
      assert.match(
        info.warnings[0]!.message,
        /line 1 of ".*human_labels\.jsonl" \(field "winner"\)/,
      );
      const view = await store.questionView("mt_bench", "82", ["model-x"]);
      assert.equal(view.warnings.length, 1);
      assert.equal(view.answers[0]!.versions.length, 2); // file and earlier; no vote data
      await assert.rejects(
        store.disagreements("mt_bench", { judges: ["gpt4-pair", "human"] }),
        /field "winner"/,
      );
    },
  );
});

Deno.test("BrowseStore reads judgment files one question at a time", async (t) => {
  const root = await tempDir();
  const bench = join(root, "b");
  await Deno.mkdir(join(bench, "model_judgment"), { recursive: true });
  await Deno.writeTextFile(
    join(bench, "question.jsonl"),
    [1, 2, 3].map((id) => JSON.stringify({ question_id: id, category: "c", turns: ["q"] }))
      .join("\n") + "\n",
  );
  const judge = ["j", "single-v1"];
  const path = join(bench, "model_judgment", "j_single.jsonl");
  const store = new BrowseStore(root);
  const grades = async (question: string) =>
    (await store.judgmentsView("b", question, ["m"])).files[0]!;

  await t.step(
    "finds question ids anywhere in the line, skips blank lines, takes CRLF",
    async () => {
      await Deno.writeTextFile(
        path,
        [
          `{"question_id": 1, "model": "m", "judge": ${
            JSON.stringify(judge)
          }, "score": 7, "turn": 1}`,
          "",
          `{"model": "m", "question_id": 2, "judge": ${
            JSON.stringify(judge)
          }, "score": 4, "turn": 1}`,
          `  {"question_id":1,"model":"m","judge":${JSON.stringify(judge)},"score":9,"turn":2}\r`,
        ].join("\n") + "\n",
      );
      const one = await grades("1");
      assert.deepEqual(one.records.map((record) => [record.line, record.turn]), [[1, 1], [4, 2]]);
      assert.deepEqual((await grades("2")).records.map((record) => record.line), [3]);
      assert.deepEqual((await grades("3")).records, []);
    },
  );

  await t.step("a bad record shows as an error on its question only", async () => {
    await Deno.writeTextFile(
      path,
      [
        `{"question_id": 1, "model": "m", "judge": ${
          JSON.stringify(judge)
        }, "score": 7, "turn": 1}`,
        `{"question_id": 2, "model": "m", "judge": ${
          JSON.stringify(judge)
        }, "score": "7", "turn": 1}`,
      ].join("\n") + "\n",
    );
    assert.equal((await grades("1")).records.length, 1);
    const two = await grades("2");
    assert.equal(two.error?.line, 2);
    assert.equal(two.error?.field, "score");
    await assert.rejects(
      store.disagreements("b", { judges: ["j_single.jsonl", "j_single.jsonl"] }),
      /line 2 of .*\(field "score"\)/,
    );
  });

  await t.step("a line that is not JSON is an error for the whole file", async () => {
    await Deno.writeTextFile(
      path,
      `{"question_id": 1, "model": "m", "judge": ${
        JSON.stringify(judge)
      }, "score": 7, "turn": 1}\n` +
        `{"model": "m", "question_id": 2, oops}\n`,
    );
    const one = await grades("1");
    assert.equal(one.error?.line, 2);
    assert.match(one.error!.message, /invalid JSON/);
  });

  await t.step("a cut-off last line is named", async () => {
    await Deno.writeTextFile(path, `{"question_id": 1, "model": "m", "judge": ["j", "x"], "sco`);
    const one = await grades("1");
    assert.equal(one.error?.line, 1);
    assert.match(one.error!.message, /last line is cut off/);
  });

  await t.step("a byte-order mark is named", async () => {
    await Deno.writeTextFile(path, `\uFEFF{"question_id": 1}\n`);
    assert.match((await grades("1")).error!.message, /byte-order mark/);
  });
});
