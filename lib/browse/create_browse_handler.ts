import { DataError } from "../data/data_error.ts";
import { toApiError } from "./_api_error.ts";
import { BrowseRequestError } from "./browse_request_error.ts";
import type { BrowseStore } from "./browse_store.ts";

/** Options for {@linkcode createBrowseHandler}. */
export interface BrowseHandlerOptions {
  /**
   * Host names (without port) accepted in the `Host` header; other requests get
   * 403. Guards a loopback server against DNS rebinding.
   * @default {undefined} (any host)
   */
  allowedHosts?: readonly string[];
  /**
   * Called with unexpected errors (answered with 500), e.g. to log them.
   * @default {undefined}
   */
  onError?: (error: unknown, request: Request) => void;
}

/** The page's files, served from `lib/browse/static/`. */
const STATIC_FILES: Readonly<Record<string, string>> = {
  "/": "index.html",
  "/static/app.js": "app.js",
  "/static/state.js": "state.js",
  "/static/dom.js": "dom.js",
  "/static/markdown.js": "markdown.js",
  "/static/question_view.js": "question_view.js",
  "/static/disagreement_view.js": "disagreement_view.js",
  "/static/style.css": "style.css",
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/**
 * The page may load only its own scripts and styles and talk only to this
 * server: an injected `<script>` or inline event handler would not run even if
 * model output reached the DOM as HTML (the page never does that).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/**
 * The QA browser's HTTP handler: the page (`/`, `/static/*`) and its JSON API.
 *
 * - `GET /api/benches`: the benches of the data root;
 * - `GET /api/bench?bench=B`: its questions, categories, models, judgment files, judges;
 * - `GET /api/question?bench=B&question=Q&model=M[&model=M2]`: the question, answers
 *   (every version), references and human votes;
 * - `GET /api/judgments?bench=B&question=Q&model=M[&model=M2]`: each judgment file's
 *   records on it;
 * - `GET /api/disagreements?bench=B&judge=J1&judge=J2[&turn=1|2][&ties=0][&category=C][&limit=N]`.
 *
 * Errors are JSON `{ "error": { kind, message, file?, line?, field? } }`: 400 for a
 * bad parameter, 404 for an unknown name, 422 for a bad or missing data file
 * (the message names the file, line and field), 500 otherwise. The handler never
 * throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BrowseStore, createBrowseHandler } from "./mod.ts";
 * const root = await Deno.makeTempDir();
 * const handler = createBrowseHandler(new BrowseStore(root));
 * const response = await handler(new Request("http://127.0.0.1/api/benches"));
 * const body = await response.json();
 * assert.equal(response.status, 200);
 * assert.equal(body.benches.length, 0);
 * ```
 */
export function createBrowseHandler(
  store: BrowseStore,
  options: BrowseHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const staticFiles = new Map<string, Promise<string>>();
  const readStatic = (name: string) => {
    let text = staticFiles.get(name);
    if (text === undefined) {
      text = Deno.readTextFile(new URL(`./static/${name}`, import.meta.url));
      staticFiles.set(name, text);
    }
    return text;
  };
  const allowed = options.allowedHosts === undefined ? undefined : new Set(options.allowedHosts);

  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    try {
      if (allowed !== undefined && !allowed.has(hostName(request, url))) {
        return json({ error: { kind: "request", message: "host not allowed" } }, 403);
      }
      if (request.method !== "GET" && request.method !== "HEAD") {
        return json(
          { error: { kind: "request", message: `method ${request.method} not allowed` } },
          405,
          {
            allow: "GET, HEAD",
          },
        );
      }
      const file = STATIC_FILES[url.pathname];
      if (file !== undefined) {
        const type = CONTENT_TYPES[file.split(".").pop()!]!;
        return new Response(await readStatic(file), {
          headers: { ...SECURITY_HEADERS, "content-type": type, "cache-control": "no-cache" },
        });
      }
      if (url.pathname.startsWith("/api/")) return json(await api(store, url));
      return json({ error: { kind: "not_found", message: `no such page: ${url.pathname}` } }, 404);
    } catch (error) {
      const body = { error: toApiError(error) };
      if (error instanceof BrowseRequestError) return json(body, error.status);
      if (error instanceof DataError) return json(body, 422);
      options.onError?.(error, request);
      return json(body, 500);
    }
  };
}

async function api(store: BrowseStore, url: URL): Promise<unknown> {
  const params = url.searchParams;
  switch (url.pathname) {
    case "/api/benches":
      return await store.benches();
    case "/api/bench":
      return await store.benchInfo(required(params, "bench"));
    case "/api/question":
      return await store.questionView(
        required(params, "bench"),
        required(params, "question"),
        params.getAll("model").filter((model) => model !== ""),
      );
    case "/api/judgments":
      return await store.judgmentsView(
        required(params, "bench"),
        required(params, "question"),
        params.getAll("model").filter((model) => model !== ""),
      );
    case "/api/disagreements": {
      const judges = params.getAll("judge");
      if (judges.length !== 2) {
        throw new BrowseRequestError(
          "request",
          `expected 2 "judge" parameters, got ${judges.length}: ${JSON.stringify(judges)}`,
        );
      }
      const turn = params.get("turn") ?? "";
      if (turn !== "" && turn !== "1" && turn !== "2") {
        throw new BrowseRequestError(
          "request",
          `expected "turn" to be 1 or 2, got ${JSON.stringify(turn)}`,
        );
      }
      const ties = params.get("ties") ?? "1";
      if (ties !== "0" && ties !== "1") {
        throw new BrowseRequestError(
          "request",
          `expected "ties" to be 0 or 1, got ${JSON.stringify(ties)}`,
        );
      }
      const limitText = params.get("limit") ?? "500";
      const limit = Number(limitText);
      if (!Number.isInteger(limit) || limit < 0) {
        throw new BrowseRequestError(
          "request",
          `expected "limit" to be a whole number, got ${JSON.stringify(limitText)}`,
        );
      }
      const category = params.get("category") ?? "";
      return await store.disagreements(required(params, "bench"), {
        judges: [judges[0]!, judges[1]!],
        noTies: ties === "0",
        turn: turn === "" ? undefined : Number(turn),
        category: category === "" ? undefined : category,
        limit,
      });
    }
    default:
      throw new BrowseRequestError("not_found", `no such API endpoint: ${url.pathname}`);
  }
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === "") {
    throw new BrowseRequestError("request", `missing query parameter "${name}"`);
  }
  return value;
}

/** The host the client asked for: the `Host` header (Deno.serve builds the URL from it). */
function hostName(request: Request, url: URL): string {
  const host = request.headers.get("host");
  if (host === null) return url.hostname;
  return new URL(`http://${host}`).hostname;
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      ...SECURITY_HEADERS,
      ...headers,
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
    },
  });
}
