// deno-lint-ignore-file no-console
/**
 * `llm-judge browse`: the QA browser (FastChat's `qa_browser.py`), a local web
 * page over a data root: questions, answers, references, judge explanations and
 * human votes, one model or two side by side, and where judges disagree.
 * @module
 */
import { resolveRoots } from "../lib/data/data_root.ts";
import { serveBrowse } from "../lib/browse/serve_browse.ts";
import { findJudgmentFiles } from "../lib/data/find_judgment_files.ts";
import { type Command, COMMON_OPTIONS, parseCommandArgs, UsageError } from "./_command.ts";

const HELP = `Usage: llm-judge browse [options]

Serves the QA browser, a web page to read a data root: pick a bench, a
category and a question, then one model (single view) or two (pairwise view)
to see both turns of each answer, the reference answer, every judgment file's
score or winner with the judge's explanation, and the human votes. A second
view lists the questions where two judges (GPT-4 pair, human experts,
authors, or judgment files) disagree. The address carries the whole view, so
it can be shared. The same data is served as JSON under /api/.

Options:
  --port N              Port (default 7860; 0 picks a free one).
  --host ADDR           Address to bind (default 127.0.0.1, this machine only).
  --human-bench NAME    Bench the human-judgment votes belong to (default mt_bench).
  --no-preload          Do not read the default bench into memory at start (by
                        default it is read in the background, so the first page
                        is fast).
  --data-dir DIR        Data root (default LLM_JUDGE_DATA, else ./data).
  --output-dir DIR      Output root, read first (default LLM_JUDGE_OUTPUT, else the
                        data root): its answers, judgment files (with judge
                        --per-model-file's <model>_<judge>_single.jsonl) and votes
                        are shown too; a file name in both roots is read from the
                        output root.
  -h, --help            Show this help.

Stop it with Ctrl-C.`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  port: { type: "string", default: "7860" },
  host: { type: "string", default: "127.0.0.1" },
  "human-bench": { type: "string", default: "mt_bench" },
  preload: { type: "boolean", default: true },
} as const;

/** The `browse` command. */
export const browseCommand: Command = {
  name: "browse",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const { values } = parseCommandArgs(args, OPTIONS);
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      throw new UsageError(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
    }
    const roots = resolveRoots({ dataDir: values["data-dir"], outputDir: values["output-dir"] });
    const root = roots.data;
    const controller = new AbortController();
    let server;
    try {
      server = serveBrowse(root, {
        hostname: values.host,
        port,
        humanBench: values["human-bench"],
        outputRoot: roots.output,
        signal: controller.signal,
        onError: (error, request) => {
          console.error(`llm-judge browse: ${request.method} ${request.url} failed:`, error);
        },
      });
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) {
        throw new UsageError(`port ${port} on ${values.host} is in use; pick another with --port`);
      }
      throw error;
    }
    // A missing data root is reported now rather than on the first page load.
    let benches: string[];
    try {
      benches = (await server.store.benches()).benches;
    } catch (error) {
      await server.shutdown();
      throw error;
    }
    console.log(`QA browser: ${server.url}`);
    console.log(`Data root: ${root} (${benches.length} benches: ${benches.join(", ") || "none"})`);
    if (server.store.roots.length > 1) console.log(`Output root: ${roots.output} (read first)`);
    const judgmentFiles: string[] = [];
    for (const bench of benches) {
      const found = await findJudgmentFiles(root, { outputRoot: roots.output, bench });
      judgmentFiles.push(...found.files.map((file) => file.path));
    }
    console.error(`llm-judge browse: judgment files: ${judgmentFiles.join(", ") || "none"}`);
    if (!["127.0.0.1", "localhost", "::1"].includes(values.host)) {
      console.log(
        `Warning: listening on ${values.host}; anyone who can reach it can read the data root.`,
      );
    }
    console.log("Press Ctrl-C to stop.");
    // Read the default bench into memory while nobody is waiting for it yet.
    const started = performance.now();
    if (values.preload) {
      server.store.warm().then((bench) => {
        if (bench === undefined) return;
        const seconds = ((performance.now() - started) / 1000).toFixed(2);
        console.log(`Preloaded ${bench} in ${seconds} s.`);
      }, (error) => console.error(`llm-judge browse: preloading failed: ${error}`));
    }
    const stop = () => controller.abort();
    Deno.addSignalListener("SIGINT", stop);
    if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
    await server.finished;
    Deno.removeSignalListener("SIGINT", stop);
    if (Deno.build.os !== "windows") Deno.removeSignalListener("SIGTERM", stop);
    return 0;
  },
};
