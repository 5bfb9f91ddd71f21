import type { ProviderPreset } from "./provider_preset.ts";

/**
 * Azure OpenAI: `azure:<deployment>` (or FastChat's `azure-<deployment>`), the
 * endpoint in `AZURE_OPENAI_ENDPOINT` (or `--judge-base-url`), the key in
 * `AZURE_OPENAI_API_KEY` (or FastChat's `AZURE_OPENAI_KEY`), the API version in
 * `OPENAI_API_VERSION`.
 */
export const AZURE_PRESET: ProviderPreset = {
  name: "azure",
  baseUrl: "",
  baseUrlEnv: "AZURE_OPENAI_ENDPOINT",
  apiKeyEnv: ["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_KEY"],
  keyOptional: false,
  defaultModel: "gpt-4",
  azureApiVersion: "2024-10-21",
};
