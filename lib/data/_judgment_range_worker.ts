// A worker that reads one byte range of a judgment file (every line parsed and
// checked, as streamSingleJudgments / streamPairJudgments do) and sends back
// only what the scores need, in columns: see _read_ranges_parallel.ts.
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { DataError } from "./data_error.ts";
import { streamPairJudgments, streamSingleJudgments } from "./read_judgments.ts";
import type { PairJudgment, QuestionId, SingleJudgment } from "./types.ts";
import {
  type RangeColumns,
  type RangeFailure,
  type RangeRequest,
  WINNERS,
} from "./_judgment_columns.ts";

self.onmessage = async (event: MessageEvent<RangeRequest>) => {
  const request = event.data;
  try {
    const columns = await readRange(request);
    const { model, model2, winners, judge, question, score, turn } = columns;
    const transfer = [model, model2, winners, judge, question, score, turn].map((array) =>
      array.buffer as ArrayBuffer
    );
    self.postMessage({ ok: columns }, { transfer });
  } catch (error) {
    const failure: RangeFailure = error instanceof DataError
      ? { kind: "data", reason: error.reason, line: error.line, field: error.field }
      : { kind: "other", message: error instanceof Error ? error.message : String(error) };
    self.postMessage({ failure });
  }
};

async function readRange(request: RangeRequest): Promise<RangeColumns> {
  const models = new Map<string, number>();
  const judges = new Map<string, Map<string, number>>();
  const judgeList: [string, string][] = [];
  const questions = new Map<QuestionId, number>();
  let capacity = 1 << 14;
  const pair = request.kind === "pair";
  let model = new Int32Array(capacity);
  let model2 = new Int32Array(pair ? capacity : 0);
  let winners = new Uint8Array(pair ? capacity : 0);
  let judge = new Int32Array(capacity);
  let question = new Int32Array(capacity);
  let score = new Float64Array(capacity);
  let turn = new Float64Array(capacity);
  const errors: [number, string][] = [];
  let count = 0;
  const options = {
    range: { start: request.start, end: request.end },
    ...(request.hint === undefined ? {} : { hint: request.hint }),
    ...(request.questionIds === undefined ? {} : { questionIds: request.questionIds }),
  };
  const modelId = (name: string) => {
    let id = models.get(name);
    if (id === undefined) {
      id = models.size;
      models.set(name, id);
    }
    return id;
  };
  let lastModel = "";
  let lastModelId = -1;
  const stream: AsyncGenerator<(SingleJudgment | PairJudgment)[]> = pair
    ? streamPairJudgments(request.path, options)
    : streamSingleJudgments(request.path, options);
  for await (const batch of stream) {
    if (count + batch.length > capacity) {
      while (count + batch.length > capacity) capacity *= 2;
      const grow = <T extends Int32Array | Float64Array | Uint8Array>(
        array: T,
        make: (n: number) => T,
      ) => {
        const next = make(capacity);
        next.set(array);
        return next;
      };
      model = grow(model, (n) => new Int32Array(n));
      if (pair) {
        model2 = grow(model2, (n) => new Int32Array(n));
        winners = grow(winners, (n) => new Uint8Array(n));
      }
      judge = grow(judge, (n) => new Int32Array(n));
      question = grow(question, (n) => new Int32Array(n));
      score = grow(score, (n) => new Float64Array(n));
      turn = grow(turn, (n) => new Float64Array(n));
    }
    for (const record of batch) {
      if (pair) {
        const game = record as PairJudgment;
        model[count] = modelId(game.model_1);
        model2[count] = modelId(game.model_2);
        winners[count] = WINNERS.indexOf(game.g1_winner) * 4 + WINNERS.indexOf(game.g2_winner);
      } else {
        const name = (record as SingleJudgment).model;
        if (name !== lastModel || lastModelId < 0) {
          lastModel = name;
          lastModelId = modelId(name);
        }
        model[count] = lastModelId;
        score[count] = (record as SingleJudgment).score;
      }
      let byPrompt = judges.get(record.judge[0]);
      if (byPrompt === undefined) judges.set(record.judge[0], byPrompt = new Map());
      let judgeId = byPrompt.get(record.judge[1]);
      if (judgeId === undefined) {
        judgeId = judgeList.length;
        byPrompt.set(record.judge[1], judgeId);
        judgeList.push([record.judge[0], record.judge[1]]);
      }
      let questionId = questions.get(record.question_id);
      if (questionId === undefined) {
        questionId = questions.size;
        questions.set(record.question_id, questionId);
      }
      judge[count] = judgeId;
      question[count] = questionId;
      turn[count] = record.turn;
      if (record.error !== undefined) errors.push([count, record.error]);
      count++;
    }
  }
  return {
    count,
    models: [...models.keys()],
    judges: judgeList,
    questionIds: [...questions.keys()],
    model: model.slice(0, count),
    model2: model2.slice(0, pair ? count : 0),
    winners: winners.slice(0, pair ? count : 0),
    judge: judge.slice(0, count),
    question: question.slice(0, count),
    score: score.slice(0, pair ? 0 : count),
    turn: turn.slice(0, count),
    errors,
  };
}
