/**
 * A mock Hugging Face Hub on loopback (`Deno.serve` on 127.0.0.1, port 0)
 * with the endpoints llm-judge uses: the revision API, HEAD/GET on resolve
 * URLs (LFS files answer 302 to a CDN path on the same server, with
 * `X-Linked-Etag`/`X-Linked-Size` on the first answer; small files answer
 * 200 with a git-sha1 `ETag`) and the CDN path with `Range`. Repos can be
 * gated (resolve needs the token), a CDN file can break off mid-body or be
 * served corrupt, and every request is recorded.
 */
import { createHash } from "node:crypto";
import { serveLoopback } from "./_loopback.ts";

/** A repo the mock serves. */
export interface MockRepo {
  /** Files by repo path. */
  files: Record<string, Uint8Array<ArrayBuffer>>;
  /** Commit sha (40 hex digits). */
  sha: string;
  /** Resolve URLs answer 401 without the hub's token. */
  gated?: boolean;
}

/** Options for {@linkcode startMockHub}. */
export interface MockHubOptions {
  /** Repos by id (`org/name`). */
  repos: Record<string, MockRepo>;
  /** The token gated repos accept. */
  token?: string;
  /** CDN downloads to break off after half the body, by repo path, and how many times. */
  dropMidFile?: Record<string, number>;
  /** Repo paths whose CDN bytes are served with one byte changed. */
  corrupt?: readonly string[];
}

/** A request the mock received. */
export interface MockHubRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
  /** The `Range` header, if any. */
  range: string | undefined;
}

/** A running mock Hub. */
export interface MockHub {
  /** `http://127.0.0.1:<port>`, for `HF_ENDPOINT`. */
  endpoint: string;
  /** Every request, in order. */
  requests: MockHubRequest[];
  close(): Promise<void>;
}

/** Whether the mock stores a file in LFS (weights). */
export function isLfs(path: string): boolean {
  return /\.onnx($|[._]data)/.test(path);
}

/** sha256 of bytes, lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function gitBlobSha1(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ error: message }, {
    status,
    headers: { "x-error-code": code, "x-error-message": message },
  });
}

/** Starts the mock; close it when done. */
export function startMockHub(options: MockHubOptions): Promise<MockHub> {
  const requests: MockHubRequest[] = [];
  const byDigest = new Map<string, Uint8Array<ArrayBuffer>>();
  const digestOf = new Map<string, string>();
  for (const repo of Object.values(options.repos)) {
    for (const [path, bytes] of Object.entries(repo.files)) {
      byDigest.set(sha256Hex(bytes), bytes);
      digestOf.set(path, sha256Hex(bytes));
    }
  }
  // Drops and corruption are by content, as the CDN knows files by sha256.
  const drops = new Map<string, number>();
  for (const [path, times] of Object.entries(options.dropMidFile ?? {})) {
    drops.set(digestOf.get(path)!, times);
  }
  const corrupt = new Set((options.corrupt ?? []).map((path) => digestOf.get(path)!));
  const server = serveLoopback((request) => {
    const url = new URL(request.url);
    const authorization = request.headers.get("authorization") ?? undefined;
    requests.push({
      method: request.method,
      path: url.pathname + url.search,
      authorization,
      range: request.headers.get("range") ?? undefined,
    });
    const path = decodeURIComponent(url.pathname);
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/(.+)$/.exec(path);
    if (api !== null) {
      const repo = options.repos[api[1]!];
      if (repo === undefined) return errorResponse(404, "RepoNotFound", "Repository not found");
      if (api[2] !== "main" && api[2] !== repo.sha) {
        return errorResponse(404, "RevisionNotFound", `Invalid rev id: ${api[2]}`);
      }
      return Response.json({
        id: api[1],
        sha: repo.sha,
        siblings: Object.keys(repo.files).map((rfilename) => ({ rfilename })),
      });
    }
    const resolveMatch = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (resolveMatch !== null) {
      const repo = options.repos[resolveMatch[1]!];
      if (repo === undefined) return errorResponse(404, "RepoNotFound", "Repository not found");
      if (repo.gated && authorization !== `Bearer ${options.token}`) {
        return errorResponse(401, "GatedRepo", "Access to this model is restricted");
      }
      if (resolveMatch[2] !== "main" && resolveMatch[2] !== repo.sha) {
        return errorResponse(404, "RevisionNotFound", "Invalid rev id");
      }
      const file = resolveMatch[3]!;
      const bytes = repo.files[file];
      if (bytes === undefined) return errorResponse(404, "EntryNotFound", "Entry not found");
      if (isLfs(file)) {
        const digest = sha256Hex(bytes);
        return new Response(null, {
          status: 302,
          headers: {
            location: `${url.origin}/cdn/${digest}?token-free=1`,
            "x-linked-etag": `"${digest}"`,
            "x-linked-size": String(bytes.length),
            "x-repo-commit": repo.sha,
            etag: `"${gitBlobSha1(bytes)}"`,
          },
        });
      }
      const headers = {
        etag: `"${gitBlobSha1(bytes)}"`,
        "x-repo-commit": repo.sha,
        "content-length": String(bytes.length),
      };
      return new Response(request.method === "HEAD" ? null : bytes, { headers });
    }
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(path);
    if (cdn !== null) {
      const digest = cdn[1]!;
      const found = byDigest.get(digest);
      if (found === undefined) return new Response("no such blob", { status: 404 });
      let bytes = found;
      if (corrupt.has(digest)) {
        bytes = bytes.slice();
        bytes[0] = bytes[0]! ^ 0xff;
      }
      let start = 0;
      const range = /^bytes=(\d+)-$/.exec(request.headers.get("range") ?? "");
      if (range !== null) start = Number(range[1]);
      const body = bytes.slice(start);
      const headers: Record<string, string> = { "content-length": String(body.length) };
      if (start > 0) {
        headers["content-range"] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
      }
      const status = start > 0 ? 206 : 200;
      if ((drops.get(digest) ?? 0) > 0) {
        drops.set(digest, drops.get(digest)! - 1);
        const half = Math.floor(body.length / 2);
        const stream = new ReadableStream<Uint8Array>({
          async start(stream) {
            stream.enqueue(body.slice(0, half));
            await new Promise((done) => setTimeout(done, 20));
            stream.error(new Error("connection dropped by the mock"));
          },
        });
        return new Response(stream, { status, headers });
      }
      return new Response(body, { status, headers });
    }
    return new Response("not found", { status: 404 });
  });
  return Promise.resolve({
    endpoint: server.origin,
    requests,
    async close() {
      await server.close();
    },
  });
}
