// Turns a thrown value into the API's error shape.
import { DataError } from "../data/data_error.ts";
import { BrowseRequestError } from "./browse_request_error.ts";
import type { BrowseApiError } from "./types.ts";

export function toApiError(error: unknown): BrowseApiError {
  if (error instanceof DataError) {
    const out: BrowseApiError = { kind: "data", message: error.message, file: error.file };
    if (error.line !== undefined) out.line = error.line;
    if (error.field !== undefined) out.field = error.field;
    return out;
  }
  if (error instanceof BrowseRequestError) return { kind: error.kind, message: error.message };
  return { kind: "internal", message: error instanceof Error ? error.message : String(error) };
}
