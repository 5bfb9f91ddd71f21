/**
 * Why a Hub model cannot be had:
 * - `auth`: the Hub refused the request (401/403): a gated or private repo;
 * - `not-found`: no such repo, revision or file (404);
 * - `no-onnx`: the repo has no ONNX files (a PyTorch/safetensors repo);
 * - `offline`: `HF_HUB_OFFLINE` is set and the cache lacks files;
 * - `network`: the Hub cannot be reached, or a download failed;
 * - `checksum`: a downloaded file has the wrong size or sha256 (it was deleted);
 * - `http`: any other error status.
 */
export type HubErrorKind =
  | "auth"
  | "not-found"
  | "no-onnx"
  | "offline"
  | "network"
  | "checksum"
  | "http";

/** Structured fields of a {@linkcode HubError}. */
export interface HubErrorDetails {
  /** Why it failed. */
  kind: HubErrorKind;
  /** The repo id, `org/name`. */
  repo: string;
  /** The revision asked for. */
  revision: string;
  /** The file, for file-level failures. */
  file?: string | undefined;
  /** HTTP status, when the Hub answered with an error. */
  status?: number | undefined;
  /** Files missing from the cache (`offline`). */
  missing?: readonly string[] | undefined;
}

/**
 * A Hub repo that cannot be resolved or downloaded; the message says what
 * to do (set `HF_TOKEN`, check the repo id, export the model to ONNX, …) and
 * never contains the token.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HubError } from "./hub_error.ts";
 * const error = new HubError("gated", { kind: "auth", repo: "a/b", revision: "main", status: 401 });
 * assert.equal(error.kind, "auth");
 * assert.equal(error.status, 401);
 * ```
 */
export class HubError extends Error {
  /** Why it failed. */
  readonly kind: HubErrorKind;
  /** The repo id. */
  readonly repo: string;
  /** The revision asked for. */
  readonly revision: string;
  /** The file, for file-level failures. */
  readonly file: string | undefined;
  /** HTTP status, when the Hub answered with an error. */
  readonly status: number | undefined;
  /** Files missing from the cache (`offline`). */
  readonly missing: readonly string[];

  /** Makes an error with a full message and the structured fields. */
  constructor(message: string, details: HubErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = "HubError";
    this.kind = details.kind;
    this.repo = details.repo;
    this.revision = details.revision;
    this.file = details.file;
    this.status = details.status;
    this.missing = details.missing ?? [];
  }
}
