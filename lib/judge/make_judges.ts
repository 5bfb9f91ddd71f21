import type { JudgePrompt } from "../data/types.ts";
import type { JudgeSet } from "./types.ts";

/** Prompt names FastChat uses for each judge, by kind. */
export const JUDGE_PROMPT_NAMES = {
  single: {
    default: "single-v1",
    math: "single-math-v1",
    defaultMultiTurn: "single-v1-multi-turn",
    mathMultiTurn: "single-math-v1-multi-turn",
  },
  pairwise: {
    default: "pair-v2",
    math: "pair-math-v1",
    defaultMultiTurn: "pair-v2-multi-turn",
    mathMultiTurn: "pair-math-v1-multi-turn",
  },
} as const;

/**
 * Builds the four judges of a mode as FastChat's `make_judge_single` /
 * `make_judge_pairwise`: the default prompt, the reference-based math prompt,
 * and their multi-turn variants. A missing prompt throws a `RangeError` that
 * names it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeJudges } from "./make_judges.ts";
 * const prompts = new Map(
 *   ["single-v1", "single-math-v1", "single-v1-multi-turn", "single-math-v1-multi-turn"].map((name) => [
 *     name,
 *     { name, type: "single" as const, system_prompt: "", prompt_template: "", description: "", category: "", output_format: "[[rating]]" },
 *   ]),
 * );
 * const judges = makeJudges("gpt-4", prompts, "single");
 * assert.ok(judges.mathMultiTurn.refBased);
 * assert.ok(judges.mathMultiTurn.multiTurn);
 * ```
 */
export function makeJudges(
  judgeName: string,
  prompts: ReadonlyMap<string, JudgePrompt>,
  kind: "single" | "pairwise",
): JudgeSet {
  const names = JUDGE_PROMPT_NAMES[kind];
  const get = (name: string): JudgePrompt => {
    const prompt = prompts.get(name);
    if (prompt === undefined) {
      throw new RangeError(
        `The judge prompt file has no prompt named "${name}" (needed for ${kind} judging; it has: ${
          [...prompts.keys()].join(", ")
        })`,
      );
    }
    if (prompt.type !== kind) {
      throw new RangeError(
        `Judge prompt "${name}" has type "${prompt.type}", expected "${kind}"`,
      );
    }
    return prompt;
  };
  return {
    default: { name: judgeName, prompt: get(names.default), refBased: false, multiTurn: false },
    math: { name: judgeName, prompt: get(names.math), refBased: true, multiTurn: false },
    defaultMultiTurn: {
      name: judgeName,
      prompt: get(names.defaultMultiTurn),
      refBased: false,
      multiTurn: true,
    },
    mathMultiTurn: {
      name: judgeName,
      prompt: get(names.mathMultiTurn),
      refBased: true,
      multiTurn: true,
    },
  };
}
