// deno-lint-ignore-file no-console
/**
 * Judge throughput benchmark (`deno task bench:judge`), against the loopback
 * OpenAI-compatible mock server through the real HTTP client (npm:openai):
 *
 * 1. latency: 2,000 single matches, 300 ms per reply, `--parallel 64`; prints
 *    the wall time and its ratio to the ideal 2,000 × 0.3 s / 64 (target ≤ 1.1).
 * 2. rate limit: a server that answers 429 past 600 requests in any rolling
 *    minute, the client at `--rpm 600`; prints the achieved rate as % of
 *    600/min (target ≥ 95%) and the % of requests answered 429 (target ≤ 2%).
 *
 * Options: `--matches N` (default 2000), `--rpm-requests N` (default 700,
 * i.e. about 70 s, past one full window), `--only latency|rate`.
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import type { JudgePrompt, ModelAnswer, Question } from "../lib/data/types.ts";
import {
  judgeMatches,
  openJudgmentLog,
  type PreparedMatch,
  prepareMatch,
} from "../lib/judge/mod.ts";
import { createChatClient, resolveChatModel } from "../lib/chat/mod.ts";
import { startMockServer } from "../tests/_mock_openai_server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    matches: { type: "string", default: "2000" },
    "rpm-requests": { type: "string", default: "700" },
    only: { type: "string" },
  },
});

const PROMPT: JudgePrompt = {
  name: "single-v1",
  type: "single",
  system_prompt: "Synthetic benchmark judge.",
  prompt_template: "Grade 1-10 as [[rating]].\n\n[Question]\n{question}\n\n[Answer]\n{answer}",
  description: "",
  category: "general",
  output_format: "[[rating]]",
};

function syntheticMatches(count: number): PreparedMatch[] {
  const judge = { name: "bench-judge", prompt: PROMPT, refBased: false, multiTurn: false };
  return Array.from({ length: count }, (_, index) => {
    const question: Question = {
      question_id: index + 1,
      category: "writing",
      turns: [`Synthetic question ${index + 1}: ${"lorem ipsum ".repeat(20)}`],
    };
    const answer: ModelAnswer = {
      question_id: index + 1,
      model_id: "model",
      choices: [{
        index: 0,
        turns: [`Synthetic answer ${index + 1}: ${"dolor sit amet ".repeat(60)}`],
      }],
    };
    return prepareMatch(
      { kind: "single", question, model: "model", answer, judge, multiTurn: false },
      "bench",
    );
  });
}

async function run(
  label: string,
  matches: PreparedMatch[],
  server: Awaited<ReturnType<typeof startMockServer>>,
  options: { parallel: number; rpm?: number },
) {
  const dir = await Deno.makeTempDir({ prefix: "llm-judge-bench-" });
  const log = await openJudgmentLog(join(dir, `${label}.jsonl`));
  const client = createChatClient(resolveChatModel("bench-judge", { baseUrl: server.baseUrl }));
  const started = performance.now();
  const result = await judgeMatches(matches, {
    client,
    bench: "bench",
    parallel: options.parallel,
    rpm: options.rpm,
    onRecord: (built) => log.append(built.line),
  });
  const wallMs = performance.now() - started;
  await log.close();
  await Deno.remove(dir, { recursive: true });
  return { result, wallMs };
}

if (values.only === undefined || values.only === "latency") {
  const count = Number(values.matches);
  const latencyMs = 300;
  const parallel = 64;
  const server = await startMockServer({ latencyMs });
  try {
    const { result, wallMs } = await run("latency", syntheticMatches(count), server, { parallel });
    const ideal = (count * latencyMs) / parallel;
    console.log(`latency: ${count} matches, ${latencyMs} ms per reply, --parallel ${parallel}`);
    console.log(
      `  wall ${(wallMs / 1000).toFixed(2)} s, ideal ${(ideal / 1000).toFixed(2)} s, ratio ${
        (wallMs / ideal).toFixed(3)
      } (target <= 1.1); ${result.done} records, ${result.errors} errors, ${result.retries} retries`,
    );
  } finally {
    await server.close();
  }
}

if (values.only === undefined || values.only === "rate") {
  const count = Number(values["rpm-requests"]);
  const rpm = 600;
  const server = await startMockServer({ latencyMs: 50, rpmLimit: rpm });
  try {
    const { result, wallMs } = await run("rate", syntheticMatches(count), server, {
      parallel: 64,
      rpm,
    });
    const times = server.requests.map((request) => request.at).sort((a, b) => a - b);
    const spanMs = times.at(-1)! - times[0]!;
    const achieved = ((times.length - 1) / spanMs) * 60_000;
    const limited = server.rateLimited;
    console.log(`rate: ${count} requests, server limit ${rpm}/min (rolling), --rpm ${rpm}`);
    console.log(
      `  achieved ${achieved.toFixed(1)}/min = ${
        (achieved / rpm * 100).toFixed(1)
      }% of ${rpm}/min (target >= 95%); ` +
        `429s ${limited}/${server.requests.length} = ${
          (limited / server.requests.length * 100).toFixed(2)
        }% (target <= 2%); wall ${
          (wallMs / 1000).toFixed(1)
        } s; ${result.done} records, ${result.errors} errors`,
    );
  } finally {
    await server.close();
  }
}
