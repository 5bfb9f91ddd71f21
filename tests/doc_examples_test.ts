/**
 * The doc examples in `lib/` and `mod.ts` are tests: `deno task test` runs them
 * with `deno test --doc`. This checks that each one can fail: it runs (no
 * `ignore`) and checks its result with `node:assert/strict`, never
 * `console.assert` (which only prints).
 * @module
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
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

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (/\.(ts|js)$/.test(entry.name)) yield path;
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
