import { Template } from "npm:@huggingface/jinja@0.5.11";
import type { ChatTemplateMessage } from "./chat_templates.ts";

/** Options for {@linkcode renderChat}. */
export interface RenderChatOptions {
  /**
   * `bos_token` seen by the template.
   * @default {""}
   */
  bosToken?: string;
  /**
   * `eos_token` seen by the template.
   * @default {""}
   */
  eosToken?: string;
  /**
   * Append the opening of an assistant turn (`add_generation_prompt`).
   * @default {true}
   */
  addGenerationPrompt?: boolean;
  /**
   * Other variables for the template (e.g. `pad_token`).
   * @default {{}}
   */
  variables?: Record<string, unknown>;
}

const compiled = new Map<string, Template>();

/**
 * Renders a conversation with a Hugging Face chat template (the Jinja
 * `chat_template` of `tokenizer_config.json`, or a built-in one), the way
 * `transformers`' `apply_chat_template(..., tokenize=False)` does.
 * Compiled templates are cached. A template that fails to parse or raises
 * (`raise_exception`) throws an `Error` saying so.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderChat } from "./render_chat.ts";
 * import { namedChatTemplate } from "./chat_templates.ts";
 * const text = renderChat(namedChatTemplate("chatml").template, [{ role: "user", content: "Hi" }]);
 * assert.equal(text, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
 * ```
 */
export function renderChat(
  template: string,
  messages: readonly ChatTemplateMessage[],
  options: RenderChatOptions = {},
): string {
  let program = compiled.get(template);
  if (program === undefined) {
    try {
      program = new Template(template);
    } catch (error) {
      throw new Error(`Cannot parse the chat template: ${(error as Error).message}`, {
        cause: error,
      });
    }
    compiled.set(template, program);
  }
  try {
    return program.render({
      ...options.variables,
      messages: messages.map((message) => ({ role: message.role, content: message.content })),
      bos_token: options.bosToken ?? "",
      eos_token: options.eosToken ?? "",
      add_generation_prompt: options.addGenerationPrompt ?? true,
    });
  } catch (error) {
    throw new Error(`Cannot render the chat template: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
