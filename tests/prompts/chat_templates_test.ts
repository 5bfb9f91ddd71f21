import assert from "node:assert/strict";
import {
  CHAT_TEMPLATES,
  chatTemplateFingerprint,
  type ChatTemplateMessage,
  namedChatTemplate,
  renderChat,
} from "../../lib/prompts/mod.ts";

const CONVERSATION: ChatTemplateMessage[] = [
  { role: "system", content: "You are a helpful assistant." },
  { role: "user", content: "Hello!" },
  { role: "assistant", content: "Hi. How can I help?" },
  { role: "user", content: "Tell me a joke." },
];

function render(name: string, messages: readonly ChatTemplateMessage[]): string {
  const named = namedChatTemplate(name);
  return renderChat(named.template, messages, {
    bosToken: named.bosToken,
    eosToken: named.eosToken,
  });
}

// Expected strings are written by hand from each family's published prompt format.
Deno.test("renderChat() with the built-in templates", async (t) => {
  await t.step("llama-3 matches Meta's header/eot format", () => {
    assert.equal(
      render("llama-3", CONVERSATION),
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|>" +
        "<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>" +
        "<|start_header_id|>assistant<|end_header_id|>\n\nHi. How can I help?<|eot_id|>" +
        "<|start_header_id|>user<|end_header_id|>\n\nTell me a joke.<|eot_id|>" +
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
    );
  });

  await t.step("phi-3 matches the <|role|>…<|end|> format", () => {
    assert.equal(
      render("phi-3", CONVERSATION),
      "<|system|>\nYou are a helpful assistant.<|end|>\n<|user|>\nHello!<|end|>\n" +
        "<|assistant|>\nHi. How can I help?<|end|>\n<|user|>\nTell me a joke.<|end|>\n<|assistant|>\n",
    );
  });

  await t.step("mistral matches [INST] … [/INST] with </s> after answers", () => {
    assert.equal(
      render("mistral", CONVERSATION.slice(1)),
      "<s>[INST] Hello! [/INST]Hi. How can I help?</s>[INST] Tell me a joke. [/INST]",
    );
    assert.equal(
      render("mistral", CONVERSATION),
      "<s>[INST] You are a helpful assistant.\n\nHello! [/INST]Hi. How can I help?</s>" +
        "[INST] Tell me a joke. [/INST]",
    );
  });

  await t.step("chatml matches <|im_start|>role … <|im_end|>", () => {
    assert.equal(
      render("chatml", CONVERSATION.slice(0, 2)),
      "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n" +
        "<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n",
    );
  });

  await t.step("qwen adds its default system message only when none is given", () => {
    assert.equal(
      render("qwen", CONVERSATION.slice(1, 2)),
      "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n" +
        "<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n",
    );
    assert.equal(
      render("qwen2.5", [{ role: "system", content: "Be brief." }, CONVERSATION[1]!]),
      "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n" +
        "<|im_start|>assistant\n",
    );
  });

  await t.step("gemma matches <start_of_turn>user/model and folds the system message in", () => {
    assert.equal(
      render("gemma", CONVERSATION.slice(1)),
      "<bos><start_of_turn>user\nHello!<end_of_turn>\n<start_of_turn>model\nHi. How can I help?<end_of_turn>\n" +
        "<start_of_turn>user\nTell me a joke.<end_of_turn>\n<start_of_turn>model\n",
    );
    assert.equal(
      render("gemma", CONVERSATION.slice(0, 2)),
      "<bos><start_of_turn>user\nYou are a helpful assistant.\n\nHello!<end_of_turn>\n<start_of_turn>model\n",
    );
  });

  await t.step("leaves out the generation prompt when asked", () => {
    const named = namedChatTemplate("chatml");
    assert.equal(
      renderChat(named.template, [CONVERSATION[1]!], { addGenerationPrompt: false }),
      "<|im_start|>user\nHello!<|im_end|>\n",
    );
  });

  await t.step("reports a template that does not parse", () => {
    assert.throws(() => renderChat("{% for %}", CONVERSATION), /Cannot parse the chat template/);
  });

  await t.step("reports raise_exception as a render error", () => {
    assert.throws(
      () => renderChat("{{ raise_exception('no system role') }}", CONVERSATION),
      /Cannot render the chat template: .*no system role/,
    );
  });
});

Deno.test("namedChatTemplate()", async (t) => {
  await t.step("finds names and aliases case-insensitively", () => {
    assert.equal(namedChatTemplate("Qwen2").name, "qwen");
    assert.equal(namedChatTemplate("phi3").name, "phi-3");
  });

  await t.step("lists the names for an unknown one", () => {
    assert.throws(
      () => namedChatTemplate("vicuna"),
      /Unknown chat template "vicuna": expected one of llama-3, phi-3/,
    );
  });

  await t.step("every template has stop tokens and a distinct fingerprint", () => {
    const prints = new Set(CHAT_TEMPLATES.map((named) => chatTemplateFingerprint(named.template)));
    assert.equal(prints.size, CHAT_TEMPLATES.length);
    for (const named of CHAT_TEMPLATES) assert.ok(named.stopTokens.length > 0, named.name);
  });
});
