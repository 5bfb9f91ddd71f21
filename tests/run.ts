// deno-lint-ignore-file no-console
/**
 * The project's test command (`deno task test`): checks the prerequisites
 * (Jupyter, Chromium; installed with apt-get when run as root on Debian),
 * runs fmt/lint/type checks and `deno doc --lint`, the unit and integration tests and the doc
 * examples, then prints one plain `N passed, N failed, N skipped` line for CI.
 * Extra arguments are passed to `deno test` (e.g. a file filter); with
 * `--prerequisites` it only checks the prerequisites and says what it would do.
 * @module
 */
import { aptGetInstall, findPrerequisites, planPrerequisites } from "./_prerequisites.ts";
import { groupModuleSource, groupTestFiles } from "./_test_groups.ts";

const root = new URL("..", import.meta.url).pathname;
const junitPath = `${root}out/test-results.xml`;

/**
 * Test files at once: many wait on servers, child processes, Jupyter or Chromium, so on 2 cores
 * 4 files at a time kept both busy (tests/cli, hardening and serve: 26.6 s with 2, 22.3 s with
 * 4, 22.9 s with 6). DENO_JOBS, when set, decides.
 */
const jobs = Deno.env.get("DENO_JOBS") ?? String(Math.max(4, navigator.hardwareConcurrency));

/** The test files under tests/, by the names `deno test` looks for (`*_test.ts`, `*.test.ts`, …). */
async function findTestFiles(dir = "tests"): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(`${root}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory && !entry.name.startsWith(".") && entry.name !== "node_modules") {
      files.push(...await findTestFiles(path));
    } else if (entry.isFile && /(^|[._])test\.[cm]?[jt]sx?$/.test(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

/**
 * Runs `deno test` with its own temporary folder (TMPDIR), which is removed when it ends, also
 * when it fails or the run is interrupted: the tests, Chromium and the doc examples leave ~300
 * files (130 MB) there otherwise. With `grouped`, the test files are loaded in groups (one
 * module per folder, written to the temporary folder; see tests/_test_groups.ts).
 * Its output is shown as it comes; returns whether it passed and the test modules that failed
 * outside any test (an error at import, e.g. a top-level throw): the JUnit report has no test
 * case for them.
 */
async function runTests(
  args: string[],
  grouped: boolean,
): Promise<{ ok: boolean; uncaught: string[] }> {
  const tmp = await Deno.makeTempDir({ prefix: "llm-judge-tests-" });
  try {
    let shown = args.join(" ");
    if (grouped) {
      const groups = groupTestFiles(await findTestFiles());
      await Deno.mkdir(`${tmp}/groups`);
      for (const group of groups) {
        const path = `${tmp}/groups/${group.name}`;
        await Deno.writeTextFile(path, groupModuleSource(root, group.files));
        args = [...args, path];
      }
      shown += ` ${tmp}/groups/*_test.ts (the test files in ${groups.length} groups)`;
    }
    console.log(`\n=== tests: deno ${shown}`);
    const child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: root,
      env: { TMPDIR: tmp, DENO_JOBS: jobs },
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    // Ctrl-C reaches the child too; a signal sent to this process alone is passed on. Either
    // way the child ends and the folder is removed below.
    const signals = (["SIGINT", "SIGTERM"] as const).map((signal) => {
      const listener = () => {
        try {
          child.kill(signal);
        } catch {
          // It has ended already.
        }
      };
      Deno.addSignalListener(signal, listener);
      return () => Deno.removeSignalListener(signal, listener);
    });
    const uncaught = new Set<string>();
    let pending = "";
    const decoder = new TextDecoder();
    const scan = (text: string) => {
      // "./tests/x_test.ts (uncaught error)" in the FAILURES list, colours stripped.
      // deno-lint-ignore no-control-regex
      const match = text.replace(/\x1b\[[0-9;]*m/g, "").match(/^(\S+) \(uncaught error\)$/);
      if (match) uncaught.add(match[1]!);
    };
    for await (const chunk of child.stdout) {
      for (let written = 0; written < chunk.length;) {
        written += await Deno.stdout.write(chunk.subarray(written));
      }
      const lines = (pending + decoder.decode(chunk, { stream: true })).split("\n");
      pending = lines.pop()!;
      lines.forEach(scan);
    }
    scan(pending);
    const status = await child.status;
    for (const remove of signals) remove();
    return { ok: status.success, uncaught: [...uncaught] };
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch((error) =>
      console.error(`Cannot remove the tests' temporary folder ${tmp}: ${error}`)
    );
  }
}

/** Runs a check with its output kept, to print once the tests (running meanwhile) are done. */
async function runQuietly(label: string, args: string[]): Promise<[boolean, string]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const text = `\n=== ${label}: deno ${args.join(" ")}\n${decoder.decode(output.stdout)}${
    decoder.decode(output.stderr)
  }`;
  return [output.success, text];
}

const dryRun = Deno.args.includes("--prerequisites");
const filters = Deno.args.filter((arg) => arg !== "--prerequisites");
if (filters.length === 0 || dryRun) {
  const plan = planPrerequisites(await findPrerequisites());
  if (plan.kind === "ready") {
    if (dryRun) console.log("Test prerequisites: Jupyter and Chromium are installed.");
  } else if (plan.kind === "stop" || dryRun) {
    console.error(plan.message);
    Deno.exit(1);
  } else {
    console.log(plan.message);
    if (!(await aptGetInstall(plan.packages))) {
      console.error(
        `apt-get failed; install them yourself: apt-get install -y ${plan.packages.join(" ")}`,
      );
      Deno.exit(1);
    }
  }
  if (dryRun) Deno.exit(0);
}

await Deno.mkdir(`${root}out`, { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;

// The checks (fmt, lint, types, doc lint) run one after another while the tests run: the
// type check is mostly one thread, and the tests wait on servers and child processes.
const CHECKS = [
  ["format", ["fmt", "--check"]],
  ["lint", ["lint"]],
  // With --doc the JSDoc and README examples are type-checked here too, so
  // `deno test` below need not type-check everything a second time.
  ["types", [
    "check",
    "--lock=deno.lock",
    "--doc",
    "README.md",
    "mod.ts",
    "cli/",
    "lib/",
    "tests/",
    "bench/",
    "scripts/",
    "docs/",
  ]],
  ["doc lint", ["doc", "-q", "--lint", "mod.ts"]],
] as const;
const checks = filters.length > 0 ? Promise.resolve([]) : (async () => {
  const results: [boolean, string][] = [];
  for (const [label, args] of CHECKS) results.push(await runQuietly(label, [...args]));
  return results;
})();

await Deno.remove(junitPath).catch(() => {});
const { ok: testsOk, uncaught } = await runTests([
  "test",
  "--lock=deno.lock",
  "--allow-all",
  "--parallel",
  // A full run type-checked everything in the "types" step, and tests/doc_examples_test.ts runs
  // the doc examples in one worker (--doc would load the library afresh for each of ~200
  // blocks); a filtered run checks its tests and runs the examples of the files it names.
  ...(filters.length === 0 ? ["--no-check"] : ["--doc"]),
  `--junit-path=${junitPath}`,
  ...filters,
], filters.length === 0);
for (const [ok, text] of await checks) {
  console.log(text);
  if (ok) passed++;
  else failed++;
}
let counted = false;
try {
  const xml = await Deno.readTextFile(junitPath);
  const cases = xml.match(/<testcase\b[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  for (const testcase of cases) {
    if (/<failure\b|<error\b/.test(testcase)) failed++;
    else if (/<skipped\b/.test(testcase)) skipped++;
    else passed++;
  }
  counted = cases.length > 0;
} catch {
  // No report: deno test failed before running anything.
}
// A module that failed to load ran none of its tests: one failure each.
failed += uncaught.length;
if (uncaught.length > 0) console.log(`\nTest modules that failed to load: ${uncaught.join(", ")}`);
if (!counted || (!testsOk && failed === 0)) failed++;

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
Deno.exit(failed === 0 ? 0 : 1);
