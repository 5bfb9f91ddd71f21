/**
 * Runs each notebook headless on the Deno kernel (`jupyter nbconvert --execute`)
 * and checks the executed outputs. Needs Jupyter (`.ci/run` installs it from
 * Debian packages); without it the test fails and says how to install it.
 * @module
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { onSharedData, REPO_ROOT, SHARED_DATA } from "../_helpers.ts";

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
}

interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name: string } };
}

interface LlmJudgeMeta {
  kind: string;
  categories?: string[];
  models?: string[];
}

const VEGA_LITE = "application/vnd.vegalite.v5+json";
const SVG = "image/svg+xml";
const NOTEBOOKS = ["mt_bench_scores", "agreement", "judge_calibration"] as const;
const INSTALL_HINT =
  "install it with: apt-get install -y jupyter-nbconvert jupyter-client python3-ipykernel " +
  "(.ci/run does this)";

const joined = (text: string | string[] | undefined) =>
  Array.isArray(text) ? text.join("") : text ?? "";

async function readNotebook(path: string): Promise<Notebook> {
  return JSON.parse(await Deno.readTextFile(path)) as Notebook;
}

/**
 * Writes a kernelspec folder under `dir` whose "deno" kernel is this very deno binary, so the
 * test needs no `deno jupyter --install` and runs the Deno that runs the tests; returns it.
 */
async function kernelPath(dir: string): Promise<string> {
  await Deno.mkdir(join(dir, "kernels", "deno"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "kernels", "deno", "kernel.json"),
    JSON.stringify({
      argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
      display_name: "Deno",
      language: "typescript",
    }),
  );
  return dir;
}

/** Writes `text` to `path` unless it holds it already; a run beside this one never reads half. */
async function writeIfChanged(path: string, text: string): Promise<void> {
  if (await Deno.readTextFile(path).catch(() => undefined) === text) return;
  const partial = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(partial, text);
  await Deno.rename(partial, path);
}

/**
 * Executes every notebook into `outDir` with one `jupyter nbconvert` (a Python start and an
 * nbconvert import cost about 1.5 s of CPU each; every notebook still gets its own kernel).
 * With `--allow-errors` a failing cell does not stop the others: its error is in the executed
 * notebook, where each notebook's step looks for errors. Fails with an install hint when Jupyter
 * or nbconvert is missing.
 */
async function executeAll(outDir: string, jupyterPath: string): Promise<Deno.CommandOutput> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("jupyter", {
      args: [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--allow-errors",
        "--ExecutePreprocessor.timeout=120",
        "--output-dir",
        outDir,
        ...NOTEBOOKS.map((name) => join(REPO_ROOT, "notebooks", `${name}.ipynb`)),
      ],
      env: {
        JUPYTER_PATH: jupyterPath,
        LLM_JUDGE_DATA: resolve(REPO_ROOT, SHARED_DATA),
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      assert.fail(`Jupyter is not installed ("jupyter" is not on PATH); ${INSTALL_HINT}`);
    }
    throw error;
  }
  const stderr = new TextDecoder().decode(output.stderr);
  // `jupyter` without nbconvert: "Jupyter command `jupyter-nbconvert` not found."
  assert.doesNotMatch(stderr, /jupyter-nbconvert` not found/, `${stderr.trim()}; ${INSTALL_HINT}`);
  return output;
}

/** The executed notebook `name`, or a failure with nbconvert's output when it has none. */
async function executed(name: string, outDir: string, run: Deno.CommandOutput): Promise<Notebook> {
  try {
    return await readNotebook(join(outDir, `${name}.ipynb`));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    assert.fail(
      `nbconvert did not execute ${name}.ipynb (exit ${run.code}):\n${
        new TextDecoder().decode(run.stderr)
      }`,
    );
  }
}

function outputs(notebook: Notebook): Output[] {
  return notebook.cells.flatMap((cell) => cell.outputs ?? []);
}

function errors(notebook: Notebook): string[] {
  return outputs(notebook)
    .filter((output) => output.output_type === "error" || output.name === "stderr")
    .map((output) => `${output.ename ?? output.name}: ${output.evalue ?? joined(output.text)}`);
}

interface Chart {
  spec: Record<string, unknown>;
  meta: LlmJudgeMeta;
  svg: string | undefined;
  text: string;
}

function charts(notebook: Notebook): Chart[] {
  return outputs(notebook).flatMap((output) => {
    const spec = output.data?.[VEGA_LITE] as Record<string, unknown> | undefined;
    if (spec === undefined) return [];
    const usermeta = spec.usermeta as { llmJudge: LlmJudgeMeta };
    const svg = output.data?.[SVG] as string | string[] | undefined;
    return [{
      spec,
      meta: usermeta.llmJudge,
      svg: svg === undefined ? undefined : joined(svg),
      text: joined(output.data?.["text/plain"] as string | string[]),
    }];
  });
}

/** Every chart also carries its SVG (for HTML exports and GitHub) and says in text what it is. */
function assertPictures(notebook: Notebook): void {
  for (const chart of charts(notebook)) {
    assert.match(chart.svg ?? "", /^<svg /, `the ${chart.meta.kind} chart has no SVG`);
    assert.match(chart.text, new RegExp(`^${chart.meta.kind} chart: `));
  }
}

/** The cells of the numeric columns of an HTML table (right-aligned cells). */
function numericCells(html: string): string[] {
  return [...html.matchAll(/<td style="text-align: right">([^<]*)<\/td>/g)].map((match) =>
    match[1]!
  );
}

function htmlTables(notebook: Notebook): string[] {
  return outputs(notebook).flatMap((output) => {
    const html = output.data?.["text/html"];
    return html === undefined ? [] : [joined(html as string | string[])];
  });
}

/** The plain text of every output (display data and streams). */
function texts(notebook: Notebook): string {
  return outputs(notebook)
    .map((output) => joined(output.text ?? output.data?.["text/plain"] as string | string[]))
    .join("\n");
}

Deno.test("notebooks", onSharedData, async (t) => {
  await t.step("are committed without outputs, on the Deno kernel", async () => {
    for (const name of NOTEBOOKS) {
      const notebook = await readNotebook(join(REPO_ROOT, "notebooks", `${name}.ipynb`));
      assert.equal(notebook.metadata.kernelspec?.name, "deno", `${name}.ipynb kernel`);
      for (const cell of notebook.cells.filter((cell) => cell.cell_type === "code")) {
        assert.deepEqual(cell.outputs, [], `${name}.ipynb has a cell with outputs`);
        assert.equal(cell.execution_count, null, `${name}.ipynb has an execution count`);
      }
    }
  });

  await t.step(
    "keep the first code cell short: the display helpers live in _display.ts",
    async () => {
      for (const name of NOTEBOOKS) {
        const notebook = await readNotebook(join(REPO_ROOT, "notebooks", `${name}.ipynb`));
        const first = joined(notebook.cells.find((cell) => cell.cell_type === "code")!.source);
        assert.ok(
          first.split("\n").length <= 20,
          `${name}.ipynb: the first cell has ${first.split("\n").length} lines`,
        );
        assert.doesNotMatch(
          first,
          /function /,
          `${name}.ipynb defines functions in its first cell`,
        );
        assert.ok(
          first.includes('from "./_display.ts"'),
          `${name}.ipynb does not import ./_display.ts`,
        );
      }
    },
  );

  await t.step("type-check against the public API", async () => {
    // The kernel does not type-check; check the code cells as one module instead. The modules
    // keep their paths from run to run, so Deno's type-check cache serves an unchanged tree
    // (6.6 s of CPU otherwise).
    const dir = join(REPO_ROOT, "out", "notebook-check");
    await Deno.mkdir(dir, { recursive: true });
    const modUrl = new URL("mod.ts", `file://${REPO_ROOT}/`).href;
    const displayUrl = new URL("notebooks/_display.ts", `file://${REPO_ROOT}/`).href;
    const files: string[] = [];
    for (const name of NOTEBOOKS) {
      const notebook = await readNotebook(join(REPO_ROOT, "notebooks", `${name}.ipynb`));
      const code = notebook.cells
        .filter((cell) => cell.cell_type === "code")
        .map((cell) => joined(cell.source))
        .join("\n\n");
      assert.ok(code.includes('from "../mod.ts"'), `${name}.ipynb does not import ../mod.ts`);
      const path = join(dir, `${name}.ts`);
      await writeIfChanged(
        path,
        code.replaceAll('"../mod.ts"', JSON.stringify(modUrl))
          .replaceAll('"./_display.ts"', JSON.stringify(displayUrl)),
      );
      files.push(path);
    }
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", join(REPO_ROOT, "deno.json"), ...files],
      cwd: REPO_ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(output.success, new TextDecoder().decode(output.stderr));
  });

  // The kernelspec and the executed notebooks, removed at the end.
  const dir = await Deno.makeTempDir({ prefix: "llm-judge-notebooks-" });
  const outDir = join(dir, "executed");
  let run: Deno.CommandOutput | undefined;
  try {
    // Without Jupyter this step fails (with the install command) and the notebooks are not run.
    if (
      !await t.step("Jupyter (nbconvert) is installed and executes the notebooks", async () => {
        run = await executeAll(outDir, await kernelPath(dir));
      })
    ) return;
    await checkNotebooks(t, outDir, run!);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The steps that check each executed notebook. */
async function checkNotebooks(
  t: Deno.TestContext,
  outDir: string,
  run: Deno.CommandOutput,
): Promise<void> {
  await t.step("mt_bench_scores.ipynb shows score tables and an 8-axis radar", async () => {
    const notebook = await executed("mt_bench_scores", outDir, run);
    assert.deepEqual(errors(notebook), []);
    assert.match(texts(notebook), /judgment file: `[^`]*gpt-4_single\.jsonl`/);
    const tables = htmlTables(notebook);
    assert.ok(tables.some((html) => html.includes("<caption>Mean MT-Bench score per model")));
    assert.ok(tables.some((html) => html.includes("<th>humanities</th>")));
    const radars = charts(notebook).filter((chart) => chart.meta.kind === "radar");
    assert.equal(radars.length, 3, "pooled, turn 1 and turn 2 radars");
    for (const { spec, meta } of radars) {
      assert.deepEqual(meta.categories, [
        "writing",
        "roleplay",
        "reasoning",
        "math",
        "coding",
        "extraction",
        "stem",
        "humanities",
      ]);
      assert.ok(meta.models!.length >= 2);
      assert.equal((spec.datasets as { axes: unknown[] }).axes.length, 8);
    }
    assert.ok(charts(notebook).some((chart) => chart.meta.kind === "score-distribution"));
    assertPictures(notebook);
    // Scores with three decimals everywhere (no "8" next to "8.050"), counts whole.
    const perCategory = tables.find((html) => html.includes("<caption>Mean score per category"))!;
    const cells = numericCells(perCategory).filter((cell) => cell !== "");
    assert.ok(cells.length >= 16);
    for (const cell of cells) assert.match(cell, /^\d+\.\d{3}$/);
  });

  await t.step("agreement.ipynb reproduces the paper's counts", async () => {
    const notebook = await executed("agreement", outDir, run);
    assert.deepEqual(errors(notebook), []);
    const paper = htmlTables(notebook).find((html) => html.includes("886/1343"));
    assert.ok(paper, "no table shows 886/1343");
    for (const count of ["727/859", "871/1325", "731/864", "454/721", "388/479", "471/707"]) {
      assert.ok(paper.includes(count), `the paper's table lacks ${count}`);
    }
    assert.match(texts(notebook), /All eight counts equal FastChat's `compute_agreement\.py`\./);
    assert.ok(htmlTables(notebook).some((html) => html.includes("S1 kappa")));
    const kinds = charts(notebook).map((chart) => chart.meta.kind);
    assert.deepEqual(kinds, ["agreement", "category-agreement", "category-agreement"]);
    assertPictures(notebook);
  });

  await t.step(
    "judge_calibration.ipynb: reference rows, a calibrated demo judge, audit, charts",
    async () => {
      const notebook = await executed("judge_calibration", outDir, run);
      assert.deepEqual(errors(notebook), []);
      const text = texts(notebook);
      assert.match(text, /\*\*1629\*\* of 1633 expert-voted/);
      assert.match(text, /The GPT-4 rows equal FastChat's `compute_agreement\.py` counts/);
      const tables = htmlTables(notebook);
      const reference = tables.find((html) => html.includes("Reference rows"));
      assert.ok(reference, "no reference table");
      for (const count of ["886/1343", "727/859", "871/1325", "731/864", "454/721", "388/479"]) {
        assert.ok(reference.includes(count), `the reference table lacks ${count}`);
      }
      assert.ok(tables.some((html) => html.includes("longer-wins (demo) vs human")));
      // The demo judge always prefers the longer answer: fully consistent, longer wins every game.
      assert.match(text, /\| position consistency +\| 1\.000 \| 200\/200/);
      assert.match(text, /\| longer answer win rate +\| 1\.000 \|/);
      const kinds = charts(notebook).map((chart) => chart.meta.kind);
      assert.deepEqual(kinds, ["calibration", "position-bias", "length-bias"]);
    },
  );
}
