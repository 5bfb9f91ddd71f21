/**
 * The doc examples are tests. This checks that each one in `lib/` and `mod.ts`
 * can fail: it runs (no `ignore`) and checks its result with
 * `node:assert/strict`, never `console.assert` (which only prints).
 *
 * It also runs them, every runnable TypeScript or JavaScript block in the
 * JSDoc and Markdown that `deno task test` type-checks with `deno check --doc`,
 * each as its own module, all in this one worker: `deno test --doc` would start
 * a worker and load the library afresh for each of the 200 blocks, which cost
 * about a quarter of the whole test run's CPU. A filtered run
 * (`deno task test lib/agree/`) still runs the examples with `deno test --doc`.
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "./_helpers.ts";

/** A fenced code block inside a doc comment. */
interface Example {
  /** `path:line` of the opening fence. */
  where: string;
  /** The fence's info string, e.g. `ts` or `ts ignore`. */
  info: string;
  /** The code, without the leading ` * `. */
  code: string;
}

async function* sourceFiles(dir: string, pattern = /\.(ts|js)$/): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sourceFiles(path, pattern);
    else if (pattern.test(entry.name)) yield path;
  }
}

/** Every fenced block in the doc comments of a file, and the `@example` tags with no block. */
function examplesOf(path: string, text: string): { examples: Example[]; bare: string[] } {
  const examples: Example[] = [];
  const bare: string[] = [];
  const lines = text.split("\n");
  let open: { line: number; info: string; code: string[] } | undefined;
  let pendingTag: number | undefined;
  for (const [index, line] of lines.entries()) {
    const where = `${relative(REPO_ROOT, path)}:${index + 1}`;
    const fence = /^\s*\*\s?```(.*)$/.exec(line);
    if (open === undefined && /^\s*\*\s*@example\b/.test(line)) {
      if (pendingTag !== undefined) bare.push(`${relative(REPO_ROOT, path)}:${pendingTag}`);
      pendingTag = index + 1;
    } else if (fence !== null && open === undefined) {
      open = { line: index + 1, info: fence[1]!.trim(), code: [] };
      pendingTag = undefined;
    } else if (fence !== null && open !== undefined) {
      examples.push({
        where: `${relative(REPO_ROOT, path)}:${open.line}`,
        info: open.info,
        code: open.code.join("\n"),
      });
      open = undefined;
    } else if (open !== undefined) {
      open.code.push(line.replace(/^\s*\*\s?/, ""));
    } else if (pendingTag !== undefined && /\*\/|^\s*\*\s*@/.test(line)) {
      bare.push(where.replace(/:\d+$/, `:${pendingTag}`));
      pendingTag = undefined;
    }
  }
  return { examples, bare };
}

async function allExamples(): Promise<{ examples: Example[]; bare: string[] }> {
  const files = [join(REPO_ROOT, "mod.ts")];
  for await (const path of sourceFiles(join(REPO_ROOT, "lib"))) files.push(path);
  const examples: Example[] = [];
  const bare: string[] = [];
  for (const path of files.sort()) {
    const found = examplesOf(path, await Deno.readTextFile(path));
    examples.push(...found.examples);
    bare.push(...found.bare);
  }
  return { examples, bare };
}

Deno.test("doc examples in lib/ and mod.ts", async (t) => {
  const { examples, bare } = await allExamples();

  await t.step("are found (more than 100 blocks)", () => {
    assert.ok(examples.length > 100, `found only ${examples.length} examples`);
  });

  await t.step("every @example has a code block", () => {
    assert.deepEqual(bare, []);
  });

  await t.step("every block is TypeScript or JavaScript that runs (no ignore, no-eval)", () => {
    const skipped = examples.filter((example) => !/^(ts|js)$/.test(example.info));
    assert.deepEqual(skipped.map((example) => `${example.where} ${example.info}`), []);
  });

  await t.step("no block uses console.assert", () => {
    const printing = examples.filter((example) => example.code.includes("console.assert"));
    assert.deepEqual(printing.map((example) => example.where), []);
  });

  await t.step("every block asserts with node:assert/strict", () => {
    const unchecked = examples.filter((example) =>
      !example.code.includes('import assert from "node:assert/strict";') ||
      !/\bassert\.\w+\(/.test(example.code)
    );
    assert.deepEqual(unchecked.map((example) => example.where), []);
  });
});

/** What `deno task test` type-checks with `deno check --doc` (tests/run.ts, the "types" step). */
const DOC_ROOTS = ["README.md", "mod.ts", "cli", "lib", "tests", "bench", "scripts", "docs"];

/** The module extension of a fence's language, when `deno test --doc` would run the block. */
function runnableExtension(info: string): string | undefined {
  const [language = "", ...attributes] = info.split(/\s+/);
  if (attributes.includes("ignore")) return undefined;
  const extensions: Record<string, string> = {
    ts: "ts",
    typescript: "ts",
    mts: "ts",
    tsx: "tsx",
    js: "js",
    javascript: "js",
    mjs: "js",
    jsx: "jsx",
  };
  return extensions[language];
}

/** The fenced blocks of a Markdown file. */
function markdownExamples(path: string, text: string): Example[] {
  const examples: Example[] = [];
  let open: { line: number; info: string; code: string[] } | undefined;
  for (const [index, line] of text.split("\n").entries()) {
    const fence = /^```(.*)$/.exec(line);
    if (fence !== null && open === undefined) {
      open = { line: index + 1, info: fence[1]!.trim(), code: [] };
    } else if (fence !== null && open !== undefined) {
      const where = `${relative(REPO_ROOT, path)}:${open.line}`;
      examples.push({ where, info: open.info, code: open.code.join("\n") });
      open = undefined;
    } else if (open !== undefined) {
      open.code.push(line);
    }
  }
  return examples;
}

/** Every block of the files under DOC_ROOTS that `deno test --doc` would run. */
async function runnableExamples(): Promise<Example[]> {
  const files: string[] = [];
  for (const root of DOC_ROOTS) {
    const path = join(REPO_ROOT, root);
    if ((await Deno.stat(path)).isFile) files.push(path);
    else {for await (const file of sourceFiles(path, /\.(ts|tsx|js|jsx|mts|mjs|md)$/)) {
        files.push(file);
      }}
  }
  const examples: Example[] = [];
  for (const path of files.sort()) {
    const text = await Deno.readTextFile(path);
    const found = path.endsWith(".md")
      ? markdownExamples(path, text)
      : examplesOf(path, text).examples;
    examples.push(...found.filter((example) => runnableExtension(example.info) !== undefined));
  }
  return examples;
}

/**
 * Writes a block as a module under out/doc-examples/ (a stable path, so Deno's
 * transpile cache serves the next run) and returns its URL. Relative imports
 * are resolved against the documented file, as `deno test --doc` does; the code
 * keeps its line numbers, so a failure's stack points at the line in that file.
 */
async function writeExampleModule(example: Example): Promise<URL> {
  const [file, line] = example.where.split(":") as [string, string];
  const source = pathToFileURL(join(REPO_ROOT, file));
  const code = example.code.replace(
    /(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.\.?\/[^"'\n]*)\2/g,
    (_, keyword: string, _quote: string, specifier: string) =>
      `${keyword}${JSON.stringify(new URL(specifier, source).href)}`,
  );
  const text = `// ${example.where}, run by tests/doc_examples_test.ts${
    "\n".repeat(Number(line))
  }${code}\n`;
  const path = join(
    REPO_ROOT,
    "out",
    "doc-examples",
    `${file}.${line}.${runnableExtension(example.info)}`,
  );
  const current = await Deno.readTextFile(path).catch(() => undefined);
  if (current !== text) {
    await Deno.mkdir(dirname(path), { recursive: true });
    // Written aside and renamed: a test run beside this one never imports half a file.
    const partial = `${path}.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(partial, text);
    await Deno.rename(partial, path);
  }
  return pathToFileURL(path);
}

Deno.test("doc examples run and pass, each as its own module", async (t) => {
  const examples = await runnableExamples();

  await t.step("README.md, mod.ts and lib/ have runnable examples", () => {
    const files = new Set(examples.map((example) => example.where.split(/[/:]/)[0]));
    for (const file of ["README.md", "mod.ts", "lib"]) assert.ok(files.has(file), file);
  });

  for (const example of examples) {
    const url = await writeExampleModule(example);
    await t.step(example.where, async () => {
      await import(url.href);
    });
  }
});
