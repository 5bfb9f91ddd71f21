// The messages between _read_ranges_parallel.ts and its workers
// (_judgment_range_worker.ts). Apart from the worker, whose module installs
// the worker's message handler.
import type { PairWinner, QuestionId } from "./types.ts";

/** What the worker is asked to read. */
export interface RangeRequest {
  kind: "single" | "pair";
  path: string;
  start: number;
  end: number;
  hint?: string | undefined;
  questionIds?: ReadonlySet<QuestionId> | undefined;
}

/** The records of a range, in columns; strings once each. */
export interface RangeColumns {
  count: number;
  models: string[];
  judges: [string, string][];
  questionIds: QuestionId[];
  /** `model` (single) or `model_1` (pair). */
  model: Int32Array;
  /** `model_2` (pair; empty for single). */
  model2: Int32Array;
  /** `g1_winner * 4 + g2_winner`, as indices of {@linkcode WINNERS} (pair; empty for single). */
  winners: Uint8Array;
  judge: Int32Array;
  question: Int32Array;
  score: Float64Array;
  turn: Float64Array;
  /** [record index, error text] of the records with an `error` field. */
  errors: [number, string][];
}

/** A failure: a DataError's parts (line counted from the range's first line), or a message. */
/** Winner codes of {@linkcode RangeColumns.winners}. */
export const WINNERS: readonly PairWinner[] = ["model_1", "model_2", "tie", "error"];

export type RangeFailure =
  | { kind: "data"; reason: string; line: number | undefined; field: string | undefined }
  | { kind: "other"; message: string };
