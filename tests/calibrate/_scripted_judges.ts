/**
 * Scripted judges whose biases are known, over the human-study bench: each
 * script reads the two answers from the rendered prompt (FastChat's pair-v2
 * and multi-turn templates) and answers by a rule.
 */
import type { MockRequest, MockScript } from "../../lib/chat/mod.ts";
import type { PreparedMatch } from "../../lib/judge/mod.ts";
import type { HumanBenchItem } from "../../lib/calibrate/mod.ts";
import { itemKey } from "../../lib/calibrate/mod.ts";

/** The user message of a request. */
export function userText(request: MockRequest): string {
  return request.messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
}

/** The answer of one assistant ("A" or "B") to the judged turn, read from a pairwise prompt. */
export function answerIn(prompt: string, side: "A" | "B"): string {
  const single = new RegExp(
    `\\[The Start of Assistant ${side}'s Answer\\]\\n([\\s\\S]*?)\\n\\[The End of Assistant ${side}'s Answer\\]`,
  ).exec(prompt);
  if (single) return single[1]!;
  const start = `<|The Start of Assistant ${side}'s Conversation with User|>`;
  const end = `<|The End of Assistant ${side}'s Conversation with User|>`;
  const section = prompt.slice(prompt.indexOf(start), prompt.indexOf(end));
  const marker = `### Assistant ${side}:\n`;
  return section.slice(section.lastIndexOf(marker) + marker.length).replace(/\n+$/, "");
}

/** Always "[[A]]": the answer shown first wins. */
export const alwaysA: MockScript = () => ({ reply: "Assistant A is better. [[A]]" });

/** The longer answer to the judged turn wins; equal lengths tie. */
export const longerWins: MockScript = (request) => {
  const text = userText(request);
  const a = answerIn(text, "A").length, b = answerIn(text, "B").length;
  return { reply: a > b ? "[[A]]" : b > a ? "[[B]]" : "[[C]]" };
};

/** FNV-1a hash of a text, for deterministic pseudo-random choices. */
export function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

/** "[[A]]", except that a share of the requests (by prompt hash) gets an answer with no verdict. */
export function unparsable(share: number): MockScript {
  return (request) => ({
    reply: hash(userText(request)) / 2 ** 32 < share ? "I cannot decide." : "[[A]]",
  });
}

/**
 * A judge that votes as one expert did: each prompt is looked up among the
 * prepared matches (game 1 shows model_1 first, game 2 model_2), and the
 * expert's vote on the item is returned in that order; an item the expert
 * did not vote on is a tie.
 */
export function expertJudge(
  expert: string,
  prepared: readonly PreparedMatch[],
  items: readonly HumanBenchItem[],
): MockScript {
  const votes = new Map<string, "model_a" | "model_b" | "tie">();
  for (const item of items) {
    const vote = item.votes.find((entry) => entry.judge === expert);
    if (vote !== undefined) votes.set(itemKey(item), vote.winner);
  }
  const games = new Map<string, { key: string; swapped: boolean }>();
  for (const match of prepared) {
    if (match.match.kind !== "pair") continue;
    const key = itemKey({
      question_id: match.match.question.question_id,
      model_a: match.match.model1,
      model_b: match.match.model2,
      turn: match.match.multiTurn ? 2 : 1,
    });
    const swapped = !(match.match.model1 < match.match.model2);
    games.set(match.games[0]!.user, { key, swapped });
    games.set(match.games[1]!.user, { key, swapped: !swapped });
  }
  return (request) => {
    const game = games.get(userText(request));
    const winner = game === undefined ? undefined : votes.get(game.key);
    if (winner === undefined || winner === "tie") return { reply: "[[C]]" };
    const first = game!.swapped ? "model_b" : "model_a";
    return { reply: winner === first ? "[[A]]" : "[[B]]" };
  };
}

/** The graded answer of a single-grade prompt (single-v1 or the multi-turn template). */
export function singleAnswer(prompt: string): string {
  const match = /\[The Start of Assistant's Answer\]\n([\s\S]*?)\n\[The End of Assistant's Answer\]/
    .exec(prompt);
  return match ? match[1]! : answerIn(prompt, "A");
}

/**
 * A grade on FastChat's 1–10 scale that grows with the answer's length:
 * `1 + 9·n/(n + 1000)` for n characters, to 4 decimals.
 */
export function lengthScore(characters: number): number {
  return Number((1 + (9 * characters) / (characters + 1000)).toFixed(4));
}

/**
 * Longer is better, in both modes: a single grade is {@linkcode lengthScore};
 * a pairwise verdict picks the longer answer, and ties when the two grades are
 * within FastChat's TIE_DELTA (0.1), so the judge's single grades and pairwise
 * verdicts agree exactly.
 */
export const lengthJudge: MockScript = (request) => {
  const text = userText(request);
  if (text.includes("Assistant B")) {
    const a = lengthScore(answerIn(text, "A").length);
    const b = lengthScore(answerIn(text, "B").length);
    return { reply: Math.abs(a - b) <= 0.1 ? "[[C]]" : a > b ? "[[A]]" : "[[B]]" };
  }
  return { reply: `Rating: [[${lengthScore(singleAnswer(text).length)}]]` };
};
