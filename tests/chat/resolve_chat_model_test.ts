import assert from "node:assert/strict";
import { createChatClient, resolveChatModel } from "../../lib/chat/mod.ts";

Deno.test("resolveChatModel()", async (t) => {
  await t.step("resolves groq alone to Groq's base URL and default model", () => {
    const resolved = resolveChatModel("groq");
    assert.equal(resolved.name, "groq");
    assert.equal(resolved.preset.name, "groq");
    assert.equal(resolved.model, "llama-3.3-70b-versatile");
    assert.equal(resolved.baseUrl, "https://api.groq.com/openai/v1");
    assert.deepEqual(resolved.apiKeyEnv, ["GROQ_API_KEY"]);
  });

  await t.step("takes the model after the preset prefix", () => {
    assert.equal(resolveChatModel("groq:llama-3.1-8b-instant").model, "llama-3.1-8b-instant");
    assert.equal(resolveChatModel("openrouter:openai/gpt-4o").preset.name, "openrouter");
    assert.equal(resolveChatModel("together:x/y").baseUrl, "https://api.together.xyz/v1");
  });

  await t.step("passes unknown names through as OpenAI model ids, with no allow-list", () => {
    const resolved = resolveChatModel("gpt-4o-2024-08-06");
    assert.equal(resolved.preset.name, "openai");
    assert.equal(resolved.model, "gpt-4o-2024-08-06");
    assert.equal(resolved.baseUrl, "https://api.openai.com/v1");
  });

  await t.step("sends unknown names to --judge-base-url as a local server", () => {
    const resolved = resolveChatModel("Qwen/Qwen2.5-7B-Instruct", {
      baseUrl: "http://localhost:8000/v1",
    });
    assert.equal(resolved.preset.name, "local");
    assert.equal(resolved.model, "Qwen/Qwen2.5-7B-Instruct");
  });

  await t.step("reads FastChat's azure-<deployment> and the endpoint variable", () => {
    const resolved = resolveChatModel("azure-gpt4", {
      getEnv: (name) => name === "AZURE_OPENAI_ENDPOINT" ? "https://r.openai.azure.com" : undefined,
    });
    assert.equal(resolved.preset.name, "azure");
    assert.equal(resolved.model, "gpt4");
    assert.equal(resolved.baseUrl, "https://r.openai.azure.com");
  });

  await t.step("uses --judge-api-key-env instead of the preset's variable", () => {
    assert.deepEqual(resolveChatModel("groq", { apiKeyEnv: "MY_KEY" }).apiKeyEnv, ["MY_KEY"]);
  });
});

Deno.test("createChatClient() names the variable, not a value, when the key is missing", () => {
  assert.throws(() => createChatClient(resolveChatModel("groq")), /set GROQ_API_KEY/);
  const local = createChatClient(resolveChatModel("local:llama3"));
  assert.equal(local.baseUrl, "http://localhost:8000/v1");
  const withCredentials = createChatClient(
    resolveChatModel("m", { baseUrl: "http://user:pw@127.0.0.1:9/v1?api-key=abc&x=1" }),
  );
  assert.equal(withCredentials.baseUrl, "http://127.0.0.1:9/v1?x=1");
});
