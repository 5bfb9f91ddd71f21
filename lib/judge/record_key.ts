import type { Judgment } from "../data/types.ts";
import { isPairJudgment } from "../data/types.ts";
import { sha256 } from "./prepare_match.ts";

/**
 * The resume key of an output record, comparable with a prepared match's
 * `keys`: the answer-hash key when the record has llm-judge provenance, else
 * the user-prompt key (records written by FastChat), else a bare key of
 * question, model(s), turn and judge.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recordKey } from "./record_key.ts";
 * const key = recordKey({ question_id: 81, model: "m", judge: ["gpt-4", "single-v1"], score: 7, turn: 1 }, "mt_bench");
 * assert.equal(key, '["bare","mt_bench",81,"m",1,"gpt-4","single-v1"]');
 * ```
 */
export function recordKey(record: Judgment, bench: string): string {
  const provenance = record.provenance as Record<string, unknown> | undefined;
  const recordBench = typeof provenance?.bench === "string" ? provenance.bench : bench;
  const models = isPairJudgment(record) ? [record.model_1, record.model_2] : record.model;
  const base = [
    recordBench,
    record.question_id,
    models,
    record.turn,
    record.judge[0],
    record.judge[1],
  ];
  if (typeof provenance?.answer_sha256 === "string") {
    return JSON.stringify(["answer", ...base, provenance.answer_sha256]);
  }
  const prompt = isPairJudgment(record) ? record.g1_user_prompt : record.user_prompt;
  if (typeof prompt === "string") return JSON.stringify(["prompt", ...base, sha256(prompt)]);
  return JSON.stringify(["bare", ...base]);
}

/** Whether a record is an error record: score -1, a winner "error", or an `error` field. */
export function isErrorRecord(record: Judgment): boolean {
  if (typeof record.error === "string") return true;
  if (isPairJudgment(record)) return record.g1_winner === "error" || record.g2_winner === "error";
  return record.score === -1;
}
