import { readJsonl } from "./read_jsonl.ts";
import { parseConversation } from "./read_human_votes.ts";
import type { ChatMessage } from "./types.ts";
import {
  expectInteger,
  expectObject,
  expectString,
  fail,
  optionalString,
  requireField,
} from "./_validate.ts";

/**
 * One line of `mt_bench_human_judgments/conversations_reconstructed.jsonl`: the
 * full two-turn dialogue of one model on one question, as the Hugging Face rows
 * carry it in `conversation_a`/`conversation_b`.
 */
export interface ReconstructedConversation {
  /** The MT-Bench question. */
  question_id: number;
  /** The model whose answers these are. */
  model: string;
  /** The dialogue: question and answer of each turn, in order. */
  conversation: ChatMessage[];
  /** Where the record was rebuilt from (e.g. `vibhanshu_csv`). */
  source?: string;
}

/**
 * Reads and validates `conversations_reconstructed.jsonl`. A repeated
 * (question_id, model) is an error naming both lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readConversations } from "./read_conversations.ts";
 * const path = await Deno.makeTempFile({ suffix: ".jsonl" });
 * await Deno.writeTextFile(path, JSON.stringify({
 *   question_id: 81, model: "gpt-4",
 *   conversation: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }],
 * }) + "\n");
 * const [record] = await readConversations(path);
 * assert.equal(record!.conversation[1]!.content, "Hello");
 * ```
 */
export async function readConversations(path: string): Promise<ReconstructedConversation[]> {
  const records: ReconstructedConversation[] = [];
  const seen = new Map<string, number>();
  for await (const batch of readJsonl(path)) {
    for (const { line, value } of batch) {
      const source = { file: path, line };
      const record = expectObject(value, source);
      const questionId = expectInteger(
        requireField(record, "question_id", source),
        "question_id",
        source,
      );
      const model = expectString(requireField(record, "model", source), "model", source);
      const conversation = parseConversation(
        requireField(record, "conversation", source),
        "conversation",
        source,
      );
      const origin = optionalString(record, "source", source);
      const key = `${questionId}\u0000${model}`;
      const previous = seen.get(key);
      if (previous !== undefined) {
        fail(
          source,
          "model",
          `duplicate conversation for question_id ${questionId} and model ${
            JSON.stringify(model)
          } (first on line ${previous})`,
        );
      }
      seen.set(key, line);
      records.push(
        origin === undefined
          ? { question_id: questionId, model, conversation }
          : { question_id: questionId, model, conversation, source: origin },
      );
    }
  }
  return records;
}
