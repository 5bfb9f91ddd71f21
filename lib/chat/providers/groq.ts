import type { ProviderPreset } from "./provider_preset.ts";

/**
 * Groq's OpenAI-compatible API: `GROQ_API_KEY`. `--judge-model groq` alone uses
 * the default model; `groq:<model>` picks another. `GROQ_BASE_URL` overrides the URL.
 */
export const GROQ_PRESET: ProviderPreset = {
  name: "groq",
  baseUrl: "https://api.groq.com/openai/v1",
  baseUrlEnv: "GROQ_BASE_URL",
  apiKeyEnv: ["GROQ_API_KEY"],
  keyOptional: false,
  defaultModel: "llama-3.3-70b-versatile",
};
