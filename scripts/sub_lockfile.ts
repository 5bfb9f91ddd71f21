// deno-lint-ignore-file no-console
/**
 * Rebuilds `cli.lock` and `gen.lock` from `deno.lock`: each keeps the npm
 * packages of its roots and their dependencies, at the versions and
 * integrities of `deno.lock` (`deno task locks`). Run it after `deno.lock`
 * changes; `tests/cli/main_test.ts` runs every task's command with `--frozen`,
 * so a root missing here fails the tests.
 *
 * ```sh
 * deno task locks
 * ```
 * @module
 */

/** The packages each lockfile starts from: what its tasks import. */
const LOCKS: Record<string, string[]> = {
  "cli.lock": [
    "hyparquet",
    "franc",
    "openai",
    "vega",
    "vega-lite",
    "@resvg/resvg-js",
    "dejavu-fonts-ttf",
  ],
  "gen.lock": [
    "hyparquet",
    "franc",
    "openai",
    "vega",
    "vega-lite",
    "@resvg/resvg-js",
    "dejavu-fonts-ttf",
    "onnxruntime-node",
    "@huggingface/tokenizers",
    "@huggingface/jinja",
  ],
};

interface NpmEntry {
  dependencies?: string[];
  optionalDependencies?: string[];
}

interface Lockfile {
  version: string;
  specifiers: Record<string, string>;
  npm: Record<string, NpmEntry>;
}

const root = new URL("..", import.meta.url);
const full: Lockfile = JSON.parse(await Deno.readTextFile(new URL("deno.lock", root)));
const nameOf = (key: string) => key.slice(0, key.indexOf("@", 1));

/** The lockfile key of a dependency given as `name` or `name@version`. */
function keyOf(dependency: string): string {
  if (dependency in full.npm) return dependency;
  const matches = Object.keys(full.npm).filter((key) => nameOf(key) === dependency);
  if (matches.length !== 1) {
    throw new Error(`deno.lock: cannot tell which ${dependency}: ${matches}`);
  }
  return matches[0]!;
}

for (const [file, roots] of Object.entries(LOCKS)) {
  const specifiers = Object.fromEntries(
    Object.entries(full.specifiers).filter(([specifier]) =>
      roots.some((name) => specifier.startsWith(`npm:${name}@`))
    ),
  );
  const missing = roots.filter((name) =>
    !Object.keys(specifiers).some((specifier) => specifier.startsWith(`npm:${name}@`))
  );
  if (missing.length > 0) throw new Error(`deno.lock has no ${missing.join(", ")}`);
  const seen = new Set<string>();
  const stack = Object.entries(specifiers).map(([specifier, version]) =>
    `${nameOf(specifier.slice(4))}@${version}`
  );
  while (stack.length > 0) {
    const key = keyOf(stack.pop()!);
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = full.npm[key]!;
    stack.push(...(entry.dependencies ?? []), ...(entry.optionalDependencies ?? []));
  }
  const npm = Object.fromEntries([...seen].sort().map((key) => [key, full.npm[key]!]));
  const lock = { version: full.version, specifiers, npm };
  await Deno.writeTextFile(new URL(file, root), JSON.stringify(lock, null, 2) + "\n");
  console.log(
    `${file}: ${Object.keys(specifiers).length} packages, ${seen.size} with dependencies`,
  );
}
