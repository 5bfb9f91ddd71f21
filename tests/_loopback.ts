/** A server on 127.0.0.1 at a free port, for the tests' mock services. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Aborted when the server closes (for handlers that wait). */
  signal: AbortSignal;
  /** Stops the server and waits until it has finished. */
  close(): Promise<void>;
}

/**
 * Serves `handler` on 127.0.0.1 at a free port, quietly; an exception in the
 * handler is a 500.
 */
export function serveLoopback(handler: Deno.ServeHandler): LoopbackServer {
  const controller = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen: () => {},
    onError: () => new Response("internal error", { status: 500 }),
  }, handler);
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    signal: controller.signal,
    async close() {
      controller.abort();
      await server.finished;
    },
  };
}
