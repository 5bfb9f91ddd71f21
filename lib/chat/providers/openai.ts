import type { ProviderPreset } from "./provider_preset.ts";

/** OpenAI: `OPENAI_API_KEY`; FastChat's default judge `gpt-4`. Unknown judge names go here as model ids; `OPENAI_BASE_URL` overrides the URL. */
export const OPENAI_PRESET: ProviderPreset = {
  name: "openai",
  baseUrl: "https://api.openai.com/v1",
  baseUrlEnv: "OPENAI_BASE_URL",
  apiKeyEnv: ["OPENAI_API_KEY"],
  keyOptional: false,
  defaultModel: "gpt-4",
};
