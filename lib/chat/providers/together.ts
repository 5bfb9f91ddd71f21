import type { ProviderPreset } from "./provider_preset.ts";

/** Together AI: `TOGETHER_API_KEY`; `together:<model>`. */
export const TOGETHER_PRESET: ProviderPreset = {
  name: "together",
  baseUrl: "https://api.together.xyz/v1",
  apiKeyEnv: ["TOGETHER_API_KEY"],
  keyOptional: false,
  defaultModel: "meta-llama/Llama-3.3-70B-Instruct-Turbo",
};
