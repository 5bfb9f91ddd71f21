import assert from "node:assert/strict";
import { join } from "node:path";
import {
  BrowseStore,
  createBrowseHandler,
  type DisagreementList,
  type JudgmentsView,
  type QuestionView,
} from "../../lib/browse/mod.ts";
import type { BenchInfo } from "../../lib/browse/types.ts";
import { onSharedData, SHARED_DATA } from "../_helpers.ts";
import { TEXT, writeFixtureRoot } from "./_fixture.ts";

const root = await writeFixtureRoot();
const handler = createBrowseHandler(new BrowseStore(root), {
  allowedHosts: ["127.0.0.1", "localhost"],
});

async function get(path: string, init: RequestInit = {}) {
  const response = await handler(new Request(`http://127.0.0.1${path}`, init));
  const type = response.headers.get("content-type") ?? "";
  const body = type.startsWith("application/json") ? await response.json() : await response.text();
  return { status: response.status, headers: response.headers, body };
}

Deno.test("createBrowseHandler() serves the JSON API", async (t) => {
  await t.step("lists the folders with a question.jsonl as benches", async () => {
    const { status, body } = await get("/api/benches");
    assert.equal(status, 200);
    assert.deepEqual(body, { root, benches: ["broken", "mt_bench", "other"] });
  });

  await t.step("describes a bench: questions, categories, models, judges", async () => {
    const { status, body } = await get("/api/bench?bench=mt_bench");
    assert.equal(status, 200);
    const info = body as BenchInfo;
    assert.deepEqual(info.categories, ["writing", "math", "coding"]);
    assert.deepEqual(info.questions.map((q) => q.question_id), [81, 82, 83]);
    assert.equal(info.questions[1]!.preview, "What is 2 + 2?");
    assert.deepEqual(info.models, [
      { name: "evil", answerFile: true, earlierFile: false, voted: false },
      { name: "model-x", answerFile: true, earlierFile: true, voted: true },
      { name: "model-y", answerFile: true, earlierFile: false, voted: true },
      { name: "voted-only", answerFile: false, earlierFile: false, voted: true },
    ]);
    assert.deepEqual(info.judgmentFiles, ["gpt-4_pair.jsonl", "gpt-4_single.jsonl"]);
    assert.deepEqual(info.references, ["gpt-4"]);
    assert.deepEqual(
      info.judges.map((judge) => judge.name),
      ["gpt4-pair", "human", "author", "gpt-4_pair.jsonl", "gpt-4_single.jsonl"],
    );
    assert.equal(info.humanVotes, true);
    assert.deepEqual(info.warnings, []);
  });

  await t.step("human votes belong to mt_bench only", async () => {
    const info = (await get("/api/bench?bench=other")).body as BenchInfo;
    assert.equal(info.humanVotes, false);
    assert.deepEqual(info.judges, []);
    assert.deepEqual(info.models.map((model) => model.name), ["bad", "good"]);
  });

  await t.step("shows a question with two models, every answer version and the votes", async () => {
    const { status, body } = await get(
      "/api/question?bench=mt_bench&question=82&model=model-x&model=model-y",
    );
    assert.equal(status, 200);
    const view = body as QuestionView;
    assert.deepEqual(view.question.turns, ["What is 2 + 2?", "And times 3?"]);
    assert.deepEqual(view.references, [{ name: "gpt-4", turns: [TEXT.ref1, TEXT.ref2] }]);
    const [x, y] = view.answers;
    assert.equal(x!.model, "model-x");
    assert.deepEqual(x!.versions.map((version) => [version.source, version.turns[0]]), [
      ["file", TEXT.xFile1],
      ["earlier", TEXT.xEarlier1],
      ["voted", TEXT.xVoted1],
    ]);
    assert.equal(
      x!.versions[2]!.path,
      join(root, "mt_bench_human_judgments", "conversations_reconstructed.jsonl"),
    );
    assert.equal(x!.preferred, "voted");
    assert.deepEqual(y!.versions.map((version) => version.source), ["file"]);
    assert.equal(y!.preferred, "file");
    assert.deepEqual(
      view.votes.map((vote) => [vote.turn, vote.group, vote.judge, vote.winnerModel]),
      [
        [1, "gpt4-pair", "gpt4_pair", "model-x"],
        [1, "human", "expert_0", "model-x"],
        [1, "human", "expert_1", "model-y"],
        [1, "author", "author_0", null],
        [2, "gpt4-pair", "gpt4_pair", "model-x"],
        [2, "human", "expert_2", "model-x"],
      ],
    );
  });

  await t.step("a single view lists every vote with the model", async () => {
    const view = (await get("/api/question?bench=mt_bench&question=81&model=voted-only"))
      .body as QuestionView;
    assert.deepEqual(view.answers[0]!.versions.map((version) => version.turns), [[
      TEXT.votedOnly1,
      TEXT.votedOnly2,
    ]]);
    assert.equal(view.answers[0]!.preferred, "voted");
    assert.deepEqual(view.votes.map((vote) => vote.winnerModel), ["model-x", "voted-only"]);
  });

  await t.step("a model without an answer to the question has no versions", async () => {
    const view = (await get("/api/question?bench=mt_bench&question=83&model=model-y"))
      .body as QuestionView;
    assert.deepEqual(view.answers, [{ model: "model-y", versions: [], preferred: null }]);
  });

  await t.step("returns the judgment records of the question and models", async () => {
    const { status, body } = await get(
      "/api/judgments?bench=mt_bench&question=82&model=model-x&model=model-y",
    );
    assert.equal(status, 200);
    const view = body as JudgmentsView;
    assert.equal(view.question_id, 82);
    const [pair, single] = view.files;
    assert.equal(pair!.name, "gpt-4_pair.jsonl");
    assert.deepEqual(pair!.records, [{
      kind: "pair",
      line: 1,
      judge: ["gpt-4", "pair-math-v1"],
      turn: 1,
      model_1: "model-x",
      model_2: "model-y",
      g1_winner: "model_1",
      g2_winner: "model_1",
      g1_judgment: TEXT.pairG1,
      g2_judgment: TEXT.pairG2,
    }]);
    assert.deepEqual(
      single!.records.map((record) =>
        record.kind === "single" ? [record.line, record.turn, record.model, record.score] : []
      ),
      [[1, 1, "model-x", 8], [2, 1, "model-y", 3], [3, 2, "model-x", 6], [4, 2, "model-y", 6]],
    );
  });

  await t.step("lists where two judges disagree", async () => {
    const { status, body } = await get(
      "/api/disagreements?bench=mt_bench&judge=gpt4-pair&judge=human",
    );
    assert.equal(status, 200);
    const list = body as DisagreementList;
    // q81 turn 1: GPT-4 says model-x, expert_0 voted-only (0/1); q82 turn 1: GPT-4 says
    // model-x, the experts split (1/2); q82 turn 2 agrees (1/1).
    assert.deepEqual([list.keys, list.agree, list.total, list.truncated], [3, 2, 4, 0]);
    assert.deepEqual(list.rows, [{
      question_id: 81,
      category: "writing",
      turn: 1,
      model_a: "model-x",
      model_b: "voted-only",
      votes: [{ model_a: 1, model_b: 0, tie: 0 }, { model_a: 0, model_b: 1, tie: 0 }],
      agree: 0,
      total: 1,
    }, {
      question_id: 82,
      category: "math",
      turn: 1,
      model_a: "model-x",
      model_b: "model-y",
      votes: [{ model_a: 1, model_b: 0, tie: 0 }, { model_a: 1, model_b: 1, tie: 0 }],
      agree: 1,
      total: 2,
    }]);
  });

  await t.step("compares a single-grade file with a pair file", async () => {
    const list = (await get(
      "/api/disagreements?bench=mt_bench&judge=gpt-4_single.jsonl&judge=gpt-4_pair.jsonl",
    )).body as DisagreementList;
    // q81 turn 1: single says model-x (9 vs 2), the pair games split (tie); q82 agrees.
    assert.deepEqual([list.keys, list.agree, list.total], [2, 1, 2]);
    assert.deepEqual(list.rows.map((row) => [row.question_id, row.votes]), [[81, [
      { model_a: 1, model_b: 0, tie: 0 },
      { model_a: 0, model_b: 0, tie: 1 },
    ]]]);
  });

  await t.step("filters disagreements by turn, ties and category", async () => {
    const query = "/api/disagreements?bench=mt_bench&judge=human&judge=human";
    const all = (await get(query)).body as DisagreementList;
    assert.deepEqual([all.keys, all.agree, all.total, all.rows.length], [1, 0, 1, 1]);
    const turn2 = (await get(`${query}&turn=2`)).body as DisagreementList;
    assert.deepEqual([turn2.keys, turn2.rows.length], [0, 0]);
    const coding = (await get(`${query}&category=coding`)).body as DisagreementList;
    assert.equal(coding.keys, 0);
    const authors = (await get(
      "/api/disagreements?bench=mt_bench&judge=gpt4-pair&judge=author&ties=0",
    )).body as DisagreementList;
    assert.equal(authors.ties, false);
    assert.deepEqual([authors.keys, authors.rows.length], [0, 0]);
    const limited = (await get(
      "/api/disagreements?bench=mt_bench&judge=gpt4-pair&judge=human&limit=0",
    )).body as DisagreementList;
    assert.deepEqual([limited.rows.length, limited.truncated], [0, 2]);
  });
});

Deno.test("createBrowseHandler() answers bad requests and bad data with JSON errors", async (t) => {
  await t.step("unknown names are 404", async () => {
    for (
      const path of [
        "/api/bench?bench=nope",
        "/api/bench?bench=not_a_bench",
        "/api/question?bench=mt_bench&question=999",
        "/api/question?bench=mt_bench&question=81&model=nobody",
        "/api/disagreements?bench=mt_bench&judge=human&judge=gpt-5_pair.jsonl",
        "/api/disagreements?bench=other&judge=human&judge=human",
        "/api/nothing",
        "/nothing",
      ]
    ) {
      const { status, body } = await get(path);
      assert.equal(status, 404, path);
      assert.equal(body.error.kind, "not_found", path);
    }
  });

  await t.step("names cannot reach outside the data root", async () => {
    for (
      const path of [
        "/api/bench?bench=..",
        "/api/bench?bench=..%2Fmt_bench",
        "/api/question?bench=mt_bench&question=81&model=..%2F..%2Fmt_bench%2Fquestion",
        "/api/disagreements?bench=mt_bench&judge=human&judge=..%2Fquestion.jsonl",
        "/static/..%2F..%2F..%2Fdeno.json",
      ]
    ) {
      assert.equal((await get(path)).status, 404, path);
    }
  });

  await t.step("bad parameters are 400 with the value quoted", async () => {
    const cases: [string, RegExp][] = [
      ["/api/bench", /missing query parameter "bench"/],
      ["/api/question?bench=mt_bench", /missing query parameter "question"/],
      [
        "/api/question?bench=mt_bench&question=81&model=a&model=b&model=c",
        /at most 2 models, got 3/,
      ],
      ["/api/question?bench=mt_bench&question=81&model=model-x&model=model-x", /the same/],
      ["/api/disagreements?bench=mt_bench&judge=human", /expected 2 "judge" parameters, got 1/],
      [
        "/api/disagreements?bench=mt_bench&judge=human&judge=human&turn=3",
        /"turn" to be 1 or 2, got "3"/,
      ],
      [
        "/api/disagreements?bench=mt_bench&judge=human&judge=human&ties=yes",
        /"ties" to be 0 or 1, got "yes"/,
      ],
      [
        "/api/disagreements?bench=mt_bench&judge=human&judge=human&limit=-1",
        /"limit" to be a whole number, got "-1"/,
      ],
    ];
    for (const [path, message] of cases) {
      const { status, body } = await get(path);
      assert.equal(status, 400, path);
      assert.equal(body.error.kind, "request");
      assert.match(body.error.message, message);
    }
  });

  await t.step("a bad question file is 422 naming the file and line", async () => {
    const { status, body } = await get("/api/bench?bench=broken");
    assert.equal(status, 422);
    assert.equal(body.error.kind, "data");
    assert.equal(body.error.file, join(root, "broken", "question.jsonl"));
    assert.equal(body.error.line, 2);
    assert.match(body.error.message, /line 2 of ".*broken\/question\.jsonl"/);
  });

  await t.step("a bad answer file is reported in the view, the rest still shows", async () => {
    const { status, body } = await get(
      "/api/question?bench=other&question=81&model=good&model=bad",
    );
    assert.equal(status, 200);
    const view = body as QuestionView;
    assert.equal(view.answers[0]!.versions[0]!.turns[0], "Good one");
    assert.equal(view.answers[1]!.versions.length, 0);
    assert.equal(view.answers[1]!.error!.line, 2);
    assert.match(view.answers[1]!.error!.message, /line 2 of ".*bad\.jsonl"/);
  });

  await t.step("a missing data root is 422", async () => {
    const missing = createBrowseHandler(new BrowseStore(join(root, "missing")));
    const response = await missing(new Request("http://127.0.0.1/api/benches"));
    assert.equal(response.status, 422);
    assert.match((await response.json()).error.message, /data root not found/);
  });

  await t.step("other hosts and methods are refused", async () => {
    const evil = await get("/api/benches", { headers: { host: "evil.example:7860" } });
    assert.equal(evil.status, 403);
    const post = await get("/api/benches", { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
  });
});

Deno.test("createBrowseHandler() serves the page with a strict CSP", async (t) => {
  for (
    const [path, type] of [
      ["/", "text/html"],
      ["/?bench=mt_bench&q=81", "text/html"],
      ["/static/app.js", "text/javascript"],
      ["/static/markdown.js", "text/javascript"],
      ["/static/dom.js", "text/javascript"],
      ["/static/state.js", "text/javascript"],
      ["/static/question_view.js", "text/javascript"],
      ["/static/disagreement_view.js", "text/javascript"],
      ["/static/style.css", "text/css"],
    ]
  ) {
    await t.step(`${path} is ${type}`, async () => {
      const { status, headers, body } = await get(path!);
      assert.equal(status, 200);
      assert.ok(headers.get("content-type")!.startsWith(type!));
      assert.match(headers.get("content-security-policy")!, /script-src 'self'/);
      assert.equal(headers.get("x-content-type-options"), "nosniff");
      assert.ok(String(body).length > 100);
    });
  }

  await t.step("the page loads nothing from other hosts and never parses HTML", async () => {
    const html = (await get("/")).body as string;
    assert.doesNotMatch(html, /https?:\/\//);
    for (const name of ["app", "state", "dom", "markdown", "question_view", "disagreement_view"]) {
      const script = (await get(`/static/${name}.js`)).body as string;
      assert.doesNotMatch(script, /https?:\/\//, name);
      assert.doesNotMatch(
        script,
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/,
        name,
      );
    }
  });
});

Deno.test("createBrowseHandler() on the shared data root", onSharedData, async (t) => {
  const shared = createBrowseHandler(new BrowseStore(SHARED_DATA));
  const json = async (path: string) => {
    const response = await shared(new Request(`http://127.0.0.1${path}`));
    assert.equal(response.status, 200, path);
    return await response.json();
  };

  await t.step("lists 32 mt_bench models: 31 answer files and vicuna-13b-v1.2", async () => {
    const info = await json("/api/bench?bench=mt_bench") as BenchInfo;
    assert.equal(info.questions.length, 80);
    assert.equal(info.models.filter((model) => model.answerFile).length, 31);
    assert.deepEqual(
      info.models.filter((model) => !model.answerFile).map((model) => model.name),
      ["vicuna-13b-v1.2"],
    );
    assert.deepEqual(
      info.models.filter((model) => model.earlierFile).map((model) => model.name),
      ["claude-v1", "gpt-4", "vicuna-13b-v1.3", "vicuna-33b-v1.3", "vicuna-7b-v1.3"],
    );
  });

  await t.step("shows gpt-4 as the humans saw it (the earlier answers)", async () => {
    const view = await json(
      "/api/question?bench=mt_bench&question=115&model=gpt-4&model=vicuna-13b-v1.2",
    ) as QuestionView;
    const gpt4 = view.answers[0]!;
    assert.equal(gpt4.preferred, "voted");
    const bySource = new Map(gpt4.versions.map((version) => [version.source, version.turns]));
    assert.deepEqual(bySource.get("voted"), bySource.get("earlier"));
    assert.notDeepEqual(bySource.get("voted"), bySource.get("file"));
    assert.deepEqual(view.answers[1]!.versions.map((version) => version.source), ["voted"]);
    assert.ok(view.votes.length > 0);
  });

  await t.step("gpt4-pair vs human agreement totals are FastChat's", async () => {
    const base = "/api/disagreements?bench=mt_bench&judge=gpt4-pair&judge=human";
    const expected: [string, number, number][] = [
      ["&turn=1", 886, 1343],
      ["&turn=1&ties=0", 727, 859],
      ["&turn=2", 871, 1325],
      ["&turn=2&ties=0", 731, 864],
    ];
    for (const [filter, agree, total] of expected) {
      const list = await json(base + filter) as DisagreementList;
      assert.deepEqual([list.agree, list.total], [agree, total], filter);
    }
    const humans = await json(
      "/api/disagreements?bench=mt_bench&judge=human&judge=human&turn=1",
    ) as DisagreementList;
    assert.deepEqual([humans.agree, humans.total], [454, 721]);
  });
});
