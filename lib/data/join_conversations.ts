import type { ReconstructedConversation } from "./read_conversations.ts";
import type { HumanVote } from "./types.ts";

/** What {@linkcode joinConversations} returns. */
export interface JoinedVotes {
  /** The votes, with `conversation_a`/`conversation_b` set where a conversation was found. */
  votes: HumanVote[];
  /** Conversations looked up but not found, as `question_id/model`, each listed once. */
  missing: string[];
}

/**
 * Rebuilds `conversation_a`/`conversation_b` of label-only votes by joining the
 * reconstructed conversations on (question_id, model_a) and (question_id,
 * model_b). Votes whose conversation is missing keep that side unset; the
 * missing keys are listed. The input votes are not changed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinConversations } from "./join_conversations.ts";
 * const talk = (text: string) => [{ role: "user", content: "Q" }, { role: "assistant", content: text }];
 * const { votes, missing } = joinConversations(
 *   [{ question_id: 81, model_a: "a", model_b: "b", winner: "tie", judge: "expert_0", turn: 1 }],
 *   [{ question_id: 81, model: "a", conversation: talk("A") }],
 * );
 * assert.equal(votes[0]!.conversation_a![1]!.content, "A");
 * assert.equal(votes[0]!.conversation_b, undefined);
 * assert.equal(missing[0], "81/b");
 * ```
 */
export function joinConversations(
  votes: readonly HumanVote[],
  conversations: Iterable<ReconstructedConversation>,
): JoinedVotes {
  const byKey = new Map<string, ReconstructedConversation>();
  for (const record of conversations) byKey.set(`${record.question_id}/${record.model}`, record);
  const missing = new Set<string>();
  const lookup = (questionId: number, model: string) => {
    const key = `${questionId}/${model}`;
    const record = byKey.get(key);
    if (record === undefined) missing.add(key);
    return record?.conversation;
  };
  const joined = votes.map((vote) => {
    const out: HumanVote = { ...vote };
    const a = lookup(vote.question_id, vote.model_a);
    const b = lookup(vote.question_id, vote.model_b);
    if (a !== undefined) out.conversation_a = a;
    if (b !== undefined) out.conversation_b = b;
    return out;
  });
  return { votes: joined, missing: [...missing] };
}
