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

  await t.step("GROQ_BASE_URL and OPENAI_BASE_URL override the presets' URLs", () => {
    const env: Record<string, string> = {
      GROQ_BASE_URL: "http://127.0.0.1:9001/v1",
      OPENAI_BASE_URL: "http://127.0.0.1:9002/v1",
    };
    const getEnv = (name: string) => env[name];
    assert.equal(resolveChatModel("groq", { getEnv }).baseUrl, env.GROQ_BASE_URL);
    assert.equal(
      resolveChatModel("groq:llama-3.1-8b-instant", { getEnv }).baseUrl,
      env.GROQ_BASE_URL,
    );
    assert.equal(resolveChatModel("openai:gpt-4o-mini", { getEnv }).baseUrl, env.OPENAI_BASE_URL);
    assert.equal(resolveChatModel("gpt-4", { getEnv }).baseUrl, env.OPENAI_BASE_URL);
    // Other presets keep their own URL.
    assert.equal(
      resolveChatModel("together:x/y", { getEnv }).baseUrl,
      "https://api.together.xyz/v1",
    );
    // An empty variable is unset.
    assert.equal(
      resolveChatModel("groq", { getEnv: () => "" }).baseUrl,
      "https://api.groq.com/openai/v1",
    );
  });

  await t.step("--judge-base-url wins over the variable", () => {
    const resolved = resolveChatModel("groq", {
      baseUrl: "http://127.0.0.1:9003/v1",
      getEnv: (name) => name === "GROQ_BASE_URL" ? "http://127.0.0.1:9001/v1" : undefined,
    });
    assert.equal(resolved.baseUrl, "http://127.0.0.1:9003/v1");
    assert.equal(resolved.preset.name, "groq");
  });

  await t.step("refuses a base URL that is not http(s), naming the flag or variable", () => {
    for (const bad of ["localhost:8000", "not a url", "ftp://example.com/v1", "/v1"]) {
      assert.throws(
        () => resolveChatModel("groq", { getEnv: () => bad }),
        (error: unknown) =>
          error instanceof RangeError && /^GROQ_BASE_URL must be/.test(error.message),
      );
      assert.throws(
        () => resolveChatModel("gpt-4", { getEnv: () => bad }),
        /^RangeError: OPENAI_BASE_URL must be/,
      );
      assert.throws(
        () => resolveChatModel("groq", { baseUrl: bad }),
        /^RangeError: --judge-base-url must be/,
      );
      assert.throws(
        () => resolveChatModel("m", { baseUrl: bad, baseUrlFlag: "--openai-api-base" }),
        /^RangeError: --openai-api-base must be/,
      );
    }
    // The message shows the URL without credentials.
    assert.throws(
      () => resolveChatModel("groq", { getEnv: () => "ftp://user:secret@h/v1" }),
      (error: unknown) => error instanceof RangeError && !error.message.includes("secret"),
    );
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
