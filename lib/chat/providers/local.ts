import type { ProviderPreset } from "./provider_preset.ts";

/**
 * A local OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp):
 * `local:<model>`, or any model name with `--judge-base-url`. The key, if the
 * server wants one, comes from `LLM_JUDGE_API_KEY`.
 */
export const LOCAL_PRESET: ProviderPreset = {
  name: "local",
  baseUrl: "http://localhost:8000/v1",
  apiKeyEnv: ["LLM_JUDGE_API_KEY"],
  keyOptional: true,
  defaultModel: "default",
};
