/**
 * Generation, as FastChat's `gen_model_answer.py` and `gen_api_answer.py`:
 * one backend interface with three implementations — local ONNX models
 * (ONNX Runtime on CPU, WebGPU or CUDA, with a KV cache; continuous batching
 * on the CPU), any OpenAI-compatible API (spread over replicas, with the
 * judge runner's retries and rate limits) and a scripted mock — and the MT-Bench answering
 * loop over them (per-category temperatures, multi-turn conditioning,
 * FastChat answer records with a self-describing `generation` block).
 *
 * @example Answer a question with the scripted mock backend
 * ```ts
 * import assert from "node:assert/strict";
 * import { answerQuestions, createMockBackend } from "./mod.ts";
 * let turns: string[] = [];
 * await answerQuestions([{ question_id: 1, category: "math", turns: ["2+2?"] }], {
 *   backend: createMockBackend({ script: () => "4" }),
 *   modelId: "mock",
 *   onAnswer: (answer) => { turns = answer.choices[0]!.turns; },
 * });
 * assert.equal(turns[0], "4");
 * ```
 * @module
 */
export * from "./types.ts";
export * from "./model_load_error.ts";
export * from "./read_model_directory.ts";
export * from "./execution_provider.ts";
export * from "./onnx_decoder.ts";
export * from "./onnx_backend.ts";
export * from "./sample_token.ts";
export * from "./category_temperature.ts";
export * from "./mock_backend.ts";
export * from "./api_backend.ts";
export * from "./answer_questions.ts";
export * from "./batch_backend.ts";
export * from "./estimate_answer_tokens.ts";
