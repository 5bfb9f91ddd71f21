import type { RenderedJudgePrompt } from "../prompts/render_judge_prompt.ts";
import type { Judgment, PairJudgment, PairWinner, SingleJudgment } from "../data/types.ts";
import type { TokenUsage } from "../chat/chat_client.ts";
import type { Verdict } from "./parse_verdict.ts";
import type { Match } from "./types.ts";
import { formatRecordLine } from "./format_record_line.ts";

/** How one game (one judge call) of a match went. */
export interface JudgedGame {
  /** The rendered prompt that was sent. */
  prompt: RenderedJudgePrompt;
  /** The judge's text; `$ERROR$` (`ERROR_OUTPUT`) when the request failed. */
  judgment: string;
  /** The verdict read from it, or an error verdict. */
  verdict: Verdict;
  /** Token usage reported by the server. */
  usage?: TokenUsage | undefined;
  /** Time spent in the successful request, in ms. */
  latencyMs?: number | undefined;
  /** Attempts made. */
  attempts: number;
  /** Model the server said answered. */
  responseModel?: string | undefined;
  /** Set when the game was scored by the language check instead of the judge. */
  languageCheck?: { expected: string; detected: string } | undefined;
}

/** Facts about the run that every record's provenance carries. */
export interface RecordContext {
  /** Bench name, e.g. `mt_bench`. */
  bench: string;
  /** Provider preset, e.g. `groq`. */
  provider: string;
  /** Model id sent to the API. */
  model: string;
  /** Base URL, without credentials. */
  baseUrl: string;
  /** Sampling parameters sent. */
  temperature: number;
  /** Reply token limit sent. */
  maxTokens: number;
  /** sha256 of the judged answers (see `prepareMatch`). */
  answerSha256: string;
  /** Name of the reference answer file used, e.g. `gpt-4`, for reference-based judges. */
  reference?: string | undefined;
  /**
   * The judge as the user named it (`--judge-model`, e.g. `groq:llama-3.1-8b-instant`);
   * the record's `judge` has the name without the provider prefix.
   */
  judgeSpec?: string | undefined;
  /** Seconds since the epoch, as Python's `time.time()`. */
  tstamp: number;
}

/** A record and its line as written. */
export interface BuiltRecord {
  /** The record, as it will be read back. */
  record: Judgment;
  /** The JSON line, ending with `\n`. */
  line: string;
}

/**
 * Builds a judgment record with FastChat's fields and order — single:
 * `question_id, model, judge, user_prompt, judgment, score, turn, tstamp`;
 * pair: `question_id, model_1, model_2, g1_winner, g2_winner, judge,
 * g1_user_prompt, g1_judgment, g2_user_prompt, g2_judgment, turn, tstamp` —
 * then `error` when a game failed (single: `score` -1; pair: the winner
 * `error`), then a `provenance` block (bench, provider, model, base URL,
 * parameters, token usage, latency, attempts, answer hash). Pair winners map
 * A/B to `model_1`/`model_2` in g1 and the other way round in g2.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildRecord } from "./build_record.ts";
 * const prompt = { name: "single-v1", type: "single" as const, system_prompt: "", prompt_template: "", description: "", category: "", output_format: "[[rating]]" };
 * const answer = { question_id: 81, model_id: "m", choices: [{ index: 0, turns: ["a"] }] };
 * const { record, line } = buildRecord(
 *   { kind: "single", question: { question_id: 81, category: "writing", turns: ["q"] }, model: "m", answer,
 *     judge: { name: "gpt-4", prompt, refBased: false, multiTurn: false }, multiTurn: false },
 *   [{ prompt: { system: "", user: "q", messages: [] }, judgment: "[[8.0]]", attempts: 1,
 *      verdict: { kind: "rating", score: 8, literal: "8.0" } }],
 *   { bench: "mt_bench", provider: "mock", model: "m", baseUrl: "mock://", temperature: 0, maxTokens: 2048, answerSha256: "x", tstamp: 1 },
 * );
 * assert.ok("score" in record);
 * assert.equal(record.score, 8);
 * assert.ok(line.includes('"score": 8.0'));
 * ```
 */
export function buildRecord(
  match: Match,
  games: readonly JudgedGame[],
  context: RecordContext,
): BuiltRecord {
  const judge: [string, string] = [match.judge.name, match.judge.prompt.name];
  const turn = match.multiTurn ? 2 : 1;
  const provenance = provenanceOf(games, context);
  if (match.kind === "single") {
    const game = games[0]!;
    const verdict = game.verdict;
    const record: SingleJudgment = {
      question_id: match.question.question_id,
      model: match.model,
      judge,
      user_prompt: game.prompt.user,
      judgment: game.judgment,
      score: verdict.kind === "rating" ? verdict.score : -1,
      turn,
      tstamp: context.tstamp,
    };
    if (verdict.kind === "error") record.error = verdict.error;
    else if (verdict.kind === "winner") {
      record.score = -1;
      record.error = `expected a rating, got a winner verdict "${verdict.winner}"`;
    }
    record.provenance = provenance;
    const literals = verdict.kind === "rating" ? { score: verdict.literal } : undefined;
    return { record, line: formatRecordLine(record, literals ? { literals } : {}) };
  }
  const [g1, g2] = games as [JudgedGame, JudgedGame];
  const record: PairJudgment = {
    question_id: match.question.question_id,
    model_1: match.model1,
    model_2: match.model2,
    g1_winner: winnerOf(g1.verdict, "model_1", "model_2"),
    g2_winner: winnerOf(g2.verdict, "model_2", "model_1"),
    judge,
    g1_user_prompt: g1.prompt.user,
    g1_judgment: g1.judgment,
    g2_user_prompt: g2.prompt.user,
    g2_judgment: g2.judgment,
    turn,
    tstamp: context.tstamp,
  };
  const errors = [["g1", g1], ["g2", g2]].flatMap(([name, game]) => {
    const verdict = (game as JudgedGame).verdict;
    if (verdict.kind === "error") return [`${name}: ${verdict.error}`];
    if (verdict.kind === "rating") return [`${name}: expected a winner verdict, got a rating`];
    return [];
  });
  if (errors.length > 0) record.error = errors.join("; ");
  record.provenance = provenance;
  return { record, line: formatRecordLine(record) };
}

function winnerOf(verdict: Verdict, a: PairWinner, b: PairWinner): PairWinner {
  if (verdict.kind !== "winner") return "error";
  return verdict.winner === "A" ? a : verdict.winner === "B" ? b : "tie";
}

function provenanceOf(games: readonly JudgedGame[], context: RecordContext) {
  const usages = games.map((game) => game.usage);
  const usage = usages.every((item) => item !== undefined)
    ? {
      prompt_tokens: sum(usages.map((item) => item!.promptTokens)),
      completion_tokens: sum(usages.map((item) => item!.completionTokens)),
      total_tokens: sum(usages.map((item) => item!.totalTokens)),
    }
    : null;
  const latencies = games.map((game) => game.latencyMs);
  const responseModel = games.find((game) => game.responseModel !== undefined)?.responseModel;
  const languageCheck = games.find((game) => game.languageCheck !== undefined)?.languageCheck;
  return {
    tool: "llm-judge",
    bench: context.bench,
    ...(context.judgeSpec !== undefined ? { judge_spec: context.judgeSpec } : {}),
    provider: context.provider,
    model: context.model,
    ...(responseModel !== undefined && responseModel !== context.model
      ? { response_model: responseModel }
      : {}),
    base_url: context.baseUrl,
    parameters: { temperature: context.temperature, max_tokens: context.maxTokens, n: 1 },
    usage,
    latency_ms: latencies.every((item) => item !== undefined)
      ? Math.round(sum(latencies as number[]))
      : null,
    attempts: sum(games.map((game) => game.attempts)),
    answer_sha256: context.answerSha256,
    ...(context.reference !== undefined ? { reference: context.reference } : {}),
    ...(languageCheck !== undefined ? { language_check: languageCheck } : {}),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
