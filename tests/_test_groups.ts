/**
 * Test files grouped for a full run: `deno test --parallel` starts a fresh
 * worker (a V8 isolate, node compat, the modules it imports) for every test
 * module, about 0.1 s of CPU each before any test runs. The runner writes one
 * module per group that imports the group's test files, so a folder's files
 * share one worker: on 2 cores, 119 files in 28 groups took the whole
 * `deno task test` from 109 s of CPU and 61 s to 79 s and 43 s. A file that
 * fails to load becomes one failed test named after it; the group's other
 * files still run. Files of one group run one after another, so they share
 * less than before: nothing but the process (its environment, its working
 * folder) is shared with the other groups, as it was with other files.
 * @module
 */

/** One group: the test files loaded in one worker, and the module that loads them. */
export interface TestGroup {
  /** The module's file name, e.g. `03-cli-1_test.ts` (the number keeps the start order). */
  name: string;
  /** Repository-relative paths of the test files, e.g. `tests/cli/show_test.ts`. */
  files: string[];
}

/**
 * Folders whose tests take longest on the clock (Jupyter kernels, Chromium, the
 * whole seed workflow): started first, so that no one of them starts last.
 */
export const START_FIRST: readonly string[] = ["tests/notebooks", "tests/browse", "tests/e2e"];

/** Files of one folder in one group at most: larger folders are split. */
export const MAX_FILES_PER_GROUP = 8;

/**
 * Groups test files by folder, splitting folders of more than `maxFiles` files
 * into even parts; {@linkcode START_FIRST} folders come first, then the
 * groups with most files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupTestFiles } from "./_test_groups.ts";
 * const groups = groupTestFiles(["tests/a/x_test.ts", "tests/a/y_test.ts", "tests/b_test.ts"]);
 * assert.deepEqual(groups.map((group) => group.files.length), [2, 1]);
 * assert.equal(groups[0]!.name, "00-a_test.ts");
 * ```
 */
export function groupTestFiles(
  files: readonly string[],
  maxFiles: number = MAX_FILES_PER_GROUP,
): TestGroup[] {
  const byFolder = new Map<string, string[]>();
  for (const file of [...files].sort()) {
    const folder = file.slice(0, Math.max(0, file.lastIndexOf("/")));
    const list = byFolder.get(folder) ?? [];
    list.push(file);
    byFolder.set(folder, list);
  }
  const parts: { folder: string; files: string[] }[] = [];
  for (const [folder, list] of byFolder) {
    const count = Math.ceil(list.length / maxFiles);
    const size = Math.ceil(list.length / count);
    for (let start = 0; start < list.length; start += size) {
      parts.push({ folder, files: list.slice(start, start + size) });
    }
  }
  const first = (folder: string) => {
    const index = START_FIRST.indexOf(folder);
    return index === -1 ? START_FIRST.length : index;
  };
  parts.sort((a, b) =>
    first(a.folder) - first(b.folder) || b.files.length - a.files.length ||
    (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0)
  );
  const seen = new Map<string, number>();
  return parts.map((part, index) => {
    const label = part.folder.replace(/^tests\/?/, "").replaceAll("/", "-") || "tests";
    const nth = (seen.get(label) ?? 0) + 1;
    seen.set(label, nth);
    const split = byFolder.get(part.folder)!.length > part.files.length;
    return {
      name: `${String(index).padStart(2, "0")}-${label}${split ? `-${nth}` : ""}_test.ts`,
      files: part.files,
    };
  });
}

/**
 * The source of a group's module: it imports each file (by `file:` URL under
 * `root`) in turn; a file that fails to load registers one failing test named
 * after it instead of stopping the others.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { groupModuleSource } from "./_test_groups.ts";
 * const source = groupModuleSource("/repo/", ["tests/a_test.ts"]);
 * assert.match(source, /"file:\/\/\/repo\/tests\/a_test\.ts"/);
 * ```
 */
export function groupModuleSource(root: string, files: readonly string[]): string {
  const urls = files.map((file) => new URL(file, new URL(`file://${root}`)).href);
  return `// Written by tests/run.ts: these test files share one worker.
for (const url of ${JSON.stringify(urls, null, 2)}) {
  try {
    await import(url);
  } catch (error) {
    Deno.test(\`\${url.slice(${
    JSON.stringify(new URL(`file://${root}`).href.length)
  })} fails to load\`, () => {
      throw error;
    });
  }
}
`;
}
