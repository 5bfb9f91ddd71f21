// deno-lint-ignore-file no-console
/**
 * `deno task bench:plot`: times drawing the radar chart of 20 models × 8
 * categories (the target: under 2 s to SVG and PNG). Prints the first
 * run (which loads vega, vega-lite and resvg) and the median of the next runs,
 * and writes the numbers to out/bench/plot.json.
 *
 * Usage: deno task bench:plot [--repeat 5]
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { radarChartSpec, type RadarScore, renderPng, renderSvg } from "../lib/plot/mod.ts";
import { seededRandom } from "../lib/stats/random.ts";
import { MT_BENCH_CATEGORIES } from "../lib/data/mt_bench_categories.ts";

const CATEGORIES = MT_BENCH_CATEGORIES;
const MODELS = 20;

const { values } = parseArgs({
  args: Deno.args,
  options: { repeat: { type: "string", default: "5" } },
});
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(
    `--repeat must be a whole number of at least 1, got ${JSON.stringify(values.repeat)}`,
  );
  Deno.exit(2);
}

const random = seededRandom(20);
const scores: RadarScore[] = [];
for (let model = 0; model < MODELS; model++) {
  for (const category of CATEGORIES) {
    scores.push({
      model: `model-${String(model).padStart(2, "0")}`,
      category,
      score: 1 + 9 * random(),
    });
  }
}

interface Run {
  specMs: number;
  svgMs: number;
  pngMs: number;
  totalMs: number;
  svgBytes: number;
  pngBytes: number;
}

async function once(): Promise<Run> {
  const start = performance.now();
  const spec = radarChartSpec(scores);
  const specDone = performance.now();
  const svg = await renderSvg(spec);
  const svgDone = performance.now();
  const png = await renderPng(svg);
  const end = performance.now();
  return {
    specMs: specDone - start,
    svgMs: svgDone - specDone,
    pngMs: end - svgDone,
    totalMs: end - start,
    svgBytes: svg.length,
    pngBytes: png.length,
  };
}

const first = await once();
const runs: Run[] = [];
for (let index = 0; index < repeat; index++) runs.push(await once());
const median = (pick: (run: Run) => number) => {
  const sorted = runs.map(pick).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const warm = {
  specMs: median((run) => run.specMs),
  svgMs: median((run) => run.svgMs),
  pngMs: median((run) => run.pngMs),
  totalMs: median((run) => run.totalMs),
};
const format = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
console.log(`Radar chart, ${MODELS} models x ${CATEGORIES.length} categories:`);
console.log(
  `  first run (loads vega, vega-lite, resvg): ${format(first.totalMs)} ` +
    `(spec ${format(first.specMs)}, SVG ${format(first.svgMs)}, PNG ${format(first.pngMs)})`,
);
console.log(
  `  median of ${repeat} more:                 ${format(warm.totalMs)} ` +
    `(spec ${format(warm.specMs)}, SVG ${format(warm.svgMs)}, PNG ${format(warm.pngMs)})`,
);
console.log(`  SVG ${first.svgBytes} bytes, PNG ${first.pngBytes} bytes (scale 2)`);
const target = 2000;
const verdict = first.totalMs < target ? "within" : "OVER";
console.log(`  target: under ${format(target)} for the first run: ${verdict}`);

const root = new URL("..", import.meta.url).pathname;
const outDir = join(root, "out", "bench");
await Deno.mkdir(outDir, { recursive: true });
await Deno.writeTextFile(
  join(outDir, "plot.json"),
  JSON.stringify({ models: MODELS, categories: CATEGORIES.length, first, warm, repeat }, null, 2) +
    "\n",
);
