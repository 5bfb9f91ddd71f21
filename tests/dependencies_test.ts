/**
 * The install stays lean: npm packages are pinned where they are imported
 * (an `npm:` specifier with its version), not in deno.json's import map, because Deno installs
 * every import-map entry and every package of the lockfile before running
 * anything. The light CLI tasks run on `cli.lock`, `gen`/`serve`/`gen-api` on
 * `gen.lock` (adds ONNX Runtime), tests, benchmarks and notebooks on `deno.lock`.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { REPO_ROOT } from "./_helpers.ts";

const HEAVY = ["onnxruntime-node", "@huggingface/transformers", "danfojs-node"];
/** An `npm:` specifier in an import, a dynamic import or `import.meta.resolve`. */
const SPECIFIER =
  /(?:from\s+|import\s*\(\s*|import\s+|resolve\(\s*)\\?["']npm:((?:@[\w.-]+\/)?[\w.-]+)@([^/"'\s\\]+)/g;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    if (["out", "data"].includes(relative(REPO_ROOT, path))) continue;
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (/\.(ts|ipynb)$/.test(entry.name)) yield path;
  }
}

function config(): { imports?: Record<string, string>; tasks: Record<string, string> } {
  return JSON.parse(Deno.readTextFileSync(join(REPO_ROOT, "deno.json")));
}

Deno.test("dependencies", async (t) => {
  await t.step("every npm package has one pinned version across the sources", async () => {
    const versions = new Map<string, Map<string, string>>();
    for await (const path of sourceFiles(REPO_ROOT)) {
      for (const [, name, version] of (await Deno.readTextFile(path)).matchAll(SPECIFIER)) {
        assert.match(version!, /^\d+\.\d+\.\d+$/, `${relative(REPO_ROOT, path)}: npm:${name}`);
        if (!versions.has(name!)) versions.set(name!, new Map());
        versions.get(name!)!.set(version!, relative(REPO_ROOT, path));
      }
    }
    assert.ok(versions.has("hyparquet") && versions.has("onnxruntime-node"), "specifiers found");
    for (const [name, seen] of versions) {
      assert.equal(seen.size, 1, `npm:${name} at ${JSON.stringify(Object.fromEntries(seen))}`);
    }
  });

  await t.step("deno.json's import map has no npm packages", () => {
    const imports = Object.values(config().imports ?? {});
    assert.deepEqual(imports.filter((target) => target.startsWith("npm:")), []);
  });

  await t.step("cli.lock and gen.lock hold none of the packages they do not need", async () => {
    for (const [file, unneeded] of [["cli.lock", HEAVY], ["gen.lock", HEAVY.slice(1)]] as const) {
      const lock = JSON.parse(await Deno.readTextFile(join(REPO_ROOT, file)));
      const packages = Object.keys(lock.npm ?? {});
      for (const name of unneeded) {
        assert.ok(!packages.some((key) => key.startsWith(`${name}@`)), `${name} in ${file}`);
      }
    }
  });

  await t.step("every deno run task names its lockfile", () => {
    for (const [task, line] of Object.entries(config().tasks)) {
      if (!line.startsWith("deno run ")) continue;
      assert.match(line, /--lock=(cli|gen|deno)\.lock /, task);
    }
  });
});
