/**
 * The QA browser page's entry: renders the view the URL describes (the question
 * view or the disagreement view) from the JSON API, and keeps the URL and the
 * page in step (links, menus, back and forward). Every element is built with
 * `createElement`/`textContent` (see dom.js); model output goes through the
 * Markdown parser in markdown.js and is never parsed as HTML. The query string
 * holds the whole view, so a view can be shared by copying the address.
 * @module
 */
import { h } from "./dom.js";
import { api, go, loadBench, onNavigate, prefetch, readState, stateUrl } from "./state.js";
import { renderQuestion } from "./question_view.js";
import { renderDisagreements } from "./disagreement_view.js";

/** Performance marks already set: `content` (first view on screen), `ready` (fully rendered). */
const marks = new Set();

function markOnce(name) {
  if (marks.has(name)) return;
  marks.add(name);
  performance.mark(name);
}

let benchList = null;
let renderCount = 0;

const main = document.getElementById("main");
const errorBox = document.getElementById("error");
const benchSelect = document.getElementById("bench");
const status = document.getElementById("status");

function showError(error) {
  errorBox.hidden = false;
  errorBox.replaceChildren(
    h("strong", { text: error?.detail?.kind === "data" ? "Bad data: " : "Error: " }),
    h("span", { class: "error-message", text: error?.message ?? String(error) }),
  );
}

function clearError() {
  errorBox.hidden = true;
  errorBox.replaceChildren();
}

async function render() {
  const ticket = ++renderCount;
  document.body.dataset.ready = "0";
  clearError();
  try {
    prefetch(readState());
    if (benchList === null) benchList = await api("benches");
    const state = readState();
    if (benchList.benches.length === 0) {
      main.replaceChildren(
        h("p", {
          class: "empty",
          text: `No bench found under ${benchList.root}: no folder there has a question.jsonl.`,
        }),
      );
      return;
    }
    if (!benchList.benches.includes(state.bench)) {
      const bench = benchList.benches.includes("mt_bench") ? "mt_bench" : benchList.benches[0];
      return go({ bench, q: "", a: "", b: "" }, { replace: true });
    }
    benchSelect.replaceChildren(
      ...benchList.benches.map((name) => h("option", { value: name, text: name })),
    );
    benchSelect.value = state.bench;
    document.getElementById("tab-question").classList.toggle("active", state.view !== "disagree");
    document.getElementById("tab-disagree").classList.toggle("active", state.view === "disagree");
    document.getElementById("tab-question").href = stateUrl({ ...state, view: "question" });
    document.getElementById("tab-disagree").href = stateUrl({
      ...state,
      view: "disagree",
      cat: "",
    });
    const info = await loadBench(state.bench);
    if (ticket !== renderCount) return;
    const page = {
      stale: () => ticket !== renderCount,
      shown: () => markOnce("content"),
    };
    if (state.view === "disagree") {
      await renderDisagreements(main, state, info, page);
      if (!page.stale()) page.shown();
    } else {
      await renderQuestion(main, state, info, page);
    }
  } catch (error) {
    if (ticket !== renderCount) return;
    showError(error);
  } finally {
    if (ticket === renderCount) {
      document.body.dataset.ready = "1";
      markOnce("ready");
    }
  }
}

document.addEventListener("click", (event) => {
  if (
    event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
    event.shiftKey || event.altKey
  ) return;
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (link === null) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname !== location.pathname) return;
  if (url.search === location.search && url.hash !== "") return;
  event.preventDefault();
  history.pushState(null, "", url.search + url.hash);
  render().then(() => {
    if (url.hash !== "") return;
    // The panes scroll, not the page (see style.css), except in one column.
    main.scrollTo(0, 0);
    globalThis.scrollTo(0, 0);
  });
});

document.addEventListener("keydown", (event) => {
  if (
    event.target instanceof HTMLElement &&
    ["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName)
  ) return;
  if (event.key !== "j" && event.key !== "k") return;
  const link = document.querySelector(".qlist a.current")?.parentElement
    ?.[event.key === "j" ? "nextElementSibling" : "previousElementSibling"]
    ?.querySelector("a");
  link?.click();
});

benchSelect.addEventListener(
  "change",
  () => go({ bench: benchSelect.value, q: "", a: "", b: "", cat: "", j1: "", j2: "" }),
);
onNavigate(render);
globalThis.addEventListener("popstate", () => render());
status.textContent = "";
render();
