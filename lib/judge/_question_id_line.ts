// Finds where a question id sits in a JSON Lines file, for error messages only
// (the readers keep no line numbers).
import { readJsonl } from "../data/read_jsonl.ts";
import type { QuestionId } from "../data/types.ts";

/** The 1-based line of the first record whose `question_id` is exactly `id`, if any. */
export async function questionIdLine(path: string, id: QuestionId): Promise<number | undefined> {
  for await (const batch of readJsonl(path)) {
    for (const { line, value } of batch) {
      if (
        typeof value === "object" && value !== null &&
        (value as { question_id?: unknown }).question_id === id
      ) return line;
    }
  }
  return undefined;
}
