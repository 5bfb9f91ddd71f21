/** A provider preset: where a judge lives and how to reach it. */
export interface ProviderPreset {
  /** Preset name, used as `<name>` or `<name>:<model>` in `--judge-model`. */
  name: string;
  /** Default base URL (Azure: none; it comes from the environment). */
  baseUrl: string;
  /** Environment variables holding the API key, tried in order; empty when none is needed. */
  apiKeyEnv: readonly string[];
  /** Whether a request can go without a key (local servers). */
  keyOptional: boolean;
  /** Model used when `--judge-model` names the preset alone. */
  defaultModel: string;
  /** Environment variable that may override the base URL. */
  baseUrlEnv?: string | undefined;
  /** Azure OpenAI: the default API version, which selects Azure's URL scheme. */
  azureApiVersion?: string | undefined;
}
