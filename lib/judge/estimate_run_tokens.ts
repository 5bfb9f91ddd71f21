import { estimateTokens } from "../chat/estimate_tokens.ts";
import type { PreparedMatch } from "./prepare_match.ts";

/** What {@linkcode estimateRunTokens} returns. */
export interface RunTokenEstimate {
  /** Judge requests: one per game (a pairwise match has two). */
  requests: number;
  /** Prompt tokens over every request, estimated from the characters. */
  promptTokens: number;
  /** Completion tokens assumed: `requests` times the expected output. */
  completionTokens: number;
}

/**
 * Estimates the tokens a judge run will use, for a dry run's cost: each game's
 * prompt by {@linkcode estimateTokens}, and `expectedOutput` completion tokens
 * per game.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { estimateRunTokens } from "./estimate_run_tokens.ts";
 * import type { PreparedMatch } from "./prepare_match.ts";
 * const game = { messages: [{ role: "user", content: "12345678" }] };
 * const match = { games: [game, game] } as unknown as PreparedMatch;
 * assert.deepEqual(estimateRunTokens([match], 300), {
 *   requests: 2,
 *   promptTokens: 4,
 *   completionTokens: 600,
 * });
 * ```
 */
export function estimateRunTokens(
  todo: readonly PreparedMatch[],
  expectedOutput: number,
): RunTokenEstimate {
  let promptTokens = 0;
  let requests = 0;
  for (const match of todo) {
    for (const game of match.games) {
      requests++;
      promptTokens += estimateTokens(game.messages);
    }
  }
  return { requests, promptTokens, completionTokens: requests * expectedOutput };
}
