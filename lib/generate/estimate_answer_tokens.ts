import type { Question } from "../data/types.ts";

/** Options for {@linkcode estimateAnswerTokens}. */
export interface EstimateAnswerTokensOptions {
  /**
   * Completions per question (`--num-choices`).
   * @default {1}
   */
  numChoices?: number;
  /**
   * Completion budget per turn (`--max-tokens`); the completion estimate is this bound.
   * @default {1024}
   */
  maxTokens?: number;
}

/** Requests and tokens a run of answers may take. */
export interface AnswerTokenEstimate {
  /** Chat requests: one per turn per choice. */
  requests: number;
  /** Prompt tokens at 4 characters per token, each turn resending the earlier questions. */
  promptTokens: number;
  /** Completion tokens at most: every reply uses its whole budget. */
  maxCompletionTokens: number;
}

/**
 * Estimates the requests and tokens of answering questions, for the stats
 * `gen-api` prints before it starts: prompt tokens from the questions' text
 * (4 characters a token; earlier turns are sent again, their answers not
 * counted), completion tokens as the `maxTokens` bound.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimateAnswerTokens } from "./estimate_answer_tokens.ts";
 * const estimate = estimateAnswerTokens(
 *   [{ question_id: 1, category: "writing", turns: ["abcd", "efgh"] }],
 *   { maxTokens: 10 },
 * );
 * assert.deepEqual(estimate, { requests: 2, promptTokens: 3, maxCompletionTokens: 20 });
 * ```
 */
export function estimateAnswerTokens(
  questions: readonly Question[],
  options: EstimateAnswerTokensOptions = {},
): AnswerTokenEstimate {
  const choices = options.numChoices ?? 1;
  const maxTokens = options.maxTokens ?? 1024;
  let requests = 0;
  let promptTokens = 0;
  for (const question of questions) {
    let sent = 0;
    for (const turn of question.turns) {
      sent += turn.length;
      requests += choices;
      promptTokens += choices * Math.ceil(sent / 4);
    }
  }
  return { requests, promptTokens, maxCompletionTokens: requests * maxTokens };
}
