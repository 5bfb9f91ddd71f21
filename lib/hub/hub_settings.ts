import { hfCacheDir, type HubEnvironment } from "./hf_cache_dir.ts";

/** Where and how llm-judge talks to the Hugging Face Hub. */
export interface HubSettings {
  /** `HF_ENDPOINT` without a trailing `/` (default `https://huggingface.co`). */
  endpoint: string;
  /** `HF_TOKEN` (or the older `HUGGING_FACE_HUB_TOKEN`), sent as a bearer token; never printed. */
  token: string | undefined;
  /** `HF_HUB_OFFLINE`: use the cache only, never the network. */
  offline: boolean;
  /** The cache folder (see {@linkcode hfCacheDir}). */
  cacheDir: string;
}

/** The Hub's default endpoint. */
export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";

/**
 * Reads the Hub settings from environment variables as the Python client
 * does: `HF_ENDPOINT`, `HF_TOKEN`, `HF_HUB_OFFLINE` (`1`, `true`, `yes` or
 * `on`) and the cache folder. Throws a `TypeError` for an `HF_ENDPOINT`
 * that is not an http(s) URL, before any work is done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hubSettings } from "./hub_settings.ts";
 * const settings = hubSettings({ HOME: "/home/me", HF_HUB_OFFLINE: "1" });
 * assert.equal(settings.endpoint, "https://huggingface.co");
 * assert.equal(settings.offline, true);
 * assert.throws(() => hubSettings({ HOME: "/h", HF_ENDPOINT: "huggingface.co" }), TypeError);
 * ```
 */
export function hubSettings(env: HubEnvironment): HubSettings {
  const rawEndpoint = env.HF_ENDPOINT?.trim() || DEFAULT_HF_ENDPOINT;
  let url: URL | undefined;
  try {
    url = new URL(rawEndpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new TypeError(
      `Invalid HF_ENDPOINT ${JSON.stringify(rawEndpoint)}: expected an http:// or https:// URL`,
    );
  }
  const token = env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim() || undefined;
  const offline = /^(1|true|yes|on)$/i.test(env.HF_HUB_OFFLINE?.trim() ?? "");
  return {
    endpoint: rawEndpoint.replace(/\/+$/, ""),
    token,
    offline,
    cacheDir: hfCacheDir(env),
  };
}
