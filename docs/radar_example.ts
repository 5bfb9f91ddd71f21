// deno-lint-ignore-file no-console
/**
 * Makes `docs/radar.png`, the radar chart in the README, from data this script
 * generates: a synthetic MT-Bench data root (80 placeholder questions, 10 per
 * category) and single-grade judgments of four made-up models with different
 * strengths, with seeded noise. Then it runs `deno task plot` on them, as a
 * user would on a real judgment file. Nothing here comes from a real judge.
 *
 * Usage: deno run -A docs/radar_example.ts [--out docs/radar.png]
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { seededRandom } from "../lib/stats/random.ts";
import { MT_BENCH_CATEGORIES } from "../lib/data/mt_bench_categories.ts";

const CATEGORIES = MT_BENCH_CATEGORIES;

/** Mean score of each made-up model per category, in CATEGORIES order. */
const PROFILES: Record<string, number[]> = {
  "example-large": [9.4, 9.1, 8.2, 7.4, 8.1, 9.2, 9.5, 9.7],
  "example-coder": [6.4, 6.0, 6.9, 7.8, 8.6, 7.9, 7.6, 6.8],
  "example-medium": [8.6, 8.1, 5.6, 3.9, 4.8, 7.4, 8.4, 9.1],
  "example-small": [6.9, 6.7, 3.8, 2.2, 2.7, 4.6, 6.4, 7.6],
};

const root = new URL("..", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: { out: { type: "string", default: join(root, "docs", "radar.png") } },
});
const dataRoot = join(root, "out", "docs-example", "data");
const bench = join(dataRoot, "mt_bench");
await Deno.mkdir(join(bench, "model_judgment"), { recursive: true });

const questions = CATEGORIES.flatMap((category, index) =>
  Array.from({ length: 10 }, (_, offset) => ({
    question_id: 81 + 10 * index + offset,
    category,
    turns: [`Placeholder ${category} question ${offset + 1}.`, "Placeholder follow-up."],
  }))
);
await Deno.writeTextFile(
  join(bench, "question.jsonl"),
  questions.map((question) => JSON.stringify(question)).join("\n") + "\n",
);

const random = seededRandom(5);
const lines: string[] = [];
for (const [model, profile] of Object.entries(PROFILES)) {
  for (const question of questions) {
    const mean = profile[CATEGORIES.indexOf(question.category)]!;
    for (const turn of [1, 2]) {
      // Turn 2 is a little harder, as in MT-Bench; noise of about ±1.5 points.
      const noisy = mean - 0.3 * (turn - 1) + 3 * (random() - 0.5);
      const score = Math.min(10, Math.max(1, Math.round(noisy)));
      lines.push(JSON.stringify({
        question_id: question.question_id,
        model,
        judge: ["synthetic", turn === 1 ? "single-v1" : "single-v1-multi-turn"],
        judgment: `Synthetic judgment. Rating: [[${score}]]`,
        score,
        turn,
      }));
    }
  }
}
const judgments = join(bench, "model_judgment", "synthetic_single.jsonl");
await Deno.writeTextFile(judgments, lines.join("\n") + "\n");
console.log(`Wrote ${lines.length} synthetic judgments to ${judgments}`);

const args = [
  "task",
  "plot",
  "--kind",
  "radar",
  "--data-dir",
  dataRoot,
  "--input-file",
  judgments,
  "--title",
  "MT-Bench score per category (synthetic example)",
  "--out",
  values.out,
];
console.log(`deno ${args.join(" ")}`);
const status = await new Deno.Command(Deno.execPath(), { args, cwd: root }).spawn().status;
Deno.exit(status.code);
