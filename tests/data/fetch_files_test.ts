import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { type FetchEntry, fetchFiles, type FetchProgress } from "../../lib/data/fetch_files.ts";
import { FetchError } from "../../lib/data/fetch_error.ts";
import { tempDir } from "../_temp.ts";

/** Deterministic content of a given size. */
function content(size: number, seed = 7): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 31 + seed) % 251;
  return bytes;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

interface Seen {
  path: string;
  range: string | null;
}

/** A loopback server; `handler` gets the request and its 1-based number. */
function serve(handler: (request: Request, count: number) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    seen.push({ path: new URL(request.url).pathname, range: request.headers.get("range") });
    return handler(request, seen.length);
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    seen,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** Serves `bytes`, honouring `Range: bytes=N-`. */
function rangeResponse(request: Request, bytes: Uint8Array<ArrayBuffer>): Response {
  const match = /^bytes=(\d+)-$/.exec(request.headers.get("range") ?? "");
  if (match === null) return new Response(bytes);
  const start = Number(match[1]);
  if (start >= bytes.length) return new Response(null, { status: 416 });
  return new Response(bytes.slice(start), {
    status: 206,
    headers: { "content-range": `bytes ${start}-${bytes.length - 1}/${bytes.length}` },
  });
}

const noSleep = (_ms: number) => Promise.resolve();

Deno.test("fetchFiles() downloads and verifies", async (t) => {
  const body = content(50_000);
  await using server = serve((request) => rangeResponse(request, body));
  const entry = (path: string, sha?: string): FetchEntry => ({
    path,
    url: `${server.base}/${path}`,
    sha256: sha,
  });

  await t.step("fetchFiles() saves a file whose checksum matches and records it", async () => {
    const root = await tempDir();
    const report = await fetchFiles([entry("mt_bench/question.jsonl", sha256(body))], root);
    assert.equal(report.downloaded.length, 1);
    assert.deepEqual(report.failed, []);
    assert.deepEqual(await Deno.readFile(join(root, "mt_bench/question.jsonl")), body);
    await assert.rejects(
      Deno.stat(join(root, "mt_bench/question.jsonl.part")),
      Deno.errors.NotFound,
    );
    const record = JSON.parse(await Deno.readTextFile(join(root, ".llm-judge-fetch.json")));
    assert.equal(record.files["mt_bench/question.jsonl"].sha256, sha256(body));
    assert.equal(record.files["mt_bench/question.jsonl"].pinned, true);
  });

  await t.step("fetchFiles() records the sha256 of a file with no pinned checksum", async () => {
    const root = await tempDir();
    const report = await fetchFiles([entry("judgments/gpt-4_single.jsonl")], root);
    assert.equal(report.downloaded[0]!.sha256, sha256(body));
    assert.equal(report.downloaded[0]!.pinned, false);
    const record = JSON.parse(await Deno.readTextFile(join(root, ".llm-judge-fetch.json")));
    assert.equal(record.files["judgments/gpt-4_single.jsonl"].sha256, sha256(body));
  });

  await t.step("fetchFiles() reports a checksum mismatch and leaves no file behind", async () => {
    const root = await tempDir();
    const wrong = "0".repeat(64);
    const report = await fetchFiles(
      [entry("a.jsonl", wrong), entry("b.jsonl", sha256(body))],
      root,
    );
    assert.equal(report.failed.length, 1);
    const error = report.failed[0]!.error;
    assert.equal(error.kind, "checksum");
    assert.equal(error.expected, wrong);
    assert.equal(error.actual, sha256(body));
    assert.match(error.message, /"a\.jsonl"/);
    assert.match(error.message, new RegExp(`expected sha256 ${wrong}, got ${sha256(body)}`));
    await assert.rejects(Deno.stat(join(root, "a.jsonl")), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(join(root, "a.jsonl.part")), Deno.errors.NotFound);
    assert.equal(report.downloaded[0]!.path, "b.jsonl");
  });

  await t.step("fetchFiles() skips a present file whose checksum matches", async () => {
    const root = await tempDir();
    await Deno.writeFile(join(root, "c.jsonl"), body);
    const before = server.seen.length;
    const report = await fetchFiles([entry("c.jsonl", sha256(body))], root);
    assert.equal(report.skipped.length, 1);
    assert.equal(server.seen.length, before);
  });

  await t.step("fetchFiles() replaces a present file whose checksum differs", async () => {
    const root = await tempDir();
    await Deno.writeTextFile(join(root, "c.jsonl"), "old\n");
    const report = await fetchFiles([entry("c.jsonl", sha256(body))], root);
    assert.equal(report.downloaded.length, 1);
    assert.deepEqual(await Deno.readFile(join(root, "c.jsonl")), body);
  });

  await t.step("fetchFiles() keeps a present unpinned file unless forced", async () => {
    const root = await tempDir();
    await Deno.writeTextFile(join(root, "d.jsonl"), "local\n");
    const kept = await fetchFiles([entry("d.jsonl")], root);
    assert.equal(kept.skipped.length, 1);
    assert.equal(await Deno.readTextFile(join(root, "d.jsonl")), "local\n");
    const forced = await fetchFiles([entry("d.jsonl")], root, { force: true });
    assert.equal(forced.downloaded.length, 1);
    assert.deepEqual(await Deno.readFile(join(root, "d.jsonl")), body);
  });

  await t.step("fetchFiles() rejects a path that leaves the root", async () => {
    await assert.rejects(
      fetchFiles([entry("../escape.jsonl")], await tempDir()),
      TypeError,
    );
  });
});

Deno.test("fetchFiles() resumes from a .part file with a Range request", async (t) => {
  const body = content(80_000);

  await t.step("fetchFiles() appends the 206 answer to an existing .part", async () => {
    await using server = serve((request) => rangeResponse(request, body));
    const root = await tempDir();
    await Deno.writeFile(join(root, "big.jsonl.part"), body.slice(0, 30_000));
    const events: FetchProgress[] = [];
    const report = await fetchFiles(
      [{ path: "big.jsonl", url: `${server.base}/big.jsonl`, sha256: sha256(body) }],
      root,
      { onProgress: (event) => events.push(event) },
    );
    assert.equal(report.downloaded.length, 1);
    assert.deepEqual(server.seen.map((request) => request.range), ["bytes=30000-"]);
    assert.deepEqual(await Deno.readFile(join(root, "big.jsonl")), body);
    const first = events.find((event) => event.type === "progress");
    assert.ok(first !== undefined && first.type === "progress" && first.bytes > 30_000);
  });

  await t.step(
    "fetchFiles() restarts when the server answers a Range request with 200",
    async () => {
      await using server = serve(() => new Response(body));
      const root = await tempDir();
      await Deno.writeFile(join(root, "big.jsonl.part"), body.slice(0, 30_000));
      await fetchFiles(
        [{ path: "big.jsonl", url: `${server.base}/big.jsonl`, sha256: sha256(body) }],
        root,
      );
      assert.deepEqual(await Deno.readFile(join(root, "big.jsonl")), body);
    },
  );

  await t.step("fetchFiles() starts over once when a resumed file fails its checksum", async () => {
    await using server = serve((request) => rangeResponse(request, body));
    const root = await tempDir();
    await Deno.writeFile(join(root, "big.jsonl.part"), content(30_000, 99));
    const report = await fetchFiles(
      [{ path: "big.jsonl", url: `${server.base}/big.jsonl`, sha256: sha256(body) }],
      root,
      { sleep: noSleep },
    );
    assert.equal(report.downloaded.length, 1);
    assert.deepEqual(server.seen.map((request) => request.range), ["bytes=30000-", null]);
    assert.deepEqual(await Deno.readFile(join(root, "big.jsonl")), body);
  });

  await t.step("fetchFiles() resumes after the connection breaks off mid-body", async () => {
    await using server = serve((request, count) => {
      if (count > 1) return rangeResponse(request, body);
      let pulls = 0;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (pulls++ === 0) return controller.enqueue(body.slice(0, 20_000));
          await new Promise((resolve) => setTimeout(resolve, 20));
          controller.error(new Error("expected: the test drops this connection"));
        },
      });
      return new Response(stream, { headers: { "content-length": String(body.length) } });
    });
    const root = await tempDir();
    const report = await fetchFiles(
      [{ path: "big.jsonl", url: `${server.base}/big.jsonl`, sha256: sha256(body) }],
      root,
      { sleep: noSleep },
    );
    assert.deepEqual(report.failed, []);
    assert.equal(server.seen.length, 2);
    assert.match(server.seen[1]!.range ?? "", /^bytes=\d+-$/);
    assert.deepEqual(await Deno.readFile(join(root, "big.jsonl")), body);
  });
});

Deno.test("fetchFiles() retries and fails clearly", async (t) => {
  const body = content(1_000);

  await t.step("fetchFiles() retries 500 twice with growing backoff, then succeeds", async () => {
    await using server = serve((_request, count) =>
      count <= 2 ? new Response("busy", { status: 500 }) : new Response(body)
    );
    const delays: number[] = [];
    const retries: FetchProgress[] = [];
    const report = await fetchFiles(
      [{ path: "x.jsonl", url: `${server.base}/x.jsonl`, sha256: sha256(body) }],
      await tempDir(),
      {
        retryDelayMs: 100,
        random: () => 0.999,
        sleep: (ms) => (delays.push(ms), Promise.resolve()),
        onProgress: (event) => event.type === "retry" && retries.push(event),
      },
    );
    assert.equal(report.downloaded.length, 1);
    assert.equal(server.seen.length, 3);
    assert.equal(retries.length, 2);
    assert.ok(delays[0]! >= 50 && delays[0]! <= 100, `first delay ${delays[0]}`);
    assert.ok(delays[1]! >= 100 && delays[1]! <= 200, `second delay ${delays[1]}`);
  });

  await t.step("fetchFiles() waits as long as Retry-After says on 429", async () => {
    await using server = serve((_request, count) =>
      count === 1
        ? new Response("slow down", { status: 429, headers: { "retry-after": "3" } })
        : new Response(body)
    );
    const delays: number[] = [];
    const report = await fetchFiles(
      [{ path: "x.jsonl", url: `${server.base}/x.jsonl` }],
      await tempDir(),
      { retryDelayMs: 1, sleep: (ms) => (delays.push(ms), Promise.resolve()) },
    );
    assert.equal(report.downloaded.length, 1);
    assert.deepEqual(delays, [3000]);
  });

  await t.step("fetchFiles() gives up after the allowed retries", async () => {
    await using server = serve(() => new Response("down", { status: 503 }));
    const report = await fetchFiles(
      [{ path: "x.jsonl", url: `${server.base}/x.jsonl` }],
      await tempDir(),
      { retries: 2, sleep: noSleep },
    );
    assert.equal(server.seen.length, 3);
    assert.equal(report.failed[0]!.error.kind, "http");
    assert.equal(report.failed[0]!.error.status, 503);
  });

  await t.step("fetchFiles() fails a 404 at once and goes on with the next file", async () => {
    await using server = serve((request) =>
      request.url.endsWith("/missing.jsonl")
        ? new Response("no", { status: 404 })
        : new Response(body)
    );
    const root = await tempDir();
    const report = await fetchFiles(
      [
        { path: "missing.jsonl", url: `${server.base}/missing.jsonl` },
        { path: "ok.jsonl", url: `${server.base}/ok.jsonl` },
      ],
      root,
      { sleep: () => Promise.reject(new Error("a 404 must not be retried")) },
    );
    assert.equal(server.seen.length, 2);
    const error = report.failed[0]!.error;
    assert.equal(error.kind, "http");
    assert.equal(error.status, 404);
    assert.match(error.message, /Cannot download "missing\.jsonl" from http:.*: HTTP 404/);
    await assert.rejects(Deno.stat(join(root, "missing.jsonl")), Deno.errors.NotFound);
    assert.equal(report.downloaded[0]!.path, "ok.jsonl");
  });
});

Deno.test("fetchFiles() stops at once when offline", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const root = await tempDir();
  const started = performance.now();
  const error = await fetchFiles(
    [
      { path: "a.jsonl", url: `http://127.0.0.1:${port}/a.jsonl` },
      { path: "b.jsonl", url: `http://127.0.0.1:${port}/b.jsonl` },
    ],
    root,
    { sleep: () => Promise.reject(new Error("offline must not be retried")) },
  ).then(() => undefined, (error: unknown) => error);
  const elapsed = performance.now() - started;
  assert.ok(error instanceof FetchError, `expected a FetchError, got ${error}`);
  assert.equal(error.kind, "offline");
  assert.match(error.message, new RegExp(`^Cannot reach 127\\.0\\.0\\.1:${port} \\(`));
  assert.match(error.message, /refused/i);
  assert.match(error.message, /local copy with --data-dir DIR or LLM_JUDGE_DATA=DIR/);
  assert.match(error.message, /--mirror URL/);
  assert.ok(elapsed < 1500, `took ${elapsed} ms`);
  await assert.rejects(Deno.stat(join(root, "a.jsonl")), Deno.errors.NotFound);
});

Deno.test("fetchFiles() reads from a mirror and reports progress", async (t) => {
  const body = content(200_000);

  await t.step("fetchFiles() rewrites each URL to <mirror>/<path>", async () => {
    await using server = serve((request) => rangeResponse(request, body));
    const root = await tempDir();
    const report = await fetchFiles(
      [{ path: "mt_bench/question.jsonl", url: "http://upstream.invalid/x/question.jsonl" }],
      root,
      { mirror: `${server.base}/mirror/` },
    );
    assert.equal(report.downloaded[0]!.url, `${server.base}/mirror/mt_bench/question.jsonl`);
    assert.deepEqual(server.seen.map((request) => request.path), [
      "/mirror/mt_bench/question.jsonl",
    ]);
    assert.deepEqual(await Deno.readFile(join(root, "mt_bench/question.jsonl")), body);
  });

  await t.step("fetchFiles() rejects a mirror that is not an http(s) URL", async () => {
    await assert.rejects(
      fetchFiles([], await tempDir(), { mirror: "../shared/data" }),
      /Invalid mirror "\.\.\/shared\/data"/,
    );
  });

  await t.step("fetchFiles() reports increasing byte counts up to the size", async () => {
    await using server = serve(() => {
      const chunks = [0, 50_000, 100_000, 150_000];
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const start = chunks.shift();
          if (start === undefined) controller.close();
          else controller.enqueue(body.slice(start, start + 50_000));
        },
      });
      return new Response(stream, { headers: { "content-length": String(body.length) } });
    });
    const events: FetchProgress[] = [];
    await fetchFiles(
      [{ path: "p.jsonl", url: `${server.base}/p.jsonl` }],
      await tempDir(),
      { onProgress: (event) => events.push(event) },
    );
    const progress = events.flatMap((event) => event.type === "progress" ? [event] : []);
    assert.ok(progress.length >= 2, `only ${progress.length} progress events`);
    for (let index = 1; index < progress.length; index++) {
      assert.ok(progress[index]!.bytes > progress[index - 1]!.bytes);
    }
    assert.equal(progress.at(-1)!.bytes, body.length);
    assert.equal(progress.at(-1)!.total, body.length);
    assert.deepEqual(events.map((event) => event.type).filter((type) => type !== "progress"), [
      "start",
      "done",
    ]);
  });
});

Deno.test("fetchFiles() handles timeouts and injected network errors", async (t) => {
  const body = content(10_000);

  await t.step("fetchFiles() keeps the bytes of a stalled body and names the stall", async () => {
    const { promise: released, resolve: release } = Promise.withResolvers<void>();
    await using server = serve(() => {
      let pulls = 0;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (pulls++ === 0) return controller.enqueue(body.slice(0, 4_000));
          await released;
          controller.close();
        },
      });
      return new Response(stream, { headers: { "content-length": String(body.length) } });
    });
    const root = await tempDir();
    const report = await fetchFiles(
      [{ path: "s.jsonl", url: `${server.base}/s.jsonl` }],
      root,
      { retries: 0, idleTimeoutMs: 100 },
    );
    release();
    assert.equal(report.failed[0]!.error.kind, "network");
    assert.match(report.failed[0]!.error.message, /no data for 100 ms after byte 4000/);
    assert.equal((await Deno.stat(join(root, "s.jsonl.part"))).size, 4_000);
  });

  await t.step("fetchFiles() names the host when DNS fails on the first request", async () => {
    const error = await fetchFiles(
      [{ path: "a.jsonl", url: "https://huggingface.co/spaces/x/a.jsonl" }],
      await tempDir(),
      {
        fetch: () =>
          Promise.reject(
            new TypeError(
              "error sending request: client error (Connect): dns error: " +
                "failed to lookup address information: Name or service not known",
            ),
          ),
      },
    ).then(() => undefined, (error: unknown) => error);
    assert.ok(error instanceof FetchError && error.kind === "offline");
    assert.equal(
      error.message,
      "Cannot reach huggingface.co (failed to lookup address information: Name or service " +
        "not known). Offline? Point the tools at a local copy with --data-dir DIR or " +
        "LLM_JUDGE_DATA=DIR (e.g. ../shared/data), or use --mirror URL.",
    );
  });

  await t.step("fetchFiles() retries a network error once the host has answered", async () => {
    let calls = 0;
    const flaky: typeof fetch = () => {
      calls++;
      return calls === 2
        ? Promise.reject(new TypeError("connection reset"))
        : Promise.resolve(new Response(body.slice()));
    };
    const report = await fetchFiles(
      [
        { path: "a.jsonl", url: "https://example.test/a.jsonl" },
        { path: "b.jsonl", url: "https://example.test/b.jsonl" },
      ],
      await tempDir(),
      { fetch: flaky, sleep: noSleep },
    );
    assert.equal(report.downloaded.length, 2);
    assert.equal(calls, 3);
  });
});
