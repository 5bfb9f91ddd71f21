// The Hugging Face cache layout, as huggingface_hub writes it:
// <cache>/models--org--name/{blobs/<etag>, refs/<revision>, snapshots/<commit>/<path>},
// snapshot files being relative symlinks to ../../blobs/<etag>.
import { dirname, join, relative } from "node:path";

/** `<cache>/models--org--name`. */
export function repoFolder(cacheDir: string, repo: string): string {
  return join(cacheDir, `models--${repo.split("/").join("--")}`);
}

/** Whether a revision is a full commit sha. */
export function isCommitSha(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

/** The commit `refs/<revision>` points at, if the cache has the ref. */
export async function readRef(repoDir: string, revision: string): Promise<string | undefined> {
  try {
    const text = (await Deno.readTextFile(join(repoDir, "refs", ...revision.split("/")))).trim();
    return isCommitSha(text) ? text : undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Writes `refs/<revision>` (the commit, no newline, as huggingface_hub does). */
export async function writeRef(repoDir: string, revision: string, commit: string): Promise<void> {
  const path = join(repoDir, "refs", ...revision.split("/"));
  await Deno.mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temporary, commit);
  await Deno.rename(temporary, path);
}

/** Files of a snapshot folder as repo paths (`a/b.json`); dangling links are left out. */
export async function listSnapshot(snapshotDir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      let info: Deno.FileInfo;
      try {
        info = await Deno.stat(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue;
        throw error;
      }
      if (info.isDirectory) await walk(path, `${prefix}${entry.name}/`);
      else files.push(`${prefix}${entry.name}`);
    }
  };
  try {
    await walk(snapshotDir, "");
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return files.sort();
}

/**
 * Links `snapshots/<commit>/<path>` to `blobs/<etag>` with a relative
 * symlink (a copy where symlinks are not allowed), replacing what was there.
 * ONNX external data files (`*.onnx.data`, `*.onnx_data`) get a hard link
 * instead: ONNX Runtime refuses weights whose real path lies outside the
 * model's folder ("External data path escapes model directory") when it
 * loads an edited graph, and a hard link shares the blob's bytes while
 * living in the snapshot folder. Python's tools read either form.
 */
export async function linkSnapshotFile(
  repoDir: string,
  commit: string,
  path: string,
  etag: string,
): Promise<void> {
  const pointer = join(repoDir, "snapshots", commit, ...path.split("/"));
  const blob = join(repoDir, "blobs", etag);
  await Deno.mkdir(dirname(pointer), { recursive: true });
  await Deno.remove(pointer).catch(() => {});
  if (/\.onnx(?:\.data|_data)$/.test(path)) {
    try {
      await Deno.link(blob, pointer);
      return;
    } catch {
      // Another file system or no hard links: a symlink as for other files.
    }
  }
  try {
    await Deno.symlink(relative(dirname(pointer), blob), pointer);
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) throw error;
    await Deno.copyFile(blob, pointer);
  }
}
