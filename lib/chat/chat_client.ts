/** The judge-client interface every provider implements. */

/** One chat message of a request: a judge prompt's system and user messages, or a conversation (`gen-api`). */
export interface ChatRequestMessage {
  /** Who speaks. */
  role: "system" | "user" | "assistant";
  /** The message text. */
  content: string;
}

/** Token counts a server reports for one completion. */
export interface TokenUsage {
  /** Tokens of the prompt (every message sent). */
  promptTokens: number;
  /** Tokens of the reply. */
  completionTokens: number;
  /** Prompt and reply tokens together, as the server reports them. */
  totalTokens: number;
}

/** One chat-completion request to a judge. */
export interface ChatRequest {
  /** System and user messages (and assistant turns of a conversation). */
  messages: readonly ChatRequestMessage[];
  /** Sampling temperature; FastChat judges at 0. */
  temperature: number;
  /** Completion budget; FastChat uses 2048. */
  maxTokens: number;
  /** Aborts the request (run stopped or per-request timeout). */
  signal?: AbortSignal | undefined;
  /** Strings that end the completion (`gen-api`). */
  stop?: readonly string[] | undefined;
  /** Sampling seed, for servers that take one (`gen-api`). */
  seed?: number | undefined;
}

/** What a judge answered. */
export interface ChatResponse {
  /** The message content; may be empty, which the runner treats as a failed attempt. */
  content: string;
  /** Token usage, when the server reports it. */
  usage?: TokenUsage | undefined;
  /** Model the server says answered, when it says. */
  model?: string | undefined;
  /** Why the completion ended (`stop`, `length`, …), when the server says. */
  finishReason?: string | undefined;
}

/**
 * A chat endpoint that judges. Implementations make one attempt per call and
 * report failures as `ChatRequestError`; retries, pacing and timeouts are the
 * runner's.
 */
export interface ChatClient {
  /** Provider preset name, e.g. `openai`, `groq`, `mock`. */
  readonly provider: string;
  /** Model id sent in requests. */
  readonly model: string;
  /** Base URL, without credentials. */
  readonly baseUrl: string;
  /** Sends one request. */
  complete(request: ChatRequest): Promise<ChatResponse>;
}
