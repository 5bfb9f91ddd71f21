// deno-lint-ignore-file no-console
/**
 * QA browser load benchmark (`deno task bench:browse`): starts the server
 * (`cli/main.ts browse`, in its own process, as `deno task browse` runs it) on
 * a data root, a fresh process for every measurement, and measures
 *
 * 1. the first page load in headless Chromium: from navigation start to the
 *    content on screen (the answers, or the disagreement table) and to the whole
 *    view rendered (judgment records included), for `/` (the default view), a
 *    deep link with human votes, and the disagreement list; once with the page
 *    opened as soon as the server listens (cold caches, the server's preload
 *    still running), once after the server has preloaded the default bench;
 * 2. each JSON API call, cold (first call on a fresh server) and warm (median
 *    of the next 5).
 *
 * Two data roots: the shared upstream root (31 answer files, human votes, no
 * judgment files) and the same root plus synthetic upstream-size judgment
 * files (`gpt-4_single.jsonl` for 31 models × 80 questions × 2 turns, and
 * `gpt-4_pair.jsonl` against gpt-3.5-turbo), written to a temp dir.
 *
 * Options: `--data-dir DIR` (default LLM_JUDGE_DATA, else ../shared/data),
 * `--runs N` page loads per URL (default 5), `--no-synthetic`, `--json FILE`
 * (default out/bench/browse.json).
 * @module
 */
import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { readAnswerDirectory } from "../lib/data/read_answers.ts";
import { readQuestions } from "../lib/data/read_questions.ts";
import { layout } from "../lib/data/data_root.ts";
import { writeTextFileAtomic } from "../lib/data/write_text_file_atomic.ts";
import { launchChromium } from "../tests/browse/_chromium.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    "data-dir": { type: "string" },
    runs: { type: "string", default: "5" },
    synthetic: { type: "boolean", default: true },
    json: { type: "string", default: "out/bench/browse.json" },
  },
  allowNegative: true,
});

const repo = new URL("..", import.meta.url).pathname;
const shared = values["data-dir"] ?? Deno.env.get("LLM_JUDGE_DATA") ??
  join(repo, "..", "shared", "data");
const runs = Number(values.runs);

interface PageTiming {
  url: string;
  /** Milliseconds from navigation start to the view's content on screen (median). */
  contentMs: number;
  /** Milliseconds to the whole view rendered, judgments and votes included (median). */
  readyMs: number;
  /** DOMContentLoaded (median). */
  domContentLoadedMs: number;
  runs: number[];
}

interface ApiTiming {
  path: string;
  coldMs: number;
  warmMs: number;
  bytes: number;
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (ms: number) => Math.round(ms * 10) / 10;

const PAGES = [
  "",
  "?bench=mt_bench&q=81&a=gpt-4&b=claude-v1",
  "?view=disagree&bench=mt_bench",
];

const API = [
  "api/benches",
  "api/bench?bench=mt_bench",
  "api/question?bench=mt_bench&question=81&model=gpt-4&model=claude-v1",
  "api/judgments?bench=mt_bench&question=81&model=gpt-4&model=claude-v1",
  "api/disagreements?bench=mt_bench&judge=gpt4-pair&judge=human",
  "api/question?bench=mt_bench&question=130&model=vicuna-13b-v1.3&model=llama-13b",
];

/** A QA browser server in its own process, as `deno task browse` runs it. */
interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `llm-judge browse` and resolves once it listens, or (`preloaded`) once it
 * has also read the default bench into memory.
 */
async function startServer(root: string, preloaded = false): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "--allow-net",
      join(repo, "cli", "main.ts"),
      "browse",
      "--port",
      "0",
      "--data-dir",
      root,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let url: string | undefined;
  while (url === undefined || (preloaded && !/^Preloaded /m.test(text))) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`the server exited before it was ready:\n${text}`);
    text += value;
    url = /QA browser: (\S+)/.exec(text)?.[1];
  }
  const drain = (async () => {
    while (!(await lines.read()).done) { /* keep the pipe empty */ }
  })();
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await drain;
    },
  };
}

async function measurePages(
  root: string,
  browser: Awaited<ReturnType<typeof launchChromium>>,
  preloaded: boolean,
): Promise<PageTiming[]> {
  const out: PageTiming[] = [];
  for (const path of PAGES) {
    const answers: number[] = [];
    const ready: number[] = [];
    const loaded: number[] = [];
    for (let run = 0; run < runs; run++) {
      const server = await startServer(root, preloaded);
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      try {
        await page.goto(server.url + path, { waitUntil: "commit" });
        await page.waitForSelector('body[data-ready="1"]', { timeout: 60_000 });
        const marks = await page.evaluate(() => {
          const [navigation] = performance.getEntriesByType(
            "navigation",
          ) as (PerformanceEntry & { domContentLoadedEventEnd: number })[];
          const paint = performance.getEntriesByName("content")[0];
          return {
            domContentLoaded: navigation?.domContentLoadedEventEnd ?? NaN,
            answers: paint?.startTime ?? NaN,
            ready: performance.getEntriesByName("ready")[0]?.startTime ?? NaN,
          };
        });
        answers.push(marks.answers);
        ready.push(marks.ready);
        loaded.push(marks.domContentLoaded);
      } finally {
        await context.close();
        await server.stop();
      }
    }
    out.push({
      url: `/${path}`,
      contentMs: round(median(answers)),
      readyMs: round(median(ready)),
      domContentLoadedMs: round(median(loaded)),
      runs: ready.map(round),
    });
  }
  return out;
}

async function measureApi(root: string): Promise<ApiTiming[]> {
  const server = await startServer(root);
  const out: ApiTiming[] = [];
  try {
    const time = async (path: string) => {
      const start = performance.now();
      const response = await fetch(server.url + path);
      const body = await response.arrayBuffer();
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return { ms: performance.now() - start, bytes: body.byteLength };
    };
    for (const path of API) {
      const cold = await time(path);
      const warm: number[] = [];
      for (let run = 0; run < 5; run++) warm.push((await time(path)).ms);
      out.push({ path, coldMs: round(cold.ms), warmMs: round(median(warm)), bytes: cold.bytes });
    }
  } finally {
    await server.stop();
  }
  return out;
}

/** A root that links the shared files and adds upstream-size synthetic judgment files. */
async function syntheticRoot(): Promise<{ root: string; files: Record<string, number> }> {
  const root = await Deno.makeTempDir({ prefix: "llm-judge-bench-browse-" });
  const bench = join(root, "mt_bench");
  await Deno.mkdir(join(bench, "model_judgment"), { recursive: true });
  for (
    const name of ["question.jsonl", "model_answer", "model_answer_earlier", "reference_answer"]
  ) {
    await Deno.symlink(join(shared, "mt_bench", name), join(bench, name));
  }
  await Deno.symlink(layout.humanDir(shared), layout.humanDir(root));
  await Deno.symlink(layout.judgePrompts(shared), layout.judgePrompts(root));
  const questions = await readQuestions(layout.questions(shared, "mt_bench"));
  const answers = await readAnswerDirectory(layout.answerDir(shared, "mt_bench"));
  const models = [...answers.keys()];
  const explanation = (seed: number) =>
    `The assistant's answer is relevant and mostly accurate. ${
      "It covers the main points the user asked about, with some detail and a clear structure. "
        .repeat(6)
    }Rating: [[${1 + seed % 10}]]`;
  const single: string[] = [];
  const pair: string[] = [];
  let seed = 0;
  for (const model of models) {
    for (const question of questions) {
      for (const turn of [1, 2]) {
        const answer = answers.get(model)?.get(question.question_id)?.choices[0]?.turns ?? [];
        const userPrompt = `[Question]\n${question.turns.slice(0, turn).join("\n\n")}\n\n` +
          `[The Start of Assistant's Answer]\n${answer.slice(0, turn).join("\n\n")}\n` +
          `[The End of Assistant's Answer]`;
        single.push(JSON.stringify({
          question_id: question.question_id,
          model,
          judge: ["gpt-4", turn === 1 ? "single-v1" : "single-v1-multi-turn"],
          user_prompt: userPrompt,
          judgment: explanation(seed),
          score: 1 + seed % 10,
          turn,
          tstamp: 1687221890 + seed,
        }));
        if (model !== "gpt-3.5-turbo") {
          const baseline =
            answers.get("gpt-3.5-turbo")?.get(question.question_id)?.choices[0]?.turns ?? [];
          const prompt = (a: string[], b: string[]) =>
            `[User Question]\n${question.turns.slice(0, turn).join("\n\n")}\n\n` +
            `[The Start of Assistant A's Answer]\n${a.slice(0, turn).join("\n\n")}\n` +
            `[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n` +
            `${b.slice(0, turn).join("\n\n")}\n[The End of Assistant B's Answer]`;
          const winners = ["model_1", "model_2", "tie"] as const;
          pair.push(JSON.stringify({
            question_id: question.question_id,
            model_1: model,
            model_2: "gpt-3.5-turbo",
            g1_winner: winners[seed % 3],
            g2_winner: winners[(seed + seed % 2) % 3],
            judge: ["gpt-4", turn === 1 ? "pair-v2" : "pair-v2-multi-turn"],
            g1_user_prompt: prompt(answer, baseline),
            g1_judgment: explanation(seed).replace(/Rating: .*$/, "[[A]]"),
            g2_user_prompt: prompt(baseline, answer),
            g2_judgment: explanation(seed + 1).replace(/Rating: .*$/, "[[B]]"),
            turn,
            tstamp: 1687221890 + seed,
          }));
        }
        seed++;
      }
    }
  }
  const singlePath = layout.judgmentFile(root, "mt_bench", "gpt-4", "single");
  const pairPath = layout.judgmentFile(root, "mt_bench", "gpt-4", "pair");
  await Deno.writeTextFile(singlePath, single.join("\n") + "\n");
  await Deno.writeTextFile(pairPath, pair.join("\n") + "\n");
  return {
    root,
    files: {
      "gpt-4_single.jsonl records": single.length,
      "gpt-4_single.jsonl MB": round((await Deno.stat(singlePath)).size / 1e6),
      "gpt-4_pair.jsonl records": pair.length,
      "gpt-4_pair.jsonl MB": round((await Deno.stat(pairPath)).size / 1e6),
    },
  };
}

function printPages(title: string, pages: PageTiming[]): void {
  console.log(`\n${title}: first page load in headless Chromium (median of ${runs})`);
  console.log("| URL | content on screen (ms) | whole view (ms) | DOMContentLoaded (ms) |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const page of pages) {
    console.log(
      `| \`${page.url}\` | ${page.contentMs} | ${page.readyMs} | ${page.domContentLoadedMs} |`,
    );
  }
}

function printApi(title: string, api: ApiTiming[]): void {
  console.log(
    `\n${title}: API calls (cold = first call on a fresh server, before its preload ends; ` +
      `warm = median of 5 more)`,
  );
  console.log("| call | cold (ms) | warm (ms) | bytes |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const call of api) {
    console.log(`| \`/${call.path}\` | ${call.coldMs} | ${call.warmMs} | ${call.bytes} |`);
  }
}

const browser = await launchChromium();
const report: Record<string, unknown> = {
  dataRoot: shared,
  runs,
  chromium: browser.version(),
  deno: Deno.version.deno,
  cpus: navigator.hardwareConcurrency,
  loadAverageAtStart: Deno.loadavg(),
};
console.log(
  `Chromium ${report.chromium}, ${report.cpus} CPUs, load average ${
    Deno.loadavg().map((load) => load.toFixed(2)).join(" ")
  }`,
);

async function scenario(title: string, root: string): Promise<Record<string, unknown>> {
  const cold = await measurePages(root, browser, false);
  printPages(`${title}, page opened as soon as the server listens`, cold);
  const preloaded = await measurePages(root, browser, true);
  printPages(`${title}, page opened after the server's preload`, preloaded);
  const api = await measureApi(root);
  printApi(title, api);
  return { pagesCold: cold, pagesPreloaded: preloaded, api };
}

try {
  report.shared = await scenario(
    "Shared data root (31 answer files, human votes, no judgment files)",
    shared,
  );
  if (values.synthetic) {
    const synthetic = await syntheticRoot();
    try {
      console.log(`\nSynthetic judgment files: ${JSON.stringify(synthetic.files)}`);
      report.synthetic = {
        files: synthetic.files,
        ...await scenario("Shared root + synthetic upstream-size judgment files", synthetic.root),
      };
    } finally {
      await Deno.remove(synthetic.root, { recursive: true });
    }
  }
} finally {
  await browser.close();
}
report.loadAverageAtEnd = Deno.loadavg();
const output = join(repo, values.json);
await Deno.mkdir(dirname(output), { recursive: true });
await writeTextFileAtomic(output, JSON.stringify(report, null, 2) + "\n");
console.log(`\nWrote ${output}`);
