/** Types of the Batch API layer: requests, results, limits and the provider's batch object. */
import type { ChatResponse } from "../chat_client.ts";
import type { ChatCompletionBody } from "../providers/chat_completion_body.ts";

/** One request of a batch: a chat-completions body and the id its result comes back under. */
export interface BatchRequest {
  /** The provider's `custom_id`: unique in a run (a judge's record key, a hash of the body). */
  customId: string;
  /** The body, as the interactive client would send it. */
  body: ChatCompletionBody;
  /**
   * Requests with the same group go in the same batch (both games of a pairwise match).
   * @default {undefined} (alone)
   */
  group?: string | undefined;
}

/** What came back for one request. */
export type BatchItemResult =
  | {
    customId: string;
    ok: true;
    response: ChatResponse;
    /** The batch it came from. */
    batchId: string;
  }
  | {
    customId: string;
    ok: false;
    /** Why there is no answer: the provider's error, or the batch's end state. */
    error: string;
    /** The batch it was in, when it got one. */
    batchId?: string | undefined;
  };

/** The per-file limits of a provider's Batch API. */
export interface BatchLimits {
  /** Requests per input file. */
  maxRequests: number;
  /** Bytes per input file. */
  maxBytes: number;
}

/** A batch's state as the provider reports it. */
export type BatchStatus =
  | "validating"
  | "failed"
  | "in_progress"
  | "finalizing"
  | "completed"
  | "expired"
  | "cancelling"
  | "cancelled";

/** The states after which a batch changes no more. */
export const TERMINAL_BATCH_STATUSES: readonly string[] = [
  "completed",
  "expired",
  "cancelled",
  "failed",
];

/** The fields of the provider's batch object that the runner reads. */
export interface BatchObject {
  /** The batch id, e.g. `batch_abc123`. */
  id: string;
  /** Its state. */
  status: BatchStatus | string;
  /** The uploaded input file. */
  input_file_id: string;
  /** The answers, once it ended. */
  output_file_id?: string | null;
  /** The requests that failed, once it ended. */
  error_file_id?: string | null;
  /** Requests in it, done and failed. */
  request_counts?: { total: number; completed: number; failed: number } | null;
  /** Why it failed (validation). */
  errors?: { data?: { message?: string; code?: string; line?: number | null }[] } | null;
  /** Unix seconds. */
  created_at?: number;
}
