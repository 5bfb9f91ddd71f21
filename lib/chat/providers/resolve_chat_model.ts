import { AZURE_PRESET } from "./azure.ts";
import { checkBaseUrl } from "./check_base_url.ts";
import { GROQ_PRESET } from "./groq.ts";
import { LOCAL_PRESET } from "./local.ts";
import { OPENAI_PRESET } from "./openai.ts";
import { OPENROUTER_PRESET } from "./openrouter.ts";
import type { ProviderPreset } from "./provider_preset.ts";
import { TOGETHER_PRESET } from "./together.ts";

/** The provider presets, by name. */
export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  OPENAI_PRESET,
  GROQ_PRESET,
  AZURE_PRESET,
  OPENROUTER_PRESET,
  TOGETHER_PRESET,
  LOCAL_PRESET,
];

/** A judge name resolved to a provider, model and endpoint. */
export interface ResolvedChatModel {
  /** The judge name as given; it names the output file and the records' `judge`. */
  name: string;
  /** The preset. */
  preset: ProviderPreset;
  /** Model id sent to the API (Azure: the deployment). */
  model: string;
  /** Base URL to call (empty for Azure without an endpoint). */
  baseUrl: string;
  /** Environment variables the key is read from, in order. */
  apiKeyEnv: readonly string[];
}

/** Options for {@linkcode resolveChatModel}. */
export interface ResolveChatModelOptions {
  /**
   * `--judge-base-url`: overrides the preset's base URL; a name with no preset
   * then goes to the `local` preset.
   * @default {undefined}
   */
  baseUrl?: string | undefined;
  /**
   * Where `baseUrl` came from, for the message when it is not a URL.
   * @default {"--judge-base-url"}
   */
  baseUrlFlag?: string;
  /**
   * `--judge-api-key-env`: read the key from this variable instead.
   * @default {undefined}
   */
  apiKeyEnv?: string | undefined;
  /**
   * Reads an environment variable (for base-URL variables such as `AZURE_OPENAI_ENDPOINT`).
   * @default {() => undefined}
   */
  getEnv?: (name: string) => string | undefined;
}

/**
 * Resolves `--judge-model` to a provider preset and a model: `groq` alone
 * means Groq's default model, `groq:<model>` (likewise `openai:`, `azure:`,
 * `openrouter:`, `together:`, `local:`) picks one, FastChat's `azure-<name>`
 * is Azure, and any other name is passed through as a model id — to OpenAI,
 * or to `--judge-base-url` when given. There is no allow-list. The base URL is
 * `options.baseUrl` (`--judge-base-url`), else the preset's variable
 * (`GROQ_BASE_URL`, `OPENAI_BASE_URL`, `AZURE_OPENAI_ENDPOINT`) when set,
 * else the preset's; one that is not an http(s) URL throws a `RangeError`
 * naming the flag or variable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveChatModel } from "./resolve_chat_model.ts";
 * const groq = resolveChatModel("groq");
 * assert.equal(groq.preset.name, "groq");
 * assert.equal(groq.model, "llama-3.3-70b-versatile");
 * assert.equal(groq.baseUrl, "https://api.groq.com/openai/v1");
 * const local = resolveChatModel("qwen2.5:7b", { baseUrl: "http://localhost:11434/v1" });
 * assert.equal(local.preset.name, "local");
 * assert.equal(local.model, "qwen2.5:7b");
 * ```
 */
export function resolveChatModel(
  judgeModel: string,
  options: ResolveChatModelOptions = {},
): ResolvedChatModel {
  if (judgeModel.trim() === "") throw new RangeError("The judge model name is empty");
  let preset: ProviderPreset | undefined = PROVIDER_PRESETS.find((candidate) =>
    candidate.name === judgeModel
  );
  let model = preset?.defaultModel;
  if (preset === undefined) {
    const colon = judgeModel.indexOf(":");
    const prefixed = colon > 0
      ? PROVIDER_PRESETS.find((candidate) => candidate.name === judgeModel.slice(0, colon))
      : undefined;
    if (prefixed !== undefined && colon < judgeModel.length - 1) {
      preset = prefixed;
      model = judgeModel.slice(colon + 1);
    } else if (judgeModel.startsWith("azure-") && judgeModel.length > 6) {
      preset = AZURE_PRESET;
      model = judgeModel.slice(6);
    } else {
      preset = options.baseUrl === undefined ? OPENAI_PRESET : LOCAL_PRESET;
      model = judgeModel;
    }
  }
  const getEnv = options.getEnv ?? (() => undefined);
  if (options.baseUrl !== undefined) {
    checkBaseUrl(options.baseUrl, options.baseUrlFlag ?? "--judge-base-url");
  }
  const envBase = preset.baseUrlEnv === undefined ? undefined : getEnv(preset.baseUrlEnv);
  if (options.baseUrl === undefined && envBase) checkBaseUrl(envBase, preset.baseUrlEnv!);
  const baseUrl = options.baseUrl ?? (envBase || preset.baseUrl);
  return {
    name: judgeModel,
    preset,
    model: model!,
    baseUrl,
    apiKeyEnv: options.apiKeyEnv === undefined ? preset.apiKeyEnv : [options.apiKeyEnv],
  };
}
