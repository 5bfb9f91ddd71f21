import type { JudgeId } from "../data/types.ts";

/**
 * The judge group of a vote, as FastChat's `compute_agreement.get_judge_name`:
 * `["gpt-4", "pair…"]` is `gpt4-pair`, `expert_*` is `human` and `author_*` is
 * `author` (kept apart from `human`, as in the paper). The Hugging Face
 * `gpt4_pair` split stores the judge as the string `"gpt4_pair"`, which is also
 * `gpt4-pair`. Any other judge gives undefined, and its votes count for no group.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { judgeGroup } from "./judge_group.ts";
 * assert.equal(judgeGroup(["gpt-4", "pair-v2"]), "gpt4-pair");
 * assert.equal(judgeGroup("gpt4_pair"), "gpt4-pair");
 * assert.equal(judgeGroup("expert_17"), "human");
 * assert.equal(judgeGroup("author_2"), "author");
 * assert.equal(judgeGroup(["gpt-4", "single-v1"]), undefined);
 * ```
 */
export function judgeGroup(judge: string | JudgeId): string | undefined {
  if (Array.isArray(judge)) {
    return judge[0] === "gpt-4" && judge[1].startsWith("pair") ? "gpt4-pair" : undefined;
  }
  if (judge === "gpt4_pair") return "gpt4-pair";
  if (judge.startsWith("expert")) return "human";
  if (judge.startsWith("author")) return "author";
  return undefined;
}
