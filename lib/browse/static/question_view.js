/**
 * The question view: the question list, the model and version pickers, and per
 * turn the prompt, reference, answers, judgment records and human votes.
 * @module
 */
import { h, markdown } from "./dom.js";
import { api, go, questionParams, stateUrl } from "./state.js";

const VERSION_LABELS = {
  file: "model_answer",
  earlier: "model_answer_earlier",
  voted: "as the human judges saw it",
};

const GROUP_LABELS = {
  "gpt4-pair": "GPT-4 pair",
  human: "Experts",
  author: "Authors",
  other: "Other",
};

function modelOption(model) {
  const notes = [];
  if (!model.answerFile) notes.push(model.earlierFile ? "earlier answers only" : "votes only");
  else if (model.voted) notes.push("human votes");
  const label = notes.length > 0 ? `${model.name} (${notes.join(", ")})` : model.name;
  return h("option", { value: model.name, text: label });
}

/**
 * Renders the question view into `main`. `page.stale()` says a newer view has
 * started (stop); `page.shown()` is called once the answers are on screen.
 */
export async function renderQuestion(main, state, info, page) {
  if (info.questions.length === 0) {
    main.replaceChildren(h("p", { class: "empty", text: `Bench ${info.bench} has no questions.` }));
    return;
  }
  const names = info.models.map((model) => model.name);
  const question = info.questions.find((item) => String(item.question_id) === state.q);
  if (question === undefined || (state.a !== "" && !names.includes(state.a))) {
    const changes = {};
    if (question === undefined) changes.q = String(info.questions[0].question_id);
    if (state.a === "" || !names.includes(state.a)) {
      // The store's pick: a pair with judgments on the first question.
      const [first = names[0] ?? "", second = ""] = info.defaultModels ?? [];
      changes.a = first;
      if (state.b === "" || !names.includes(state.b) || state.b === changes.a) {
        changes.b = second !== "" ? second : names.find((name) => name !== first) ?? "";
      }
    }
    return go(changes, { replace: true });
  }
  const models = [state.a, state.b].filter((name, index, all) =>
    name !== "" && names.includes(name) && all.indexOf(name) === index
  );
  document.title = `Q${state.q} · ${models.join(" vs ")} · ${info.bench}`;

  const layout = h(
    "div",
    { class: "layout" },
    questionList(state, info),
    h("section", { class: "content", id: "content" }),
  );
  const content = layout.querySelector("#content");
  content.append(
    questionControls(state, info, models),
    h("p", { class: "loading", text: "Loading…" }),
  );
  main.replaceChildren(layout);
  layout.querySelector(".qlist a.current")?.scrollIntoView({ block: "nearest" });

  // The answers show as soon as they arrive; the judgments (large files) fill in after.
  const params = questionParams(state, models);
  const viewRequest = api("question", params);
  const judgmentsRequest = api("judgments", params).catch((error) => ({ error }));
  const view = await viewRequest;
  if (page.stale()) return;
  content.querySelector(".loading")?.remove();
  content.append(...questionBody(state, info, view));
  page.shown();
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  const judgments = await judgmentsRequest;
  if (page.stale()) return;
  fillJudgments(content, view, judgments);
}

function questionList(state, info) {
  const categories = info.categories;
  const select = h(
    "select",
    {
      id: "category",
      "aria-label": "Category",
      onchange: (event) => go({ cat: event.target.value }),
    },
    h("option", { value: "", text: `All categories (${info.questions.length})` }),
    categories.map((category) => h("option", { value: category, text: category })),
  );
  select.value = state.cat;
  const shown = info.questions.filter((item) => state.cat === "" || item.category === state.cat);
  const items = shown.map((item) => {
    const id = String(item.question_id);
    const link = h(
      "a",
      {
        href: stateUrl({ ...state, q: id }),
        class: id === state.q ? "current" : undefined,
        "data-question": id,
        title: item.preview,
      },
      h("span", { class: "qid", text: id }),
      h("span", { class: "cat", text: item.category }),
      h("span", { class: "preview", text: item.preview }),
    );
    return h("li", {}, link);
  });
  return h(
    "aside",
    { class: "sidebar" },
    h("label", { class: "field" }, "Category", select),
    h("ol", { class: "qlist" }, items),
  );
}

function questionControls(state, info, models) {
  const modelA = h(
    "select",
    { id: "model-a", onchange: (event) => go({ a: event.target.value }) },
    info.models.length === 0
      ? h("option", { value: "", text: "— no models —" })
      : info.models.map(modelOption),
  );
  modelA.value = state.a;
  const modelB = h(
    "select",
    { id: "model-b", onchange: (event) => go({ b: event.target.value }) },
    h("option", { value: "", text: "— none (single view) —" }),
    info.models.map(modelOption),
  );
  modelB.value = models.includes(state.b) ? state.b : "";
  const version = h(
    "select",
    { id: "version", onchange: (event) => go({ v: event.target.value }) },
    h("option", { value: "auto", text: "Auto: what the human judges saw" }),
    Object.entries(VERSION_LABELS).map(([value, label]) => h("option", { value, text: label })),
  );
  version.value = state.v;
  const index = info.questions.findIndex((item) => String(item.question_id) === state.q);
  const neighbour = (offset) => {
    const target = info.questions[index + offset];
    return target === undefined
      ? h("span", { class: "button disabled", text: offset < 0 ? "← Prev" : "Next →" })
      : h("a", {
        class: "button",
        href: stateUrl({ ...state, q: String(target.question_id) }),
        text: offset < 0 ? "← Prev" : "Next →",
      });
  };
  const swap = state.b !== ""
    ? h("a", {
      class: "button",
      id: "swap",
      href: stateUrl({ ...state, a: state.b, b: state.a }),
      text: "⇄ Swap",
    })
    : null;
  return h(
    "div",
    { class: "controls" },
    h("label", { class: "field" }, "Model A", modelA),
    h("label", { class: "field" }, "Model B", modelB),
    swap,
    h("label", { class: "field" }, "Answer version", version),
    h("span", { class: "spacer" }),
    neighbour(-1),
    neighbour(1),
  );
}

function questionBody(state, info, view) {
  const question = view.question;
  const out = [];
  out.push(
    h(
      "h2",
      { class: "question-title" },
      `Question ${question.question_id} `,
      h("span", { class: "badge", text: question.category }),
      view.answers.length === 2
        ? h("span", {
          class: "subtitle",
          text: `${view.answers[0].model} vs ${view.answers[1].model}`,
        })
        : null,
    ),
  );
  out.push(
    h("div", { id: "judgment-status" }, h("p", { class: "note", text: "Loading judgments…" })),
  );
  for (const warning of view.warnings) {
    out.push(h("div", { class: "warning", text: warning.message }));
  }
  const shown = view.answers.map((answer) => pickVersion(answer, state.v));
  for (let turn = 1; turn <= question.turns.length; turn++) {
    out.push(turnSection(turn, question, view, shown));
  }
  if (view.answers.length === 0) {
    const text = info.models.length === 0
      ? `No answers to show: ${info.bench}/model_answer/ has no answer files.`
      : "Choose a model to see its answer.";
    out.push(h("p", { class: "empty", text }));
  }
  return out;
}

/** Puts the judgment records (and the votes) under each turn once they have arrived. */
function fillJudgments(content, view, judgments) {
  const files = judgments.files ?? [];
  const status = [];
  if (judgments.error) {
    status.push(h("div", { class: "warning", text: `Judgments: ${judgments.error.message}` }));
  } else {
    status.push(h("p", {
      class: "note",
      id: "judgment-files",
      text: files.length === 0
        ? `No judgment files in ${view.bench}/model_judgment/.`
        : `Judgment files: ${files.map((file) => file.name).join(", ")}.`,
    }));
  }
  for (const file of files) {
    if (file.error) {
      status.push(h("div", { class: "warning", text: `${file.name}: ${file.error.message}` }));
    }
  }
  content.querySelector("#judgment-status")?.replaceChildren(...status);
  for (const slot of content.querySelectorAll(".verdicts-slot")) {
    const verdicts = verdictsForTurn(Number(slot.dataset.turn), view, judgments);
    slot.replaceChildren(...(verdicts === null ? [] : [verdicts]));
  }
}

/** The version of an answer to show: the one asked for when it exists, else the preferred one. */
function pickVersion(answer, wanted) {
  const versions = answer.versions;
  const chosen = versions.find((version) => version.source === wanted) ??
    versions.find((version) => version.source === answer.preferred) ?? null;
  return {
    answer,
    version: chosen,
    fallback: wanted !== "auto" && chosen !== null && chosen.source !== wanted,
  };
}

function turnSection(turn, question, view, shown) {
  const section = h("section", { class: "turn", id: `turn-${turn}`, "data-turn": turn });
  section.append(h("h3", {}, h("a", { href: `#turn-${turn}`, text: `Turn ${turn}` })));
  section.append(
    h(
      "div",
      { class: "prompt" },
      h("div", { class: "role", text: "User" }),
      markdown(question.turns[turn - 1]),
    ),
  );
  for (const reference of view.references) {
    const text = reference.turns[turn - 1];
    if (text === undefined) continue;
    section.append(
      h(
        "details",
        { class: "reference" },
        h("summary", { text: `Reference answer (${reference.name})` }),
        markdown(text),
      ),
    );
  }
  if (shown.length > 0) {
    section.append(
      h(
        "div",
        { class: `answers cols-${shown.length}` },
        shown.map((item, index) => answerCard(item, turn, index)),
      ),
    );
  }
  // Votes show at once; judgment records join them when they arrive (fillJudgments).
  const verdicts = verdictsForTurn(turn, view, { files: [] });
  section.append(h("div", { class: "verdicts-slot", "data-turn": turn }, verdicts));
  return section;
}

function answerCard({ answer, version, fallback }, turn, index) {
  const letter = index === 0 ? "A" : "B";
  const card = h("article", {
    class: `answer answer-${letter.toLowerCase()}`,
    "data-model": answer.model,
  });
  const header = h(
    "header",
    {},
    h("span", { class: "letter", text: letter }),
    h("h4", { text: answer.model }),
  );
  card.append(header);
  if (answer.error) card.append(h("div", { class: "warning", text: answer.error.message }));
  if (version === null) {
    card.append(h("p", { class: "empty", text: "No answer to this question." }));
    return card;
  }
  header.append(
    h("span", {
      class: `source source-${version.source}`,
      title: version.path,
      text: VERSION_LABELS[version.source],
    }),
  );
  const file = answer.versions.find((item) => item.source === "file");
  if (
    version.source !== "file" && file !== undefined &&
    file.turns[turn - 1] !== version.turns[turn - 1]
  ) {
    card.append(
      h("p", {
        class: "note",
        text:
          `Differs from model_answer/${answer.model}.jsonl (the current version, which the judgment files may have judged).`,
      }),
    );
  }
  if (fallback) {
    card.append(
      h("p", { class: "note", text: "The version asked for does not exist for this model." }),
    );
  }
  const text = version.turns[turn - 1];
  card.append(
    text === undefined
      ? h("p", { class: "empty", text: "No answer for this turn." })
      : markdown(text, "answer-text"),
  );
  return card;
}

function verdictsForTurn(turn, view, judgments) {
  const models = view.answers.map((answer) => answer.model);
  const blocks = [];
  for (const file of judgments.files ?? []) {
    const records = file.records.filter((record) => record.turn === turn);
    if (records.length === 0) continue;
    blocks.push(
      h(
        "div",
        { class: "judgment-file", "data-file": file.name },
        h("h5", { text: file.name }),
        records.map((record) => judgmentRecord(record, models)),
      ),
    );
  }
  const votes = view.votes.filter((vote) => vote.turn === turn);
  if (votes.length > 0) blocks.push(votesBlock(votes, models));
  if (blocks.length === 0) return null;
  return h("div", { class: "verdicts" }, h("h4", { text: `Verdicts on turn ${turn}` }), blocks);
}

function winnerName(winner, first, second) {
  if (winner === "model_1") return first;
  if (winner === "model_2") return second;
  return winner;
}

function judgmentRecord(record, models) {
  const judge = record.judge.join(" / ");
  if (record.kind === "single") {
    const score = record.score === -1 ? "failed (-1)" : String(record.score);
    return h(
      "details",
      { class: "judgment single", "data-model": record.model, "data-score": record.score },
      h(
        "summary",
        {},
        h("span", { class: "judge", text: judge }),
        h("span", { class: "model", text: record.model }),
        h("span", {
          class: `score ${record.score === -1 ? "failed" : ""}`.trim(),
          text: `Score ${score}`,
        }),
        record.error ? h("span", { class: "failed", text: record.error }) : null,
        h("span", { class: "line", text: `line ${record.line}` }),
      ),
      markdown(record.judgment, "explanation"),
    );
  }
  const g1 = winnerName(record.g1_winner, record.model_1, record.model_2);
  const g2 = winnerName(record.g2_winner, record.model_1, record.model_2);
  const verdict = record.g1_winner === "error" || record.g2_winner === "error"
    ? "error"
    : g1 === g2
    ? g1
    : "tie (inconsistent)";
  const other = models.length === 1
    ? [record.model_1, record.model_2].find((name) => name !== models[0])
    : null;
  return h(
    "details",
    { class: "judgment pair", "data-verdict": verdict },
    h(
      "summary",
      {},
      h("span", { class: "judge", text: judge }),
      other ? h("span", { class: "model", text: `vs ${other}` }) : null,
      h("span", { class: "winner", text: `Winner: ${verdict}` }),
      h("span", { class: "games", text: `game 1: ${g1} · game 2: ${g2}` }),
      record.error ? h("span", { class: "failed", text: record.error }) : null,
      h("span", { class: "line", text: `line ${record.line}` }),
    ),
    h(
      "div",
      { class: "game" },
      h("h6", { text: `Game 1 (A = ${record.model_1}, B = ${record.model_2}): ${g1}` }),
      markdown(record.g1_judgment, "explanation"),
    ),
    h(
      "div",
      { class: "game" },
      h("h6", { text: `Game 2 (A = ${record.model_2}, B = ${record.model_1}): ${g2}` }),
      markdown(record.g2_judgment, "explanation"),
    ),
  );
}

function votesBlock(votes, models) {
  const groups = new Map();
  for (const vote of votes) {
    const key = vote.group;
    if (!groups.has(key)) groups.set(key, new Map());
    const counts = groups.get(key);
    const label = vote.winnerModel ?? "tie";
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const summary = [...groups].map(([group, counts]) =>
    h(
      "div",
      { class: "vote-summary", "data-group": group },
      h("span", { class: "group", text: GROUP_LABELS[group] ?? group }),
      [...counts].map(([label, count]) =>
        h("span", { class: "chip", "data-winner": label, text: `${label} ${count}` })
      ),
    )
  );
  const rows = votes.map((vote) =>
    h(
      "tr",
      { class: "vote", "data-judge": vote.judge },
      h("td", { text: GROUP_LABELS[vote.group] ?? vote.group }),
      h("td", { text: vote.judge }),
      models.length === 1
        ? h("td", { text: vote.model_a === models[0] ? vote.model_b : vote.model_a })
        : null,
      h("td", { class: "vote-winner", text: vote.winnerModel ?? vote.winner }),
    )
  );
  return h(
    "div",
    { class: "votes" },
    h("h5", { text: "Human-judgment data (mt_bench_human_judgments)" }),
    summary,
    h(
      "details",
      { class: "vote-list" },
      h("summary", { text: `${votes.length} vote${votes.length === 1 ? "" : "s"}` }),
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { text: "Group" }),
            h("th", { text: "Judge" }),
            models.length === 1 ? h("th", { text: "Opponent" }) : null,
            h("th", { text: "Winner" }),
          ),
        ),
        h("tbody", {}, rows),
      ),
    ),
  );
}
