/**
 * The disagreement view: the keys (question, turn, model pair) on which two
 * judges disagree, each linked to the pairwise question view.
 * @module
 */
import { h } from "./dom.js";
import { api, DEFAULTS, disagreementParams, go, stateUrl } from "./state.js";

/** Renders the disagreement view into `main`; `page` as for renderQuestion. */
export async function renderDisagreements(main, state, info, page) {
  const judges = info.judges;
  if (judges.length === 0) {
    main.replaceChildren(
      h("p", {
        class: "empty",
        text:
          `Bench ${info.bench} has no judges to compare: no judgment files under model_judgment/ and no human-judgment data.`,
      }),
    );
    return;
  }
  const names = judges.map((judge) => judge.name);
  if (!names.includes(state.j1) || !names.includes(state.j2)) {
    const j1 = names.includes(state.j1) ? state.j1 : names[0];
    const j2 = names.includes(state.j2) ? state.j2 : names.find((name) => name !== j1) ?? j1;
    return go({ j1, j2 }, { replace: true });
  }
  document.title = `Disagreements · ${state.j1} vs ${state.j2} · ${info.bench}`;
  const judgeSelect = (id, key) => {
    const select = h(
      "select",
      { id, onchange: (event) => go({ [key]: event.target.value }) },
      judges.map((judge) => h("option", { value: judge.name, text: judge.label })),
    );
    select.value = state[key];
    return select;
  };
  const choice = (id, key, options) => {
    const select = h(
      "select",
      { id, onchange: (event) => go({ [key]: event.target.value }) },
      options.map(([value, text]) => h("option", { value, text })),
    );
    select.value = state[key];
    return select;
  };
  const controls = h(
    "div",
    { class: "controls" },
    h("label", { class: "field" }, "Judge 1", judgeSelect("judge-1", "j1")),
    h("label", { class: "field" }, "Judge 2", judgeSelect("judge-2", "j2")),
    h(
      "label",
      { class: "field" },
      "Turn",
      choice("turn", "turn", [["", "Both"], ["1", "1"], ["2", "2"]]),
    ),
    h(
      "label",
      { class: "field" },
      "Ties",
      choice("ties", "ties", [["1", "Count ties"], ["0", "Leave ties out"]]),
    ),
    h(
      "label",
      { class: "field" },
      "Category",
      choice("dis-category", "cat", [
        ["", "All"],
        ...info.categories.map((category) => [category, category]),
      ]),
    ),
  );
  const content = h(
    "section",
    { class: "content wide" },
    controls,
    h("p", { class: "loading", text: "Loading…" }),
  );
  main.replaceChildren(content);
  const result = await api("disagreements", disagreementParams(state));
  if (page.stale()) return;
  content.querySelector(".loading")?.remove();
  const percent = result.total === 0 ? "n/a" : `${(100 * result.agree / result.total).toFixed(1)}%`;
  content.append(
    h(
      "p",
      { class: "summary", id: "disagreement-summary" },
      `${result.judges[0]} vs ${
        result.judges[1]
      }: ${result.keys} keys (question, turn, model pair) judged by both; `,
      `agreement ${result.agree}/${result.total} vote pairs (${percent}); `,
      h("strong", { text: `${result.rows.length + result.truncated} keys with a disagreement` }),
      result.truncated > 0 ? ` (the first ${result.rows.length} shown)` : "",
      ".",
    ),
  );
  if (result.rows.length === 0) {
    content.append(h("p", { class: "empty", text: "No disagreements with these filters." }));
    return;
  }
  const counts = (votes) =>
    [["model_a", votes.model_a], ["model_b", votes.model_b], ["tie", votes.tie]]
      .filter(([, count]) => count > 0);
  const verdictCell = (votes, row) =>
    h(
      "td",
      { class: "verdict" },
      counts(votes).map(([key, count]) =>
        h("span", {
          class: `chip chip-${key}`,
          text: `${key === "tie" ? "tie" : row[key]}${count > 1 ? ` ×${count}` : ""}`,
        })
      ),
    );
  const rows = result.rows.map((row) => {
    const href = stateUrl({
      ...DEFAULTS,
      bench: state.bench,
      q: String(row.question_id),
      a: row.model_a,
      b: row.model_b,
    }) + `#turn-${row.turn}`;
    return h(
      "tr",
      { class: "disagreement", "data-question": row.question_id },
      h("td", {}, h("a", { href, text: String(row.question_id) })),
      h("td", { text: row.category }),
      h("td", { text: String(row.turn) }),
      h("td", {}, h("a", { href, text: `${row.model_a} vs ${row.model_b}` })),
      verdictCell(row.votes[0], row),
      verdictCell(row.votes[1], row),
      h("td", { class: "num", text: `${row.agree}/${row.total}` }),
    );
  });
  content.append(
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "disagreements" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            [
              "Question",
              "Category",
              "Turn",
              "Models",
              result.judges[0],
              result.judges[1],
              "Agreeing pairs",
            ].map((text) => h("th", { text })),
          ),
        ),
        h("tbody", {}, rows),
      ),
    ),
  );
}
