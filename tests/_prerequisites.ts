/**
 * What `deno task test` needs besides Deno, checked before anything runs:
 * Jupyter for tests/notebooks and Chromium for the browser test. On Debian as
 * root the runner installs what is missing (one `apt-get update`, then one
 * `apt-get install`); otherwise it stops at once, saying what to install.
 * @module
 */

/** Debian packages for Jupyter: nbconvert runs the notebooks, ipykernel its Python side. */
export const JUPYTER_PACKAGES: readonly string[] = [
  "jupyter-nbconvert",
  "jupyter-client",
  "python3-ipykernel",
];

/** The default Chromium binary (Debian's package), unless `LLM_JUDGE_CHROMIUM` names another. */
export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** What was found on this machine. */
export interface Findings {
  /** Whether `jupyter` and `jupyter-nbconvert` are on PATH (tests/notebooks runs them). */
  jupyter: boolean;
  /** The Chromium binary looked for. */
  chromiumPath: string;
  /** Whether it exists. */
  chromium: boolean;
  /** Whether the runner is root. */
  root: boolean;
  /** Whether `apt-get` is on PATH. */
  aptGet: boolean;
}

/** What the runner does about missing prerequisites. */
export type Plan =
  | { kind: "ready" }
  | { kind: "install"; packages: string[]; message: string }
  | { kind: "stop"; message: string };

/** Decides from the findings: nothing to do, install with apt-get, or stop with a message. */
export function planPrerequisites(found: Findings): Plan {
  const packages: string[] = [];
  const missing: string[] = [];
  if (!found.jupyter) {
    missing.push('Jupyter ("jupyter nbconvert" for tests/notebooks)');
    packages.push(...JUPYTER_PACKAGES);
  }
  const customChromium = found.chromiumPath !== DEBIAN_CHROMIUM;
  if (!found.chromium) {
    missing.push(`Chromium (${found.chromiumPath}, for tests/browse/browser_test.ts)`);
    if (!customChromium) packages.push("chromium");
  }
  if (missing.length === 0) return { kind: "ready" };
  const what = `Missing test prerequisites: ${missing.join(" and ")}.`;
  if (customChromium && !found.chromium) {
    return {
      kind: "stop",
      message: `${what} LLM_JUDGE_CHROMIUM names a file that does not exist: point it at a ` +
        `Chromium or Chrome binary, or unset it to use Debian's ${DEBIAN_CHROMIUM}` +
        (packages.length === 0 ? "." : `; and install: apt-get install -y ${packages.join(" ")}`),
    };
  }
  const command = `apt-get update && apt-get install -y ${packages.join(" ")}`;
  if (found.root && found.aptGet) {
    return { kind: "install", packages, message: `${what} Installing them: ${command}` };
  }
  return {
    kind: "stop",
    message: `${what} Install them (as root, on Debian): ${command}`,
  };
}

async function runs(command: string, args: string[]): Promise<{ ok: boolean; stdout: string }> {
  try {
    const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "null" })
      .output();
    return { ok: output.success, stdout: new TextDecoder().decode(output.stdout).trim() };
  } catch {
    return { ok: false, stdout: "" };
  }
}

/**
 * Whether an executable `name` is on PATH. Cheaper than running it: `jupyter nbconvert
 * --version` costs 1.5 s of CPU (Python and nbconvert's imports) before any test starts, and
 * the notebook test says what to install when Jupyter is there but broken.
 */
async function onPath(name: string): Promise<boolean> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    const info = await Deno.stat(`${dir}/${name}`).catch(() => undefined);
    if (info?.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return true;
  }
  return false;
}

/** Looks at this machine. */
export async function findPrerequisites(): Promise<Findings> {
  const chromiumPath = Deno.env.get("LLM_JUDGE_CHROMIUM") || DEBIAN_CHROMIUM;
  const [jupyter, nbconvert, id, aptGet, chromium] = await Promise.all([
    onPath("jupyter"),
    onPath("jupyter-nbconvert"),
    runs("id", ["-u"]),
    runs("apt-get", ["--version"]),
    Deno.stat(chromiumPath).then((info) => info.isFile, () => false),
  ]);
  return {
    jupyter: jupyter && nbconvert,
    chromiumPath,
    chromium,
    root: id.ok && id.stdout === "0",
    aptGet: aptGet.ok,
  };
}

/** Runs apt-get with its progress on the terminal; true when it succeeded. */
export async function aptGetInstall(packages: string[]): Promise<boolean> {
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", ...packages]]) {
    const status = await new Deno.Command("apt-get", {
      args,
      env,
      stdout: "inherit",
      stderr: "inherit",
    }).spawn().status;
    if (!status.success) return false;
  }
  return true;
}
