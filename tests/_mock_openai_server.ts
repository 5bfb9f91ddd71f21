/**
 * A real OpenAI-compatible chat-completions server on loopback (`Deno.serve`
 * on 127.0.0.1, port 0) for the judge tests and the judge benchmark. It answers
 * from the same `MockScript` as the scripted mock client, and can add latency
 * and enforce a requests-per-minute limit (sliding window, 429 past it).
 */
import { defaultMockScript, type MockAction, type MockScript } from "../lib/chat/providers/mock.ts";
import type { JudgeMessage } from "../lib/prompts/render_judge_prompt.ts";
import { serveLoopback } from "./_loopback.ts";

/** A request the server received. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** ms since the server started. */
  at: number;
}

/** Options for {@linkcode startMockServer}. */
export interface MockServerOptions {
  /** The script; default: `[[A]]` for pairwise prompts, `[[7]]` otherwise. */
  script?: MockScript;
  /** Latency added to every successful reply, in ms. */
  latencyMs?: number;
  /** Enforce this many requests per rolling minute (429 with Retry-After past it). */
  rpmLimit?: number;
  /** Rolling window for `rpmLimit`, in ms (default 60 000). */
  windowMs?: number;
}

/** A running mock server. */
export interface MockServer {
  /** `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  requests: ReceivedRequest[];
  /** Requests answered with a 429 by the rate limit (not by the script). */
  rateLimited: number;
  close(): Promise<void>;
}

/** Starts the server; close it when done. */
export function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const script = options.script ?? defaultMockScript;
  const started = performance.now();
  const windowMs = options.windowMs ?? 60_000;
  const admitted: number[] = [];
  const state = { rateLimited: 0 };
  const requests: ReceivedRequest[] = [];
  let index = 0;
  const server = serveLoopback(async (request) => {
    const url = new URL(request.url);
    const text = await request.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text);
    } catch {
      return json({ error: { message: "request body is not JSON" } }, 400);
    }
    const at = performance.now() - started;
    requests.push({
      method: request.method,
      path: url.pathname + url.search,
      headers: Object.fromEntries(request.headers),
      body,
      at,
    });
    if (!url.pathname.endsWith("/chat/completions")) {
      return json({ error: { message: `no route ${url.pathname}` } }, 404);
    }
    if (options.rpmLimit !== undefined) {
      while (admitted.length > 0 && admitted[0]! <= at - windowMs) admitted.shift();
      if (admitted.length >= options.rpmLimit) {
        state.rateLimited++;
        const wait = Math.max(0.001, (admitted[0]! + windowMs - at) / 1000);
        return json(
          { error: { message: "Rate limit reached for requests", type: "requests" } },
          429,
          { "retry-after": wait.toFixed(3) },
        );
      }
      admitted.push(at);
    }
    const action: MockAction = await script({
      index: index++,
      model: String(body.model),
      messages: (body.messages ?? []) as JudgeMessage[],
      temperature: Number(body.temperature),
      maxTokens: Number(body.max_tokens),
    });
    return await respond(action, body, server.signal, options.latencyMs ?? 0);
  });
  const origin = server.origin;
  return Promise.resolve({
    baseUrl: `${origin}/v1`,
    origin,
    requests,
    get rateLimited() {
      return state.rateLimited;
    },
    async close() {
      await server.close();
    },
  });
}

async function respond(
  action: MockAction,
  body: Record<string, unknown>,
  signal: AbortSignal,
  latencyMs: number,
): Promise<Response> {
  if ("reply" in action) {
    await sleep(latencyMs + (action.delayMs ?? 0), signal);
    const messages = (body.messages ?? []) as JudgeMessage[];
    const promptChars = messages.reduce((sum, message) => sum + String(message.content).length, 0);
    const usage = action.usage ?? {
      promptTokens: Math.ceil(promptChars / 4),
      completionTokens: Math.ceil(action.reply.length / 4),
      totalTokens: Math.ceil(promptChars / 4) + Math.ceil(action.reply.length / 4),
    };
    return json(completion(String(body.model), action.reply, usage), 200);
  }
  if ("status" in action) {
    const headers: Record<string, string> = {};
    if (action.retryAfterSeconds !== undefined) {
      headers["retry-after"] = String(action.retryAfterSeconds);
    }
    return json({ error: { message: action.message ?? "scripted error" } }, action.status, headers);
  }
  switch (action.fail) {
    case "reset": {
      // Headers go out, then the body stream errors: the client sees the connection drop.
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"id":"x","choices":['));
          setTimeout(() => controller.error(new Error("connection reset by mock")), 5);
        },
      });
      return new Response(stream, { status: 200, headers: { "content-type": "application/json" } });
    }
    case "timeout":
      await sleep(Number.POSITIVE_INFINITY, signal);
      return json({ error: { message: "too late" } }, 504);
    case "malformed":
      return new Response('{"id": "x", "choices": [', {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    case "empty":
      return json(completion(String(body.model), "", undefined), 200);
  }
}

function completion(
  model: string,
  content: string,
  usage: { promptTokens: number; completionTokens: number; totalTokens: number } | undefined,
) {
  return {
    id: "chatcmpl-mock",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    ...(usage === undefined ? {} : {
      usage: {
        prompt_tokens: usage.promptTokens,
        completion_tokens: usage.completionTokens,
        total_tokens: usage.totalTokens,
      },
    }),
  };
}

function json(value: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
