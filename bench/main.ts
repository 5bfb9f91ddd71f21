// deno-lint-ignore-file no-console
/**
 * `deno task bench`: times `show` and `agree` end to end (as the CLI runs, in a
 * subprocess) on synthetic files of 10k, 100k and 1M records, with peak RSS.
 * A benchmark script, not a test: it prints numbers and writes them to
 * out/bench/analysis.json. These files are the small synthetic ones (about 290
 * bytes a record, no judgment text).
 *
 * With `--vs-fastchat DIR` it runs instead the side-by-side comparison with
 * FastChat's own scripts from the checkout DIR, on realistic files
 * (bench/vs_fastchat.ts), and writes the table into docs/benchmarks.md.
 *
 * Usage: deno task bench [--sizes 10000,100000,1000000] [--repeat 3]
 *        deno task bench --vs-fastchat DIR [--python /usr/bin/python3]
 *          [--tiers real,10000,100000[,1000000]] [--repeat 3] [--no-docs]
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { writeSingleJudgments, writeVotes } from "./synthetic.ts";
import { runVsFastchat } from "./vs_fastchat.ts";

const root = new URL("..", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    sizes: { type: "string", default: "10000,100000,1000000" },
    repeat: { type: "string", default: "3" },
    "vs-fastchat": { type: "string" },
    python: { type: "string" },
    tiers: { type: "string", default: "real,10000,100000" },
    "data-dir": { type: "string" },
    "no-docs": { type: "boolean", default: false },
  },
});
const START = "<!-- vs-fastchat:start -->";
const END = "<!-- vs-fastchat:end -->";

if (values["vs-fastchat"] !== undefined) {
  const docs = join(root, "docs", "benchmarks.md");
  const section = await runVsFastchat({
    fastchat: values["vs-fastchat"],
    python: values.python ?? await pythonWithPandas(),
    tiers: values.tiers.split(","),
    repeat: Math.max(3, Number(values.repeat)),
    root,
    work: join(root, "out", "bench", "vs_fastchat"),
    data: values["data-dir"] ?? Deno.env.get("LLM_JUDGE_DATA") ?? join(root, "data"),
    docs: values["no-docs"] ? undefined : docs,
  });
  if (!values["no-docs"]) {
    await replaceSection(docs, section);
    console.log(`Wrote the table into ${docs}`);
  }
  Deno.exit(0);
}

/** python3 on PATH when it has pandas, else Debian's /usr/bin/python3. */
async function pythonWithPandas(): Promise<string> {
  for (const candidate of ["python3", "/usr/bin/python3"]) {
    const ok = await new Deno.Command(candidate, {
      args: ["-c", "import pandas"],
      stdout: "null",
      stderr: "null",
    }).output().then((output) => output.success, () => false);
    if (ok) return candidate;
  }
  return "python3";
}

/** Replaces the text between the vs-fastchat markers of the benchmarks page. */
async function replaceSection(path: string, section: string): Promise<void> {
  const text = await Deno.readTextFile(path);
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`no ${START} … ${END} markers in ${path}`);
  await Deno.writeTextFile(
    path,
    text.slice(0, start + START.length) + "\n" + section + text.slice(end),
  );
}

const sizes = values.sizes.split(",").map(Number);
const repeat = Number(values.repeat);
const work = join(root, "out", "bench");
await Deno.mkdir(work, { recursive: true });

interface Timing {
  /** Best wall time of the runs. */
  seconds: number;
  /** Median wall time of the runs. */
  median: number;
  peakRssMb: number;
}

/** Runs the CLI `repeat` times; returns the best and median wall times and the peak RSS seen. */
async function time(args: string[]): Promise<Timing> {
  const times: number[] = [];
  let peak = 0;
  for (let run = 0; run < repeat; run++) {
    const started = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", join(root, "cli", "main.ts"), ...args],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let hwm = 0;
    const poll = setInterval(() => {
      try {
        const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
        const match = status.match(/VmHWM:\s+(\d+) kB/);
        if (match) hwm = Math.max(hwm, Number(match[1]));
      } catch {
        // Process already gone.
      }
    }, 10);
    const output = await child.output();
    clearInterval(poll);
    const seconds = (performance.now() - started) / 1000;
    if (!output.success) {
      throw new Error(
        `llm-judge ${args.join(" ")} failed:\n${new TextDecoder().decode(output.stderr)}`,
      );
    }
    times.push(seconds);
    peak = Math.max(peak, hwm / 1024);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[0]!, median: times[Math.floor(times.length / 2)]!, peakRssMb: peak };
}

const rows: Record<string, unknown>[] = [];
console.log(
  `llm-judge analysis benchmark (best of ${repeat}; Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores)\n`,
);
console.log(
  "records".padStart(9) + "  " + "command".padEnd(34) + "MB file".padStart(9) +
    "best s".padStart(9) + "median s".padStart(10) +
    "µs/record".padStart(11) + "peak RSS MB".padStart(13),
);
for (const size of sizes) {
  const single = join(work, `single_${size}.jsonl`);
  const human = join(work, `human_${size}.jsonl`);
  const gpt4 = join(work, `gpt4_${size}.jsonl`);
  const singleBytes = await writeSingleJudgments(single, size);
  const { humanBytes, gpt4Bytes } = await writeVotes(human, gpt4, size);
  const cases: [string, string[], number][] = [
    ["show --bootstrap 0", ["show", "--input-file", single, "--bootstrap", "0"], singleBytes],
    ["show (1000 bootstrap rounds)", ["show", "--input-file", single], singleBytes],
    [
      "agree --bootstrap 0",
      ["agree", "--votefiles", gpt4, human, "--bootstrap", "0"],
      humanBytes + gpt4Bytes,
    ],
    [
      "agree (1000 bootstrap rounds)",
      ["agree", "--votefiles", gpt4, human],
      humanBytes + gpt4Bytes,
    ],
  ];
  for (const [label, args, bytes] of cases) {
    const timing = await time([args[0]!, "--data-dir", work, ...args.slice(1)]);
    const perRecord = (timing.seconds / size) * 1e6;
    rows.push({
      records: size,
      command: label,
      bytes,
      ...timing,
      microsecondsPerRecord: perRecord,
    });
    console.log(
      String(size).padStart(9) + "  " + label.padEnd(34) + (bytes / 1e6).toFixed(1).padStart(9) +
        timing.seconds.toFixed(2).padStart(9) + timing.median.toFixed(2).padStart(10) +
        perRecord.toFixed(2).padStart(11) +
        timing.peakRssMb.toFixed(0).padStart(13),
    );
  }
  await Deno.remove(single);
  await Deno.remove(human);
  await Deno.remove(gpt4);
}
await Deno.writeTextFile(join(work, "analysis.json"), JSON.stringify(rows, null, 2) + "\n");
console.log(`\nWrote ${join(work, "analysis.json")}`);
