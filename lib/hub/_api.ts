// The Hub endpoints llm-judge uses (those of huggingface_hub): the revision
// API and HEAD on resolve URLs. Every failure becomes a HubError whose
// message never holds the token.
import { redactSecrets } from "../http/redact.ts";
import { HubError } from "./hub_error.ts";
import type { HubSettings } from "./hub_settings.ts";

/** What every request needs. */
export interface HubClient {
  settings: HubSettings;
  fetch: typeof fetch;
  /** ms to wait for response headers. */
  timeoutMs: number;
}

/** A request's context, for messages. */
export interface RequestContext {
  repo: string;
  revision: string;
  file?: string | undefined;
}

/** `fetch` with the bearer token on requests to the endpoint's origin (not to a CDN elsewhere). */
export function authorizedFetch(settings: HubSettings, base: typeof fetch): typeof fetch {
  const origin = new URL(settings.endpoint).origin;
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = new Headers(init?.headers);
    if (settings.token !== undefined && new URL(url).origin === origin) {
      headers.set("authorization", `Bearer ${settings.token}`);
    }
    return base(input, { ...init, headers });
  };
}

function quotePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** `<endpoint>/<repo>/resolve/<revision>/<path>`. */
export function resolveUrl(endpoint: string, repo: string, revision: string, path: string): string {
  return `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${quotePath(path)}`;
}

function networkReason(error: unknown): string {
  let deepest = error;
  while (deepest instanceof Error && deepest.cause instanceof Error) deepest = deepest.cause;
  return deepest instanceof Error ? deepest.message : String(deepest);
}

async function request(
  client: HubClient,
  url: string,
  init: RequestInit,
  context: RequestContext,
): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), client.timeoutMs);
  try {
    return await authorizedFetch(client.settings, client.fetch)(url, {
      ...init,
      signal: controller.signal,
    });
  } catch (error) {
    const reason = controller.signal.aborted
      ? `no answer within ${client.timeoutMs} ms`
      : networkReason(error);
    throw new HubError(
      redactSecrets(
        `Cannot reach the Hugging Face Hub at ${client.settings.endpoint} for ${context.repo} (${reason}). ` +
          `Set HF_HUB_OFFLINE=1 to use only the local cache, or HF_ENDPOINT for a mirror.`,
        [client.settings.token],
      ),
      { kind: "network", ...context },
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Turns an error status into a HubError (401/403 gated or private, 404 not found). */
export async function statusError(
  response: Response,
  context: RequestContext,
  token: string | undefined,
): Promise<HubError> {
  const code = response.headers.get("x-error-code") ?? "";
  let serverMessage = response.headers.get("x-error-message") ?? "";
  if (serverMessage === "") {
    try {
      const body: unknown = await response.json();
      if (typeof body === "object" && body !== null && "error" in body) {
        serverMessage = String((body as { error: unknown }).error);
      }
    } catch {
      // No JSON body.
    }
  } else await response.body?.cancel();
  const status = response.status;
  const what = context.file === undefined
    ? `${context.repo} at revision ${JSON.stringify(context.revision)}`
    : `"${context.file}" of ${context.repo} at revision ${JSON.stringify(context.revision)}`;
  const said = serverMessage === "" ? "" : ` (the Hub says: ${serverMessage.slice(0, 200)})`;
  let message: string;
  let kind: HubError["kind"];
  if (code === "GatedRepo" || ((status === 401 || status === 403) && code !== "RepoNotFound")) {
    kind = "auth";
    message =
      `The Hub refused access to ${what}: HTTP ${status}${said}. The repo is gated or private: ` +
      `accept its licence on ${context.repo}'s page on the Hub, then set HF_TOKEN to an access token of that account` +
      (token === undefined ? " (HF_TOKEN is not set)" : " (the HF_TOKEN given was refused)");
  } else if (
    status === 404 || code === "RepoNotFound" || code === "RevisionNotFound" ||
    code === "EntryNotFound"
  ) {
    kind = "not-found";
    const which = code === "RevisionNotFound"
      ? `Revision ${
        JSON.stringify(context.revision)
      } of ${context.repo} not found (check --revision)`
      : code === "EntryNotFound"
      ? `File "${context.file}" not found in ${context.repo} at revision ${
        JSON.stringify(context.revision)
      }`
      : `Not found: ${what}; check the repo id and --revision${
        token === undefined ? " (a private repo needs HF_TOKEN)" : ""
      }`;
    message = `${which}: HTTP ${status}${said}`;
  } else {
    kind = "http";
    message = `The Hub answered HTTP ${status} for ${what}${said}`;
  }
  return new HubError(redactSecrets(message, [token]), { kind, ...context, status });
}

/** `GET /api/models/{repo}/revision/{rev}`: the commit sha and the file list. */
export async function revisionInfo(
  client: HubClient,
  repo: string,
  revision: string,
): Promise<{ sha: string; files: string[] }> {
  const context = { repo, revision };
  const url = `${client.settings.endpoint}/api/models/${repo}/revision/${
    encodeURIComponent(revision)
  }`;
  const response = await request(client, url, { headers: { accept: "application/json" } }, context);
  if (!response.ok) throw await statusError(response, context, client.settings.token);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new HubError(`The Hub's answer for ${repo} is not JSON (${url})`, {
      kind: "http",
      ...context,
      status: response.status,
    }, { cause: error });
  }
  const info = body as { sha?: unknown; siblings?: unknown };
  if (typeof info.sha !== "string" || !Array.isArray(info.siblings)) {
    throw new HubError(`The Hub's answer for ${repo} has no "sha" or "siblings" (${url})`, {
      kind: "http",
      ...context,
      status: response.status,
    });
  }
  const files = info.siblings
    .map((sibling) => (sibling as { rfilename?: unknown }).rfilename)
    .filter((name): name is string => typeof name === "string");
  return { sha: info.sha, files };
}

/** What `HEAD` on a resolve URL says about a file. */
export interface FileMetadata {
  /** `X-Linked-Etag` (sha256 of an LFS file) or `ETag` (git blob sha1), unquoted. */
  etag: string;
  /** `X-Linked-Size` or `Content-Length`, when given. */
  size: number | undefined;
  /** Where to GET the bytes (the CDN URL of an LFS file, else the resolve URL). */
  url: string;
  /** `X-Repo-Commit`, when given. */
  commit: string | undefined;
}

function normalizeEtag(value: string): string {
  return value.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
}

function sizeOf(value: string | null): number | undefined {
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/**
 * `HEAD /{repo}/resolve/{rev}/{path}` without following the LFS redirect
 * (its first answer holds `X-Linked-Etag` and `X-Linked-Size`); relative
 * redirects (a renamed repo) are followed.
 */
export async function fileMetadata(
  client: HubClient,
  repo: string,
  revision: string,
  path: string,
): Promise<FileMetadata> {
  const context = { repo, revision, file: path };
  let url = resolveUrl(client.settings.endpoint, repo, revision, path);
  for (let hop = 0;; hop++) {
    const response = await request(client, url, {
      method: "HEAD",
      redirect: "manual",
      headers: { "accept-encoding": "identity" },
    }, context);
    await response.body?.cancel();
    const linkedEtag = response.headers.get("x-linked-etag");
    const location = response.headers.get("location");
    const redirect = response.status >= 300 && response.status < 400 && location !== null;
    if (redirect && linkedEtag === null && location.startsWith("/") && hop < 5) {
      url = new URL(location, url).toString();
      continue;
    }
    if (!redirect && !response.ok) {
      throw await statusError(response, context, client.settings.token);
    }
    const etag = linkedEtag ?? response.headers.get("etag");
    if (etag === null || normalizeEtag(etag) === "") {
      throw new HubError(
        `The Hub gave no ETag for "${path}" of ${repo} (${url}): cannot place it in the cache`,
        { kind: "http", ...context, status: response.status },
      );
    }
    return {
      etag: normalizeEtag(etag),
      size: sizeOf(response.headers.get("x-linked-size")) ??
        (redirect ? undefined : sizeOf(response.headers.get("content-length"))),
      url: redirect ? new URL(location, url).toString() : url,
      commit: response.headers.get("x-repo-commit") ?? undefined,
    };
  }
}
