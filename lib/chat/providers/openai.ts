import type { ProviderPreset } from "./provider_preset.ts";

/** OpenAI: `OPENAI_API_KEY`; FastChat's default judge `gpt-4`. Unknown judge names go here as model ids. */
export const OPENAI_PRESET: ProviderPreset = {
  name: "openai",
  baseUrl: "https://api.openai.com/v1",
  apiKeyEnv: ["OPENAI_API_KEY"],
  keyOptional: false,
  defaultModel: "gpt-4",
};
