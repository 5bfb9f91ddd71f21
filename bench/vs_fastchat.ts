// deno-lint-ignore-file no-console
/**
 * `deno task bench --vs-fastchat DIR`: `show` and `agree` side by side with
 * FastChat's own `show_result.py` and `compute_agreement.py` from a FastChat
 * checkout the user supplies (never copied here), on realistic synthetic
 * files. Every case first checks that both print the same numbers (ours with
 * `--format fastchat`, compared with FastChat's output), then times FastChat,
 * ours with `--bootstrap 0` and ours with the default intervals, alternating,
 * each typed as a user types it (`deno task show …`, `python3 show_result.py
 * …`), and reports medians, CPU time, peak RSS and the load average.
 * @module
 */
import { join } from "node:path";
import {
  REALISTIC,
  writeRealisticPairs,
  writeRealisticSingle,
  writeReplicatedVotes,
} from "./synthetic.ts";

/** Settings of a side-by-side run. */
export interface VsFastchatOptions {
  /** FastChat checkout (holds fastchat/llm_judge/show_result.py). */
  fastchat: string;
  /** A Python with pandas. */
  python: string;
  /** Tiers: "real", and record counts (10000, 100000, 1000000). */
  tiers: string[];
  /** Timed runs of each command (median reported). */
  repeat: number;
  /** Repository root (where `deno task` runs). */
  root: string;
  /** Scratch folder for the generated files. */
  work: string;
  /** Upstream data root (human votes, answers for the judge dry run). */
  data: string;
  /** Where to write the Markdown section; undefined: print only. */
  docs: string | undefined;
}

interface Run {
  wall: number;
  cpu: number;
  peakMb: number;
  stdout: string;
}

interface Side {
  label: string;
  command: string[];
  cwd: string;
}

interface Row {
  tier: string;
  name: string;
  records: string;
  fileMb: number;
  check: string;
  fastchat: Stats | null;
  ours: Stats;
  oursDefault: Stats | null;
  /** bench/parse_floor.ts on the same file (JSON Lines cases). */
  floor: Stats | null;
  load: [number, number];
}

interface Stats {
  wall: number;
  cpu: number;
  peakMb: number;
}

const TIME = "/usr/bin/time";

/** Runs one command under GNU time; wall from here, CPU and peak RSS (children included) from time. */
async function runOnce(side: Side, env: Record<string, string>): Promise<Run> {
  const stats = await Deno.makeTempFile({ prefix: "vs_fastchat_time_" });
  const started = performance.now();
  const output = await new Deno.Command(TIME, {
    args: ["-f", "%U %S %M", "-o", stats, ...side.command],
    cwd: side.cwd,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wall = (performance.now() - started) / 1000;
  const text = await Deno.readTextFile(stats);
  await Deno.remove(stats);
  if (!output.success) {
    throw new Error(
      `${side.label} failed (${side.command.join(" ")}):\n${
        new TextDecoder().decode(output.stderr)
      }`,
    );
  }
  const fields = text.trim().split("\n").pop()!.split(" ").map(Number);
  return {
    wall,
    cpu: fields[0]! + fields[1]!,
    peakMb: fields[2]! / 1024,
    stdout: new TextDecoder().decode(output.stdout),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function loadAverage(): number {
  return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
}

/** Times the sides alternately (the order rotates each round); medians per side. */
async function timeSides(
  sides: Side[],
  repeat: number,
  env: Record<string, string>,
): Promise<{ stats: Stats[]; first: Run[] }> {
  const runs: Run[][] = sides.map(() => []);
  for (let round = 0; round < repeat; round++) {
    for (let step = 0; step < sides.length; step++) {
      const index = (round + step) % sides.length;
      runs[index]!.push(await runOnce(sides[index]!, env));
    }
  }
  return {
    stats: runs.map((list) => ({
      wall: median(list.map((run) => run.wall)),
      cpu: median(list.map((run) => run.cpu)),
      peakMb: Math.max(...list.map((run) => run.peakMb)),
    })),
    first: runs.map((list) => list[0]!),
  };
}

/**
 * Compares FastChat's output with ours (`--format fastchat`): "same bytes",
 * or "same rows" when only the order of rows differs (pandas' sort is not
 * stable on more than 16 rows), else a mismatch with the first differing line.
 */
function compare(fastchat: string, ours: string): string {
  if (fastchat === ours) return "same bytes";
  const sorted = (text: string) => text.split("\n").sort().join("\n");
  if (sorted(fastchat) === sorted(ours)) return "same rows (equal values in another order)";
  // A cut table (over 60 rows) shows other models where equal values sit at the cut.
  const values = (text: string) =>
    text.split("\n").map((line) => line.trim().split(/\s+/).slice(1).join(" ")).join("\n");
  if (values(fastchat) === values(ours)) {
    return "same values (tied models at the 60-row cut shown in another order)";
  }
  const a = fastchat.split("\n");
  const b = ours.split("\n");
  const line = a.findIndex((text, index) => text !== b[index]);
  return `MISMATCH at line ${line + 1}: FastChat ${JSON.stringify(a[line])}, ours ${
    JSON.stringify(b[line])
  }`;
}

async function fileMb(...paths: string[]): Promise<number> {
  let bytes = 0;
  for (const path of paths) bytes += (await Deno.stat(path)).size;
  return bytes / 1e6;
}

/** Start-up floors: an empty Deno script, `deno task` of it, Python bare and with pandas. */
async function floors(options: VsFastchatOptions): Promise<[string, Stats][]> {
  const empty = join(options.work, "empty.ts");
  await Deno.writeTextFile(empty, "");
  const cases: [string, Side][] = [
    ["`deno run empty.ts`", {
      label: "deno",
      command: [Deno.execPath(), "run", empty],
      cwd: options.root,
    }],
    ["`deno task show --help`", {
      label: "ours",
      command: [Deno.execPath(), "task", "show", "--help"],
      cwd: options.root,
    }],
    ["`deno task agree --help`", {
      label: "ours",
      command: [Deno.execPath(), "task", "agree", "--help"],
      cwd: options.root,
    }],
    ["`python3 -c pass`", {
      label: "python",
      command: [options.python, "-c", "pass"],
      cwd: options.root,
    }],
    ["`python3 -c 'import numpy'`", {
      label: "python",
      command: [options.python, "-c", "import numpy"],
      cwd: options.root,
    }],
    ["`python3 -c 'import pandas'`", {
      label: "python",
      command: [options.python, "-c", "import pandas"],
      cwd: options.root,
    }],
  ];
  const { stats } = await timeSides(cases.map(([, side]) => side), 7, {});
  return cases.map(([name], index) => [name, stats[index]!]);
}

/** Runs the side-by-side benchmark; prints and returns the Markdown section. */
export async function runVsFastchat(options: VsFastchatOptions): Promise<string> {
  const llmJudge = join(options.fastchat, "fastchat", "llm_judge");
  for (const script of ["show_result.py", "compute_agreement.py"]) {
    await Deno.stat(join(llmJudge, script)).catch(() => {
      throw new Error(`no ${script} under ${llmJudge}: --vs-fastchat takes a FastChat checkout`);
    });
  }
  const pandas = await new Deno.Command(options.python, {
    args: ["-c", "import pandas; print(pandas.__version__)"],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  if (pandas === undefined || !pandas.success) {
    throw new Error(`${options.python} cannot import pandas: pass --python with one that can`);
  }
  const pandasVersion = new TextDecoder().decode(pandas.stdout).trim();
  await Deno.mkdir(options.work, { recursive: true });
  const env = { LLM_JUDGE_DATA: options.data, COLUMNS: "80" };
  const rows: Row[] = [];
  const deno = (args: string[]): Side => ({
    label: "ours",
    command: [Deno.execPath(), "task", ...args],
    cwd: options.root,
  });
  const python = (script: string, args: string[]): Side => ({
    label: "FastChat",
    command: [options.python, script, ...args],
    cwd: llmJudge,
  });
  const parseFloor = (file: string): Side => ({
    label: "parse floor",
    command: [
      Deno.execPath(),
      "run",
      "--allow-read",
      join(options.root, "bench", "parse_floor.ts"),
      file,
    ],
    cwd: options.root,
  });
  const check = (args: string[]): Side => ({
    label: "ours --format fastchat",
    command: [Deno.execPath(), "run", "-A", join(options.root, "cli", "main.ts"), ...args],
    cwd: options.root,
  });

  const measure = async (
    tier: string,
    name: string,
    records: string,
    mb: number,
    fastchatSide: Side,
    oursArgs: string[],
    checkArgs: string[],
    withDefault = true,
    floorFile?: string,
  ) => {
    const before = loadAverage();
    const sides = [
      fastchatSide,
      deno([...oursArgs, "--bootstrap", "0"]),
      ...(withDefault ? [deno(oursArgs)] : []),
      ...(floorFile === undefined ? [] : [parseFloor(floorFile)]),
    ];
    console.error(`  ${tier} ${name}: timing ${sides.length} commands × ${options.repeat}…`);
    const { stats, first } = await timeSides(sides, options.repeat, env);
    const ours = await runOnce(check([...checkArgs, "--format", "fastchat"]), env);
    const row: Row = {
      tier,
      name,
      records,
      fileMb: mb,
      check: compare(first[0]!.stdout, ours.stdout),
      fastchat: stats[0]!,
      ours: stats[1]!,
      oursDefault: withDefault ? stats[2]! : null,
      floor: floorFile === undefined ? null : stats[sides.length - 1]!,
      load: [before, loadAverage()],
    };
    rows.push(row);
    console.error(`    ${formatRow(row)}`);
  };

  for (const tier of options.tiers) {
    const count = tier === "real" ? 3000 : Number(tier);
    // Agreement: the upstream votes once (real size), or replicated.
    const times = tier === "real" ? 1 : count >= 1_000_000 ? 0 : count >= 100_000 ? 300 : 2;
    if (times > 0) {
      const human = join(options.work, `human_x${times}.json`);
      const gpt4 = join(options.work, `gpt4_pair_x${times}.json`);
      const votesDir = join(options.data, "mt_bench_human_judgments");
      const { votes } = await writeReplicatedVotes(
        {
          human: join(votesDir, "human_labels.jsonl"),
          gpt4: join(votesDir, "gpt4_pair_labels.jsonl"),
        },
        { human, gpt4 },
        times,
      );
      await measure(
        tier,
        `agree (upstream votes${times > 1 ? ` ×${times}` : ""})`,
        `${votes.toLocaleString("en-US")} votes`,
        await fileMb(human, gpt4),
        python("compute_agreement.py", ["--votefiles", human, gpt4]),
        ["agree", "--votefiles", human, gpt4],
        ["agree", "--votefiles", human, gpt4],
      );
      await Deno.remove(human);
      await Deno.remove(gpt4);
    }
    const single = join(options.work, `single_${count}.jsonl`);
    await writeRealisticSingle(single, count);
    await measure(
      tier,
      "show --mode single",
      count.toLocaleString("en-US"),
      await fileMb(single),
      python("show_result.py", ["--input-file", single]),
      ["show", "--input-file", single],
      ["show", "--input-file", single],
      true,
      single,
    );
    await Deno.remove(single);
    if (count >= 1_000_000) continue;
    const pair = join(options.work, `pair_${count}.jsonl`);
    await writeRealisticPairs(pair, count);
    const pairMb = await fileMb(pair);
    for (const mode of ["pairwise-all", "pairwise-baseline"]) {
      const extra = mode === "pairwise-baseline" ? ["--baseline-model", "model-000"] : [];
      await measure(
        tier,
        `show --mode ${mode}`,
        count.toLocaleString("en-US"),
        pairMb,
        python("show_result.py", ["--input-file", pair, "--mode", mode, ...extra]),
        ["show", "--input-file", pair, "--mode", mode, ...extra],
        ["show", "--input-file", pair, "--mode", mode, ...extra],
        mode === "pairwise-all",
        mode === "pairwise-all" ? pair : undefined,
      );
    }
    await Deno.remove(pair);
  }

  // Ours only: FastChat's gen_judgment.py has no dry run.
  const dryRun = await timeSides(
    [
      deno([
        "judge",
        "--mode",
        "pairwise-all",
        "--dry-run",
        "--data-dir",
        options.data,
        "--output-dir",
        join(options.work, "dry_run"),
      ]),
    ],
    options.repeat,
    env,
  );
  const floor = await floors(options);
  const markdown = renderMarkdown(rows, floor, dryRun.stats[0]!, options, pandasVersion);
  console.log(markdown);
  return markdown;
}

function ratio(fastchat: Stats | null, ours: Stats | null): string {
  if (fastchat === null || ours === null) return "–";
  return `**${(fastchat.wall / ours.wall).toFixed(1)}×**`;
}

function seconds(stats: Stats | null): string {
  return stats === null ? "–" : `${stats.wall.toFixed(2)} (${stats.cpu.toFixed(2)})`;
}

function formatRow(row: Row): string {
  return `${row.name} ${row.records}: FastChat ${seconds(row.fastchat)} s, ours ${
    seconds(row.ours)
  } s (${ratio(row.fastchat, row.ours)}), default ${seconds(row.oursDefault)} s; ${row.check}`;
}

function renderMarkdown(
  rows: Row[],
  floor: [string, Stats][],
  dryRun: Stats,
  options: VsFastchatOptions,
  pandasVersion: string,
): string {
  const date = new Date().toISOString().slice(0, 10);
  const lines = [
    `Measured ${date} with \`deno task bench --vs-fastchat DIR --tiers ${
      options.tiers.join(",")
    } --repeat ${options.repeat}\`: Deno ${Deno.version.deno}, ${options.python} with pandas ${pandasVersion}, ${navigator.hardwareConcurrency} cores shared with other jobs (load average at the start and end of each case in the last column). Each command is typed as a user types it: \`deno task show …\` / \`deno task agree …\` from the repository root, \`python3 show_result.py …\` / \`python3 compute_agreement.py …\` in FastChat's \`fastchat/llm_judge\`. Commands alternate; times are medians of ${options.repeat} runs, wall seconds with CPU seconds (user + system, children included) in brackets; peak RSS is the largest of any process (GNU time). Ratio = FastChat wall ÷ ours (higher is better).`,
    "",
    `Files: single judgments and pairwise judgments of realistic size (\`bench/synthetic.ts\`: user_prompt ${
      REALISTIC.userPrompt.join("–")
    } bytes, judgment ${
      REALISTIC.judgment.join("–")
    } bytes, FastChat's fields; 160 records per model or model pair; 0.5% score -1, 1% error verdicts); the upstream human votes (\`human_labels\` + \`gpt4_pair_labels\`, written as FastChat's JSON lists, replicated with shifted question ids for the larger tiers). "check" compares FastChat's output with \`--format fastchat\` on the same file. "read + parse floor" is \`bench/parse_floor.ts\` on the same file, timed in the same alternation: one worker per core reads its byte range, decodes it and \`JSON.parse\`s every line, and does nothing else (no validation, no duplicate-key check, no tally, no output); "ratio bound" is FastChat ÷ that floor, the most any reader that parses every line could reach here.`,
    "",
    "| tier | case | records | file MB | FastChat s | ours `--bootstrap 0` s | ratio | ours default s | ratio | read + parse floor s | ratio bound | peak MiB FastChat / ours / default | check | load |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.tier} | ${row.name} | ${row.records} | ${row.fileMb.toFixed(1)} | ${
        seconds(row.fastchat)
      } | ${seconds(row.ours)} | ${ratio(row.fastchat, row.ours)} | ${seconds(row.oursDefault)} | ${
        ratio(row.fastchat, row.oursDefault)
      } | ${seconds(row.floor)} | ${ratio(row.fastchat, row.floor)} | ${
        row.fastchat?.peakMb.toFixed(0) ?? "–"
      } / ${row.ours.peakMb.toFixed(0)} / ${
        row.oursDefault?.peakMb.toFixed(0) ?? "–"
      } | ${row.check} | ${row.load.map((value) => value.toFixed(1)).join(" → ")} |`,
    );
  }
  lines.push(
    "",
    `\`deno task judge --mode pairwise-all --dry-run\` on the upstream data (31 models, 74,400 matches): ${
      seconds(dryRun)
    } s, peak ${dryRun.peakMb.toFixed(0)} MiB.`,
    "",
    "Start-up floors on the same machine, same run (median of 7):",
    "",
    "| command | wall s (CPU s) | peak MiB |",
    "|---|---|---|",
    ...floor.map(([name, stats]) => `| ${name} | ${seconds(stats)} | ${stats.peakMb.toFixed(0)} |`),
  );
  return lines.join("\n") + "\n";
}
