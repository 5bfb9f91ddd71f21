/** A chat message as chat templates see it. */
export interface ChatTemplateMessage {
  /** Who speaks. */
  role: "system" | "user" | "assistant";
  /** The message text. */
  content: string;
}

/** A built-in chat template, for models whose tokenizer config has none (`--template`). */
export interface NamedChatTemplate {
  /** Name used with `--template`. */
  name: string;
  /** Other accepted names. */
  aliases: readonly string[];
  /** The Jinja source, in the Hugging Face `chat_template` dialect. */
  template: string;
  /** `bos_token` passed to the template. */
  bosToken: string;
  /** `eos_token` passed to the template. */
  eosToken: string;
  /** Tokens that end an assistant turn; generation stops on any of them. */
  stopTokens: readonly string[];
  /** The published format this follows. */
  source: string;
}

// Each template is written from its model family's published prompt format.
// Roles a format lacks are folded as its reference template does: Mistral
// and Gemma put a system message before the first user message.

/** Takes a leading system message out of the loop: `system` is its text and a blank line, or empty. */
const SYSTEM_FIRST = "{{ bos_token }}{% if messages[0]['role'] == 'system' %}" +
  "{% set system = messages[0]['content'] | trim + '\\n\\n' %}{% set loop_messages = messages[1:] %}" +
  "{% else %}{% set system = '' %}{% set loop_messages = messages %}{% endif %}";

const LLAMA_3: NamedChatTemplate = {
  name: "llama-3",
  aliases: ["llama3", "llama-3.1", "llama-3.2"],
  template: "{{ bos_token }}{% for message in messages %}" +
    "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}" +
    "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
  bosToken: "<|begin_of_text|>",
  eosToken: "<|eot_id|>",
  stopTokens: ["<|eot_id|>", "<|end_of_text|>", "<|eom_id|>"],
  source: "Meta Llama 3 model card, prompt format",
};

const PHI_3: NamedChatTemplate = {
  name: "phi-3",
  aliases: ["phi3", "phi-3.5"],
  template: "{% for message in messages %}" +
    "{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}" +
    "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% else %}{{ eos_token }}{% endif %}",
  bosToken: "<s>",
  eosToken: "<|endoftext|>",
  stopTokens: ["<|end|>", "<|endoftext|>"],
  source: "microsoft/Phi-3-mini-4k-instruct model card, chat format",
};

const MISTRAL: NamedChatTemplate = {
  name: "mistral",
  aliases: ["mistral-instruct", "mixtral"],
  template: SYSTEM_FIRST +
    "{% for message in loop_messages %}{% if message['role'] == 'user' %}" +
    "{{ '[INST] ' + (system if loop.first else '') + message['content'] + ' [/INST]' }}" +
    "{% else %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}",
  bosToken: "<s>",
  eosToken: "</s>",
  stopTokens: ["</s>"],
  source: "mistralai/Mistral-7B-Instruct-v0.2 model card, instruction format",
};

const CHATML: NamedChatTemplate = {
  name: "chatml",
  aliases: [],
  template: "{% for message in messages %}" +
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}" +
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
  bosToken: "",
  eosToken: "<|im_end|>",
  stopTokens: ["<|im_end|>", "<|endoftext|>"],
  source: "OpenAI ChatML",
};

const QWEN: NamedChatTemplate = {
  name: "qwen",
  aliases: ["qwen2", "qwen2.5"],
  template: "{% for message in messages %}" +
    "{% if loop.first and message['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}" +
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}" +
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
  bosToken: "",
  eosToken: "<|im_end|>",
  stopTokens: ["<|im_end|>", "<|endoftext|>"],
  source: "Qwen2 chat format (ChatML with a default system message)",
};

const GEMMA: NamedChatTemplate = {
  name: "gemma",
  aliases: ["gemma-2", "gemma2"],
  template: SYSTEM_FIRST +
    "{% for message in loop_messages %}{% set role = 'model' if message['role'] == 'assistant' else 'user' %}" +
    "{{ '<start_of_turn>' + role + '\\n' + (system if loop.first else '') + message['content'] | trim + '<end_of_turn>\\n' }}" +
    "{% endfor %}{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}",
  bosToken: "<bos>",
  eosToken: "<eos>",
  stopTokens: ["<end_of_turn>", "<eos>"],
  source: "Google Gemma model card, formatted prompt",
};

/** The built-in chat templates. */
export const CHAT_TEMPLATES: readonly NamedChatTemplate[] = [
  LLAMA_3,
  PHI_3,
  MISTRAL,
  CHATML,
  QWEN,
  GEMMA,
];

/**
 * Finds a built-in chat template by name or alias (case-insensitive):
 * `llama-3`, `phi-3`, `mistral`, `chatml`, `qwen`, `gemma`. Throws a
 * `RangeError` listing the names for an unknown one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { namedChatTemplate } from "./chat_templates.ts";
 * assert.equal(namedChatTemplate("Llama3").name, "llama-3");
 * ```
 */
export function namedChatTemplate(name: string): NamedChatTemplate {
  const key = name.trim().toLowerCase();
  const found = CHAT_TEMPLATES.find((template) =>
    template.name === key || template.aliases.includes(key)
  );
  if (found === undefined) {
    throw new RangeError(
      `Unknown chat template ${JSON.stringify(name)}: expected one of ${
        CHAT_TEMPLATES.map((template) => template.name).join(", ")
      }`,
    );
  }
  return found;
}
