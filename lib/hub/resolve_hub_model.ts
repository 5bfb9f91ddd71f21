import { join } from "node:path";
import { fetchFiles } from "../data/fetch_files.ts";
import { pathExists } from "../data/path_exists.ts";
import { redactSecrets } from "../http/redact.ts";
import { authorizedFetch, fileMetadata, type HubClient, revisionInfo } from "./_api.ts";
import {
  isCommitSha,
  linkSnapshotFile,
  listSnapshot,
  readRef,
  repoFolder,
  writeRef,
} from "./_cache.ts";
import { chooseVariant, type VariantChoice } from "./choose_variant.ts";
import { findVariants } from "./find_variants.ts";
import { HubError } from "./hub_error.ts";
import { type HubSettings, hubSettings } from "./hub_settings.ts";
import { variantFiles } from "./variant_files.ts";

/** Download progress, for a progress bar. */
export interface HubDownloadProgress {
  /** Repo path of the file being downloaded. */
  file: string;
  /** Bytes of all files to download that are on disk, resumed ones included. */
  bytes: number;
  /** Bytes of all files to download, when the Hub gave every size. */
  totalBytes: number | undefined;
  /** 0-based index of the file among those downloaded. */
  fileIndex: number;
  /** Number of files to download. */
  fileCount: number;
}

/** Options for {@linkcode resolveHubModel}. */
export interface ResolveHubModelOptions {
  /**
   * Branch, tag or commit sha (`--revision`).
   * @default {"main"}
   */
  revision?: string;
  /**
   * Variant folder to use (`--variant`), whatever `ep` and `dtype` say.
   * @default {undefined}
   */
  variant?: string | undefined;
  /**
   * `--ep`, for the variant choice.
   * @default {"auto"}
   */
  ep?: string;
  /**
   * `--dtype`, for the variant choice (and an Optimum export's weight file).
   * @default {"auto"}
   */
  dtype?: string;
  /**
   * Endpoint, token, offline mode and cache folder.
   * @default {hubSettings(Deno.env.toObject())}
   */
  settings?: HubSettings;
  /**
   * The `fetch` to use (tests inject one).
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * Retries of a download after the first attempt (broken connections, 5xx).
   * @default {4}
   */
  retries?: number;
  /**
   * Backoff before the first retry, doubling each time.
   * @default {1000}
   */
  retryDelayMs?: number;
  /**
   * How long an API request or a download may wait for an answer.
   * @default {30000}
   */
  timeoutMs?: number;
  /**
   * Receives download progress; the library prints nothing.
   * @default {undefined}
   */
  onProgress?: ((progress: HubDownloadProgress) => void) | undefined;
  /**
   * Receives one-line notices (the variant chosen, files downloaded).
   * @default {undefined}
   */
  onNotice?: ((text: string) => void) | undefined;
}

/** A Hub model in the local cache, ready to load. */
export interface HubModel {
  /** Repo id, `org/name`. */
  repo: string;
  /** The revision asked for. */
  revision: string;
  /** Its commit sha. */
  commit: string;
  /** Variant folder in the repo (`""` for the root). */
  variant: string;
  /** Layout of the variant. */
  layout: "genai" | "optimum";
  /** The model directory: `<cache>/models--org--name/snapshots/<commit>/<variant>`. */
  dir: string;
  /** `--dtype` for the loader (the weight file chosen, or `auto` for a GenAI variant). */
  loadDtype: string;
  /** Repo paths of the model's files. */
  files: string[];
  /** Those downloaded in this call. */
  downloaded: string[];
  /** Whether the cache had everything and no request was made. */
  fromCache: boolean;
}

const missingOf = (needed: readonly string[], present: readonly string[]) =>
  needed.filter((file) => !present.includes(file));

/** The files a complete variant folder must have, from the cached listing. */
async function requiredFiles(
  snapshotDir: string,
  variantDir: string,
  layout: "genai" | "optimum",
  chosen: readonly string[],
): Promise<string[]> {
  const prefix = variantDir === "" ? "" : `${variantDir}/`;
  const required = [`${prefix}tokenizer.json`];
  if (layout === "genai") {
    required.push(`${prefix}genai_config.json`);
    try {
      const config = JSON.parse(
        await Deno.readTextFile(join(snapshotDir, ...`${prefix}genai_config.json`.split("/"))),
      ) as { model?: { decoder?: { filename?: unknown } } };
      const filename = config.model?.decoder?.filename;
      if (typeof filename === "string") required.push(`${prefix}${filename}`);
    } catch {
      // Missing or broken: the loader says which.
    }
  } else {
    required.push(`${prefix}config.json`);
    const onnx = chosen.find((file) => file.endsWith(".onnx"));
    if (onnx !== undefined) required.push(onnx);
  }
  return required;
}

/**
 * Finds a Hugging Face Hub model (`org/name`) in the local Hugging Face cache,
 * downloading what is missing, and returns its directory for
 * `loadOnnxBackend`. The cache is huggingface_hub's own layout (see
 * `hfCacheDir`), shared with the Python tools.
 *
 * When the revision is a commit sha or `refs/<revision>` is cached, and the
 * snapshot holds a complete variant that fits `ep`/`dtype`, no request is
 * made at all. Otherwise it asks the revision API (`GET
 * /api/models/{repo}/revision/{rev}`) for the commit and file list, chooses
 * the variant (`chooseVariant`), `HEAD`s each missing file of it
 * (`/{repo}/resolve/{commit}/{path}`: `X-Linked-Etag`, `X-Linked-Size`) and
 * downloads it into `blobs/<etag>.incomplete` (resumed with `Range`,
 * retried, size and sha256 checked: a mismatch deletes the file), renames it
 * to `blobs/<etag>` and links it from `snapshots/<commit>/<path>`, the
 * weights first and the config last.
 *
 * Throws a {@linkcode HubError}: `auth` (gated or private: set `HF_TOKEN`),
 * `not-found`, `no-onnx` (naming `<repo>-onnx` when it exists, else the
 * export commands), `offline` (`HF_HUB_OFFLINE` with files missing, named),
 * `network`, `checksum`; a `VariantChoiceError` or `RangeError` for a usage
 * error. No message holds the token.
 *
 * @example Resolve a repo from a cache laid out by huggingface_hub (no request)
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveHubModel } from "./resolve_hub_model.ts";
 * const cache = await Deno.makeTempDir();
 * const commit = "a".repeat(40);
 * const snapshot = `${cache}/models--org--tiny/snapshots/${commit}`;
 * await Deno.mkdir(snapshot, { recursive: true });
 * await Deno.mkdir(`${cache}/models--org--tiny/refs`);
 * await Deno.writeTextFile(`${cache}/models--org--tiny/refs/main`, commit);
 * for (const file of ["tokenizer.json", "model.onnx"]) await Deno.writeTextFile(`${snapshot}/${file}`, "{}");
 * await Deno.writeTextFile(`${snapshot}/genai_config.json`, '{"model":{"decoder":{"filename":"model.onnx"}}}');
 * const model = await resolveHubModel("org/tiny", {
 *   settings: { endpoint: "http://127.0.0.1:9", token: undefined, offline: false, cacheDir: cache },
 *   fetch: () => Promise.reject(new Error("no request expected")),
 * });
 * assert.equal(model.commit, commit);
 * assert.equal(model.fromCache, true);
 * assert.equal(model.dir, snapshot);
 * ```
 */
export async function resolveHubModel(
  repo: string,
  options: ResolveHubModelOptions = {},
): Promise<HubModel> {
  const settings = options.settings ?? hubSettings(Deno.env.toObject());
  const revision = options.revision ?? "main";
  const ep = options.ep ?? "auto";
  const dtype = options.dtype ?? "auto";
  const choose = (variants: Parameters<typeof chooseVariant>[0]): VariantChoice =>
    chooseVariant(variants, { ep, dtype, variant: options.variant });
  const repoDir = repoFolder(settings.cacheDir, repo);
  const context = { repo, revision };

  // 1. The cache alone.
  const cachedCommit = isCommitSha(revision) ? revision : await readRef(repoDir, revision);
  let offlineProblem = `the cache has no refs/${revision} for ${repo} (in ${repoDir})`;
  let offlineMissing: string[] = [`refs/${revision}`];
  if (cachedCommit !== undefined) {
    const snapshotDir = join(repoDir, "snapshots", cachedCommit);
    const present = await listSnapshot(snapshotDir);
    const variants = findVariants(present);
    offlineProblem = present.length === 0
      ? `the cache has no snapshot ${cachedCommit} of ${repo}`
      : `the cached snapshot ${cachedCommit} of ${repo} has no ONNX variant`;
    offlineMissing = [`snapshots/${cachedCommit}`];
    if (variants.length > 0) {
      let choice: VariantChoice | undefined;
      try {
        choice = choose(variants);
      } catch (error) {
        if (settings.offline) throw error;
      }
      if (choice !== undefined) {
        const { variant } = choice;
        const chosen = variantFiles(present, variant, dtype);
        const required = await requiredFiles(
          snapshotDir,
          variant.path,
          variant.layout,
          chosen.files,
        );
        const missing = missingOf(required, present);
        if (missing.length === 0) {
          if (choice.notice !== undefined) options.onNotice?.(choice.notice);
          return {
            ...context,
            commit: cachedCommit,
            variant: variant.path,
            layout: variant.layout,
            dir: variant.path === "" ? snapshotDir : join(snapshotDir, ...variant.path.split("/")),
            loadDtype: chosen.loadDtype,
            files: chosen.files,
            downloaded: [],
            fromCache: true,
          };
        }
        offlineProblem = `the cached snapshot ${cachedCommit} of ${repo} lacks files of variant ${
          variant.path === "" ? "(root)" : variant.path
        }`;
        offlineMissing = missing;
      }
    }
  }
  if (settings.offline) {
    throw new HubError(
      `HF_HUB_OFFLINE is set and ${offlineProblem}: missing ${
        offlineMissing.join(", ")
      }. Unset HF_HUB_OFFLINE to download them, or fetch them with huggingface-cli download ${repo}.`,
      { kind: "offline", ...context, missing: offlineMissing },
    );
  }

  // 2. The Hub.
  const client: HubClient = {
    settings,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? 30_000,
  };
  const info = await revisionInfo(client, repo, revision);
  const commit = info.sha;
  if (commit !== revision) await writeRef(repoDir, revision, commit);
  const variants = findVariants(info.files);
  if (variants.length === 0) throw await noOnnxError(client, repo, revision);
  const choice = choose(variants);
  if (choice.notice !== undefined) options.onNotice?.(choice.notice);
  const { variant } = choice;
  const { files, loadDtype } = variantFiles(info.files, variant, dtype);
  const snapshotDir = join(repoDir, "snapshots", commit);
  const toFetch: string[] = [];
  for (const file of files) {
    if (!(await pathExists(join(snapshotDir, ...file.split("/"))))) toFetch.push(file);
  }
  const metadata = [];
  for (const file of toFetch) {
    metadata.push({ file, ...await fileMetadata(client, repo, commit, file) });
  }
  const blobsDir = join(repoDir, "blobs");
  await Deno.mkdir(blobsDir, { recursive: true });
  const downloads = [];
  for (const entry of metadata) {
    if (!(await pathExists(join(blobsDir, entry.etag)))) downloads.push(entry);
  }
  const sizes = downloads.map((entry) => entry.size);
  const totalBytes = sizes.every((size) => size !== undefined)
    ? sizes.reduce<number>((sum, size) => sum + size!, 0)
    : undefined;
  const downloaded: string[] = [];
  let before = 0;
  for (const [index, entry] of downloads.entries()) {
    const sha256 = /^[0-9a-f]{64}$/.test(entry.etag) ? entry.etag : undefined;
    const report = await fetchFiles([{ path: entry.etag, url: entry.url, sha256 }], blobsDir, {
      partSuffix: ".incomplete",
      recordFile: false,
      retries: options.retries ?? 4,
      retryDelayMs: options.retryDelayMs ?? 1000,
      connectTimeoutMs: client.timeoutMs,
      // The bearer token goes only to the endpoint itself, not to a CDN elsewhere.
      fetch: authorizedFetch(settings, client.fetch),
      onProgress: (event) => {
        if (event.type !== "progress") return;
        options.onProgress?.({
          file: entry.file,
          bytes: before + event.bytes,
          totalBytes,
          fileIndex: index,
          fileCount: downloads.length,
        });
      },
    }).catch((error: Error) => {
      throw new HubError(
        redactSecrets(
          `Cannot download "${entry.file}" of ${repo}: ${
            error.message.replace(/ Offline\?.*$/, "")
          }`,
          [settings.token],
        ),
        { kind: "network", ...context, file: entry.file },
        { cause: error },
      );
    });
    const failure = report.failed[0];
    if (failure !== undefined) {
      const error = failure.error;
      if (error.kind === "checksum") {
        throw new HubError(
          `"${entry.file}" of ${repo}@${commit} failed its checksum: expected sha256 ${error.expected}, got ${error.actual}. The download was deleted; run again to retry.`,
          { kind: "checksum", ...context, file: entry.file },
          { cause: error },
        );
      }
      throw new HubError(
        redactSecrets(
          `Cannot download "${entry.file}" of ${repo}@${commit}: ${error.message}`,
          [settings.token],
        ),
        {
          kind: error.kind === "http" ? "http" : "network",
          ...context,
          file: entry.file,
          status: error.status,
        },
        { cause: error },
      );
    }
    const blob = join(blobsDir, entry.etag);
    const size = (await Deno.stat(blob)).size;
    if (entry.size !== undefined && size !== entry.size) {
      await Deno.remove(blob);
      throw new HubError(
        `"${entry.file}" of ${repo}@${commit} has the wrong size: expected ${entry.size} bytes, got ${size}. The download was deleted; run again to retry.`,
        { kind: "checksum", ...context, file: entry.file },
      );
    }
    before += size;
    downloaded.push(entry.file);
  }
  for (const entry of metadata) await linkSnapshotFile(repoDir, commit, entry.file, entry.etag);
  return {
    ...context,
    commit,
    variant: variant.path,
    layout: variant.layout,
    dir: variant.path === "" ? snapshotDir : join(snapshotDir, ...variant.path.split("/")),
    loadDtype,
    files,
    downloaded,
    fromCache: false,
  };
}

/** A PyTorch/safetensors repo: name `<repo>-onnx` when the Hub has it, else the export commands. */
async function noOnnxError(client: HubClient, repo: string, revision: string): Promise<HubError> {
  let sibling: string | undefined;
  if (!repo.endsWith("-onnx")) {
    try {
      await revisionInfo(client, `${repo}-onnx`, "main");
      sibling = `${repo}-onnx`;
    } catch {
      sibling = undefined;
    }
  }
  const advice = sibling !== undefined
    ? `Its ONNX export is on the Hub: use --model-path ${sibling}`
    : `Export it to ONNX first, then pass the folder as --model-path:\n` +
      `  optimum-cli export onnx --model ${repo} --task text-generation-with-past DIR\n` +
      `  python -m onnxruntime_genai.models.builder -m ${repo} -o DIR -p int4 -e cpu`;
  return new HubError(
    `${repo} at revision ${
      JSON.stringify(revision)
    } has no ONNX files (no genai_config.json, no onnx/*.onnx): ` +
      `it is a PyTorch/safetensors repo, which llm-judge does not convert. ${advice}`,
    { kind: "no-onnx", repo, revision },
  );
}
