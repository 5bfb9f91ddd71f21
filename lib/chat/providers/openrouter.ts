import type { ProviderPreset } from "./provider_preset.ts";

/** OpenRouter: `OPENROUTER_API_KEY`; `openrouter:<vendor/model>`. */
export const OPENROUTER_PRESET: ProviderPreset = {
  name: "openrouter",
  baseUrl: "https://openrouter.ai/api/v1",
  apiKeyEnv: ["OPENROUTER_API_KEY"],
  keyOptional: false,
  defaultModel: "openai/gpt-4o",
};
