/**
 * The QA browser (`deno task browse`), FastChat's `qa_browser.py` without
 * Python: a `Deno.serve` server with a JSON API and a dependency-free page to
 * read questions, answers (every version, including the ones the human judges
 * saw), references, judge explanations and human votes, one model or two side
 * by side, and to list where two judges disagree.
 *
 * The page renders model output through a small Markdown parser into DOM nodes
 * with `textContent` only, and the server sends a Content-Security-Policy that
 * allows no inline script, so answers cannot run code in the page.
 *
 * @example Serve a data root on a free port and read the bench list
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveBrowse } from "./mod.ts";
 * const server = serveBrowse(await Deno.makeTempDir(), { port: 0 });
 * const { benches } = await (await fetch(`${server.url}api/benches`)).json();
 * assert.ok(Array.isArray(benches));
 * await server.shutdown();
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./browse_request_error.ts";
export * from "./build_question_view.ts";
export * from "./select_judgments.ts";
export * from "./find_disagreements.ts";
export * from "./browse_store.ts";
export * from "./create_browse_handler.ts";
export * from "./serve_browse.ts";
