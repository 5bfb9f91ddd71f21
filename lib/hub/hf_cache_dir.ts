import { join } from "node:path";

/** Environment variables, as `Deno.env.toObject()` returns them. */
export type HubEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * The Hugging Face cache folder the Python tools use, so that they and
 * llm-judge share one cache: `HF_HUB_CACHE` (or the older
 * `HUGGINGFACE_HUB_CACHE`), else `HF_HOME/hub`, else
 * `XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub` (the home
 * folder from `HOME`, or `USERPROFILE` on Windows). Throws a `TypeError` when
 * none of them is set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hfCacheDir } from "./hf_cache_dir.ts";
 * assert.equal(hfCacheDir({ HF_HOME: "/data/hf", HOME: "/home/me" }), "/data/hf/hub");
 * assert.equal(hfCacheDir({ HOME: "/home/me" }), "/home/me/.cache/huggingface/hub");
 * ```
 */
export function hfCacheDir(env: HubEnvironment): string {
  const set = (name: string) => {
    const value = env[name];
    return value === undefined || value === "" ? undefined : value;
  };
  const hubCache = set("HF_HUB_CACHE") ?? set("HUGGINGFACE_HUB_CACHE");
  if (hubCache !== undefined) return hubCache;
  const home = set("HF_HOME");
  if (home !== undefined) return join(home, "hub");
  const xdg = set("XDG_CACHE_HOME");
  if (xdg !== undefined) return join(xdg, "huggingface", "hub");
  const userHome = set("HOME") ?? set("USERPROFILE");
  if (userHome === undefined) {
    throw new TypeError(
      "Cannot find the Hugging Face cache: set HF_HUB_CACHE or HF_HOME (HOME is not set)",
    );
  }
  return join(userHome, ".cache", "huggingface", "hub");
}
