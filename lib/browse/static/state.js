/**
 * The QA browser's state and data: the view lives in the URL's query string
 * (`readState`, `stateUrl`, `go`), the data comes from the JSON API (`api`,
 * `loadBench`, `prefetch`).
 * @module
 */

/** Query parameters that make up a view, with their defaults. */
export const DEFAULTS = {
  view: "question",
  bench: "",
  q: "",
  a: "",
  b: "",
  cat: "",
  v: "auto",
  j1: "",
  j2: "",
  turn: "",
  ties: "1",
};

/** Bench infos already fetched, by name. */
const benchCache = new Map();

/** Renders the current URL's view; set by the entry module (see onNavigate). */
let renderView = () => {};

/** Registers the function that renders the view after `go` changes the URL. */
export function onNavigate(render) {
  renderView = render;
}

export function readState() {
  const params = new URLSearchParams(location.search);
  const state = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    const value = params.get(key);
    if (value !== null) state[key] = value;
  }
  return state;
}

/** The query string of a state, leaving out defaults. */
export function stateUrl(state) {
  const params = new URLSearchParams();
  const keys = state.view === "disagree"
    ? ["view", "bench", "j1", "j2", "turn", "ties", "cat"]
    : ["bench", "q", "a", "b", "cat", "v"];
  for (const key of keys) {
    const value = state[key];
    if (value !== undefined && value !== "" && value !== DEFAULTS[key]) params.set(key, value);
  }
  if (state.view === "disagree") params.set("view", "disagree");
  return `?${params.toString()}`;
}

/** Moves to a new state: records it in the history and renders it. */
export function go(changes, { replace = false, hash = "" } = {}) {
  const state = { ...readState(), ...changes };
  const url = stateUrl(state) + hash;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  renderView();
}

export class ApiError extends Error {
  constructor(body, status) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.detail = body?.error;
  }
}

function apiUrl(path, params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== "") search.append(key, item);
    }
  }
  return `/api/${path}?${search}`;
}

/** Requests started before they were needed (see prefetch), by URL; each is used once. */
const prefetched = new Map();

/** Starts the requests a view will make, so they run in parallel with the ones before them. */
export function prefetch(state) {
  prefetched.clear(); // requests of an earlier view are not reused later, when they may be stale
  const start = (path, params) => {
    const url = apiUrl(path, params);
    if (prefetched.has(url)) return;
    const request = fetchJson(url);
    request.catch(() => {});
    prefetched.set(url, request);
  };
  if (state.bench === "") return;
  loadBench(state.bench).catch(() => {});
  if (state.view === "disagree") {
    if (state.j1 !== "" && state.j2 !== "") start("disagreements", disagreementParams(state));
  } else if (state.q !== "" && state.a !== "") {
    const params = questionParams(state, [state.a, state.b]);
    start("question", params);
    start("judgments", params);
  }
}

export function questionParams(state, models) {
  const unique = models.filter((name, index) => name !== "" && models.indexOf(name) === index);
  return { bench: state.bench, question: state.q, model: unique };
}

export function disagreementParams(state) {
  return {
    bench: state.bench,
    judge: [state.j1, state.j2],
    turn: state.turn,
    ties: state.ties,
    category: state.cat,
  };
}

export async function api(path, params = {}) {
  const url = apiUrl(path, params);
  const early = prefetched.get(url);
  if (early !== undefined) {
    prefetched.delete(url);
    return await early;
  }
  return await fetchJson(url);
}

async function fetchJson(url) {
  const response = await fetch(url);
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(body, response.status);
  return body;
}

export async function loadBench(bench) {
  if (!benchCache.has(bench)) {
    const promise = api("bench", { bench });
    benchCache.set(bench, promise);
    promise.catch(() => benchCache.delete(bench));
  }
  return await benchCache.get(bench);
}
