// Field checks shared by the typed readers. Each one throws a DataError that names
// the file, the line and the field.
import { DataError } from "./data_error.ts";

/** File and line a record came from. */
export interface RecordSource {
  /** Path of the file. */
  file: string;
  /** 1-based line number. */
  line: number;
}

/** A JSON object as parsed from one line. */
export type JsonObject = Record<string, unknown>;

/** Describes a JSON value for an error message: its type and a short quote. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  const quoted = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `${typeof value} ${quoted}`;
}

export function fail(source: RecordSource, field: string | undefined, reason: string): never {
  throw new DataError(reason, { file: source.file, line: source.line, field });
}

export function expectObject(value: unknown, source: RecordSource): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(source, undefined, `expected a JSON object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

export function requireField(record: JsonObject, field: string, source: RecordSource): unknown {
  const value = record[field];
  if (value === undefined) fail(source, field, `missing required field "${field}"`);
  return value;
}

export function expectString(value: unknown, field: string, source: RecordSource): string {
  if (typeof value !== "string") {
    fail(source, field, `expected "${field}" to be a string, got ${describe(value)}`);
  }
  return value;
}

export function expectNumber(value: unknown, field: string, source: RecordSource): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail(source, field, `expected "${field}" to be a number, got ${describe(value)}`);
  }
  return value;
}

export function expectInteger(value: unknown, field: string, source: RecordSource): number {
  const number = expectNumber(value, field, source);
  if (!Number.isInteger(number)) {
    fail(source, field, `expected "${field}" to be an integer, got ${describe(value)}`);
  }
  return number;
}

/** Question ids are integers in MT-Bench and strings in some benches (arena-hard). */
export function expectQuestionId(
  value: unknown,
  field: string,
  source: RecordSource,
): number | string {
  if (typeof value === "string" && value.length > 0) return value;
  return expectInteger(value, field, source);
}

export function expectStringArray(value: unknown, field: string, source: RecordSource): string[] {
  if (!Array.isArray(value)) {
    fail(source, field, `expected "${field}" to be an array of strings, got ${describe(value)}`);
  }
  for (let index = 0; index < value.length; index++) {
    if (typeof value[index] !== "string") {
      fail(
        source,
        `${field}[${index}]`,
        `expected "${field}[${index}]" to be a string, got ${describe(value[index])}`,
      );
    }
  }
  return value as string[];
}

export function expectTurn(value: unknown, field: string, source: RecordSource): number {
  const turn = expectInteger(value, field, source);
  if (turn < 1) fail(source, field, `expected "${field}" to be 1 or more, got ${turn}`);
  return turn;
}

/** A judgment's or vote's turn: MT-Bench questions have one or two turns. */
export function expectJudgedTurn(value: unknown, field: string, source: RecordSource): number {
  const turn = expectInteger(value, field, source);
  if (turn !== 1 && turn !== 2) {
    fail(
      source,
      field,
      `expected "${field}" to be 1 or 2 (the turns of an MT-Bench question), got ${turn}`,
    );
  }
  return turn;
}

/** A single-grade score: FastChat's scale is 1 to 10 (8.5 allowed); -1 means "no score". */
export function expectScore(value: unknown, field: string, source: RecordSource): number {
  const score = expectNumber(value, field, source);
  if (score !== -1 && (score < 1 || score > 10)) {
    fail(
      source,
      field,
      `expected "${field}" to be between 1 and 10 (or -1 for "no score"), got ${score}`,
    );
  }
  return score;
}

export function optionalString(
  record: JsonObject,
  field: string,
  source: RecordSource,
): string | undefined {
  const value = record[field];
  return value === undefined ? undefined : expectString(value, field, source);
}

export function optionalNumber(
  record: JsonObject,
  field: string,
  source: RecordSource,
): number | undefined {
  const value = record[field];
  return value === undefined ? undefined : expectNumber(value, field, source);
}
