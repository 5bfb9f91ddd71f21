/**
 * A loopback server of the OpenAI Batch API (`Deno.serve` on 127.0.0.1,
 * port 0) for the `--batch` tests: `POST /v1/files` (multipart, purpose
 * batch), `GET /v1/files/{id}/content`, `POST /v1/batches`, `GET
 * /v1/batches` and `/v1/batches/{id}`, `POST /v1/batches/{id}/cancel`, and
 * `POST /v1/chat/completions` with the same replies, for comparing with the
 * interactive path. Each batch follows a script: a list of states, one step
 * per poll (validating → in_progress → completed/expired/failed), the share
 * of requests answered when it ends early, malformed output lines, requests
 * answered in the error file, and 5xx answers to the first downloads. A
 * `hold` rule keeps a matching request unanswered (after doing its work,
 * or before), so a test can kill the client at that moment.
 */
import { serveLoopback } from "./_loopback.ts";

/** How one batch behaves. */
export interface BatchScript {
  /** States seen by successive polls; the last one is final (default validating, in_progress, completed). */
  states?: string[];
  /** Share of requests answered when the batch ends expired or cancelled (default 0.5). */
  answered?: number;
  /** Output lines replaced by garbage (default 0). */
  malformedLines?: number;
  /** Requests answered with an HTTP 400 in the error file. */
  rejects?: (customId: string) => boolean;
  /** Downloads of this batch's files answered with a 503 before one succeeds (default 0). */
  downloadFailures?: number;
}

/** A request the server received. */
export interface BatchServerRequest {
  method: string;
  path: string;
}

/** A rule that keeps matching requests unanswered. */
export interface HoldRule {
  method: string;
  /** Matches the start of the path. */
  path: string;
  /** Do the request's work (create the file or batch) before holding. */
  after: boolean;
}

/** Options for {@linkcode startMockBatchServer}. */
export interface MockBatchServerOptions {
  /** The reply to a chat body (default: `[[A]]` for pairwise prompts, `Rating: [[8]]` otherwise). */
  reply?: (body: { messages: { role: string; content: string }[] }) => string;
  /** The script of the n-th batch created (0-based). */
  script?: (index: number) => BatchScript;
}

/** A running mock batch server. */
export interface MockBatchServer {
  /** `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  requests: BatchServerRequest[];
  /** Batches created, in order. */
  batches: { id: string; inputFileId: string; requests: number }[];
  /** Files uploaded: id → text. */
  files: Map<string, string>;
  /** Holds the next request that matches, until the server closes; resolves when one arrives. */
  hold(rule: HoldRule): Promise<void>;
  /** Releases held requests (answers them with a 503). */
  release(): void;
  /** Changes the script of batches created from now on. */
  setScript(script: (index: number) => BatchScript): void;
  close(): Promise<void>;
}

interface Batch {
  id: string;
  inputFileId: string;
  script: BatchScript;
  step: number;
  status: string;
  outputFileId: string | null;
  errorFileId: string | null;
  downloadFailures: number;
  lines: {
    custom_id: string;
    body: { messages: { role: string; content: string }[]; model: string };
  }[];
  createdAt: number;
}

/** The default reply, as the interactive mock judge of the CLI tests. */
export function defaultReply(body: { messages: { role: string; content: string }[] }): string {
  return body.messages.some((message) => message.content.includes("Assistant B"))
    ? "A is better. [[A]]"
    : "Solid answer. Rating: [[8]]";
}

/** Starts the server; close it when done. */
export function startMockBatchServer(
  options: MockBatchServerOptions = {},
): Promise<MockBatchServer> {
  const reply = options.reply ?? defaultReply;
  let script: (index: number) => BatchScript = options.script ?? (() => ({}));
  const requests: BatchServerRequest[] = [];
  const files = new Map<string, string>();
  const batches: Batch[] = [];
  const created: MockBatchServer["batches"] = [];
  let holdRule: { rule: HoldRule; arrived: () => void } | undefined;
  const held: (() => void)[] = [];
  let fileCount = 0;

  const completion = (body: Batch["lines"][number]["body"]) => {
    const content = reply(body);
    const promptChars = body.messages.reduce((sum, message) => sum + message.content.length, 0);
    const prompt = Math.ceil(promptChars / 4);
    const completionTokens = Math.ceil(content.length / 4);
    return {
      id: "chatcmpl-mock",
      object: "chat.completion",
      created: 1700000000,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: prompt,
        completion_tokens: completionTokens,
        total_tokens: prompt + completionTokens,
      },
    };
  };

  const finish = (batch: Batch) => {
    const terminal = batch.status;
    if (terminal === "failed") return;
    const share = terminal === "completed" ? 1 : batch.script.answered ?? 0.5;
    const answered = batch.lines.slice(0, Math.ceil(batch.lines.length * share));
    const output: string[] = [];
    const errors: string[] = [];
    for (const line of answered) {
      if (batch.script.rejects?.(line.custom_id)) {
        errors.push(JSON.stringify({
          id: `batch_req_${line.custom_id.length}`,
          custom_id: line.custom_id,
          response: {
            status_code: 400,
            body: { error: { message: "scripted rejection", type: "invalid_request_error" } },
          },
          error: null,
        }));
        continue;
      }
      output.push(JSON.stringify({
        id: "batch_req_x",
        custom_id: line.custom_id,
        response: { status_code: 200, request_id: "req_x", body: completion(line.body) },
        error: null,
      }));
    }
    // Outputs come back in another order than the input.
    output.reverse();
    // A malformed line takes the place of an answer: that request has no result.
    for (let i = 0; i < (batch.script.malformedLines ?? 0) && i < output.length; i++) {
      output[i] = '{"custom_id": "torn';
    }
    if (output.length > 0) {
      batch.outputFileId = `file-out-${batch.id}`;
      files.set(batch.outputFileId, output.join("\n") + "\n");
    }
    if (errors.length > 0) {
      batch.errorFileId = `file-err-${batch.id}`;
      files.set(batch.errorFileId, errors.join("\n") + "\n");
    }
  };

  const view = (batch: Batch) => {
    const total = batch.lines.length;
    const done = ["completed", "expired", "cancelled"].includes(batch.status);
    const answered = batch.status === "completed"
      ? total
      : done
      ? Math.ceil(total * (batch.script.answered ?? 0.5))
      : batch.status === "in_progress"
      ? Math.floor(total / 2)
      : 0;
    return {
      id: batch.id,
      object: "batch",
      endpoint: "/v1/chat/completions",
      input_file_id: batch.inputFileId,
      completion_window: "24h",
      status: batch.status,
      output_file_id: batch.outputFileId,
      error_file_id: batch.errorFileId,
      created_at: batch.createdAt,
      request_counts: { total, completed: answered, failed: 0 },
      errors: batch.status === "failed"
        ? { object: "list", data: [{ code: "invalid", message: "scripted validation failure" }] }
        : null,
    };
  };

  const json = (value: unknown, status = 200) =>
    new Response(JSON.stringify(value), {
      status,
      headers: { "content-type": "application/json" },
    });

  const server = serveLoopback(async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    requests.push({ method: request.method, path: path + url.search });
    const rule = holdRule?.rule;
    const holding = rule !== undefined && request.method === rule.method &&
      path.startsWith(rule.path);
    const arrived = holding ? holdRule!.arrived : undefined;
    if (holding) holdRule = undefined;
    const wait = () =>
      new Promise<Response>((release) => {
        held.push(() => release(json({ error: { message: "released" } }, 503)));
        arrived!();
      });
    if (holding && !rule.after) return await wait();
    const response = await handle(request, url);
    if (holding) return await wait();
    return response;
  });

  async function handle(request: Request, url: URL): Promise<Response> {
    const path = url.pathname;
    if (request.method === "POST" && path === "/v1/files") {
      const form = await request.formData();
      if (form.get("purpose") !== "batch") {
        return json({ error: { message: "purpose must be batch" } }, 400);
      }
      const file = form.get("file");
      if (!(file instanceof File)) return json({ error: { message: "no file" } }, 400);
      const id = `file-in-${++fileCount}`;
      files.set(id, await file.text());
      return json({
        id,
        object: "file",
        purpose: "batch",
        filename: file.name,
        bytes: file.size,
      });
    }
    const content = path.match(/^\/v1\/files\/([^/]+)\/content$/);
    if (request.method === "GET" && content) {
      const id = decodeURIComponent(content[1]!);
      const owner = batches.find((batch) => batch.outputFileId === id || batch.errorFileId === id);
      if (owner !== undefined && owner.downloadFailures > 0) {
        owner.downloadFailures--;
        return json({ error: { message: "scripted download failure" } }, 503);
      }
      const text = files.get(id);
      return text === undefined
        ? json({ error: { message: `no file ${id}` } }, 404)
        : new Response(text, { headers: { "content-type": "application/octet-stream" } });
    }
    if (request.method === "POST" && path === "/v1/batches") {
      const body = await request.json() as {
        input_file_id: string;
        endpoint: string;
        completion_window: string;
      };
      const text = files.get(body.input_file_id);
      if (text === undefined) return json({ error: { message: "no such file" } }, 400);
      if (body.endpoint !== "/v1/chat/completions" || body.completion_window !== "24h") {
        return json({ error: { message: "bad endpoint or window" } }, 400);
      }
      const index = batches.length;
      const batchScript = script(index);
      const states = batchScript.states ?? ["validating", "in_progress", "completed"];
      const batch: Batch = {
        id: `batch_${index + 1}`,
        inputFileId: body.input_file_id,
        script: { ...batchScript, states },
        step: 0,
        status: states[0]!,
        outputFileId: null,
        errorFileId: null,
        downloadFailures: batchScript.downloadFailures ?? 0,
        lines: text.trim().split("\n").map((line) => JSON.parse(line)),
        createdAt: 1700000000 + index,
      };
      batches.push(batch);
      created.push({
        id: batch.id,
        inputFileId: batch.inputFileId,
        requests: batch.lines.length,
      });
      return json(view(batch));
    }
    if (request.method === "GET" && path === "/v1/batches") {
      return json({ object: "list", data: [...batches].reverse().map(view), has_more: false });
    }
    const one = path.match(/^\/v1\/batches\/([^/]+)(\/cancel)?$/);
    if (one) {
      const batch = batches.find((item) => item.id === decodeURIComponent(one[1]!));
      if (batch === undefined) return json({ error: { message: "no such batch" } }, 404);
      if (request.method === "POST" && one[2]) {
        if (!["validating", "in_progress", "finalizing"].includes(batch.status)) {
          return json({ error: { message: `cannot cancel a ${batch.status} batch` } }, 400);
        }
        batch.status = "cancelling";
        batch.script.states = ["cancelling", "cancelled"];
        batch.step = 0;
        return json(view(batch));
      }
      if (request.method === "GET" && !one[2]) {
        const states = batch.script.states!;
        if (!["completed", "expired", "cancelled", "failed"].includes(batch.status)) {
          batch.step = Math.min(batch.step + 1, states.length - 1);
          batch.status = states[batch.step]!;
          if (["completed", "expired", "cancelled", "failed"].includes(batch.status)) {
            finish(batch);
          }
        }
        return json(view(batch));
      }
    }
    if (request.method === "POST" && path === "/v1/chat/completions") {
      const body = await request.json();
      return json(completion(body));
    }
    return json({ error: { message: `no route ${request.method} ${path}` } }, 404);
  }

  return Promise.resolve({
    baseUrl: `${server.origin}/v1`,
    requests,
    batches: created,
    files,
    hold(rule) {
      return new Promise((arrived) => {
        holdRule = { rule, arrived: () => arrived() };
      });
    },
    release() {
      for (const release of held.splice(0)) release();
    },
    setScript(next) {
      script = next;
    },
    async close() {
      for (const release of held.splice(0)) release();
      await server.close();
    },
  });
}
