import { BrowseStore } from "./browse_store.ts";
import { createBrowseHandler } from "./create_browse_handler.ts";

/** Options for {@linkcode serveBrowse}. */
export interface ServeBrowseOptions {
  /**
   * Address to bind. On a loopback address only `localhost`, `127.0.0.1` and
   * `[::1]` are accepted in the `Host` header (against DNS rebinding).
   * @default {"127.0.0.1"}
   */
  hostname?: string;
  /**
   * Port; 0 picks a free one.
   * @default {7860}
   */
  port?: number;
  /**
   * Bench the human-judgment votes belong to.
   * @default {"mt_bench"}
   */
  humanBench?: string;
  /**
   * Output root, read before the data root (see `BrowseStoreOptions.outputRoot`).
   * @default {the data root}
   */
  outputRoot?: string | undefined;
  /**
   * Stops the server when aborted.
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * Called with unexpected errors (answered with 500).
   * @default {undefined}
   */
  onError?: (error: unknown, request: Request) => void;
}

/** A running QA browser. */
export interface BrowseServer {
  /** The page's address, e.g. `http://127.0.0.1:7860/`. */
  url: string;
  /** The store behind it (for warming caches or tests). */
  store: BrowseStore;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /** Stops the server. */
  shutdown(): Promise<void>;
}

const LOOPBACK = ["127.0.0.1", "localhost", "::1", "[::1]"];

/**
 * Starts the QA browser on a data root with `Deno.serve`; see
 * {@linkcode createBrowseHandler} for the routes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveBrowse } from "./serve_browse.ts";
 * const root = await Deno.makeTempDir();
 * const server = serveBrowse(root, { port: 0 });
 * const response = await fetch(new URL("api/benches", server.url));
 * assert.equal((await response.json()).benches.length, 0);
 * await server.shutdown();
 * ```
 */
export function serveBrowse(root: string, options: ServeBrowseOptions = {}): BrowseServer {
  const hostname = options.hostname ?? "127.0.0.1";
  const store = new BrowseStore(root, {
    humanBench: options.humanBench,
    outputRoot: options.outputRoot,
  });
  const handler = createBrowseHandler(store, {
    allowedHosts: LOOPBACK.includes(hostname) ? ["127.0.0.1", "localhost", "[::1]"] : undefined,
    onError: options.onError,
  });
  const server = Deno.serve({
    hostname,
    port: options.port ?? 7860,
    signal: options.signal,
    onListen: () => {},
  }, handler);
  const address = server.addr;
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return {
    url: `http://${host}:${address.port}/`,
    store,
    finished: server.finished,
    shutdown: () => server.shutdown(),
  };
}
