// deno-lint-ignore-file no-console
/**
 * `--model-path` as a local directory or a Hugging Face Hub repo id
 * (`org/name`, with `--revision` and `--variant`), for `gen` and `serve`.
 * @module
 */
import { isTerminal, stderr, writeAll } from "./_io.ts";
import { join } from "node:path";
import {
  type HubDownloadProgress,
  hubSettings,
  isHubRepoId,
  resolveHubModel,
  VariantChoiceError,
} from "../lib/hub/mod.ts";
import { UsageError } from "./_command.ts";
import { duration } from "./_progress.ts";

/** Where the model lies, and what the records should say about it. */
export interface ModelSource {
  /** The model directory to load. */
  dir: string;
  /** `--dtype` for the loader (the Hub variant's weight file), when it differs from the option. */
  loadDtype: string | undefined;
  /** The model name for records (`org/name` for a Hub repo, else undefined: the directory). */
  modelName: string | undefined;
  /** Fields for the records' `generation` block (repo, revision, commit, variant). */
  details: Record<string, unknown>;
}

/** The values {@linkcode modelSource} reads. */
export interface ModelSourceValues {
  ep: string;
  dtype: string;
  revision?: string | undefined;
  variant?: string | undefined;
}

async function isLocal(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function bytesText(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GiB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** A download bar on stderr: bytes, rate and ETA; redrawn on a terminal, every 10% otherwise. */
function downloadBar(command: string): {
  update(progress: HubDownloadProgress): void;
  done(): void;
} {
  const err = stderr();
  const tty = isTerminal(err);
  const encoder = new TextEncoder();
  const started = performance.now();
  let last = 0;
  let lastTenth = -1;
  let drawn = false;
  return {
    update(progress) {
      const now = performance.now();
      const { bytes, totalBytes } = progress;
      const fraction = totalBytes === undefined || totalBytes === 0
        ? undefined
        : bytes / totalBytes;
      const tenth = fraction === undefined ? -1 : Math.floor(fraction * 10);
      if (tty ? now - last < 200 : tenth <= lastTenth) return;
      last = now;
      lastTenth = tenth;
      const rate = bytes / Math.max(0.001, (now - started) / 1000);
      const eta = fraction === undefined || rate === 0
        ? "?"
        : duration(((totalBytes! - bytes) / rate) * 1000);
      const width = 24;
      const filled = fraction === undefined ? 0 : Math.round(fraction * width);
      const text = `llm-judge ${command}: [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${
        bytesText(bytes)
      }${totalBytes === undefined ? "" : ` / ${bytesText(totalBytes)}`} | ${
        bytesText(rate)
      }/s | ETA ${eta} | file ${progress.fileIndex + 1}/${progress.fileCount} ${progress.file}`;
      if (tty) {
        writeAll(err, encoder.encode(`\r\x1b[2K${text}`));
        drawn = true;
      } else console.error(text);
    },
    done() {
      if (tty && drawn) writeAll(err, encoder.encode("\n"));
    },
  };
}

/**
 * Resolves `--model-path`: an existing local path is used as it is (with
 * `--variant` as a subfolder); an `org/name` that is not a local path is a
 * Hub repo, found in the Hugging Face cache or downloaded (progress on
 * stderr). A bad `HF_ENDPOINT` or variant choice is a usage error; Hub
 * failures are `HubError`s (exit 1).
 */
export async function modelSource(
  modelPath: string,
  values: ModelSourceValues,
  command: string,
): Promise<ModelSource> {
  const note = (text: string) => console.error(`llm-judge ${command}: note: ${text}`);
  if (await isLocal(modelPath) || !isHubRepoId(modelPath)) {
    if (values.revision !== undefined) note("--revision is ignored for a local --model-path");
    const dir = values.variant === undefined ? modelPath : join(modelPath, values.variant);
    return { dir, loadDtype: undefined, modelName: undefined, details: {} };
  }
  let settings;
  try {
    settings = hubSettings(Deno.env.toObject());
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const bar = downloadBar(command);
  try {
    const model = await resolveHubModel(modelPath, {
      settings,
      revision: values.revision ?? "main",
      variant: values.variant,
      ep: values.ep,
      dtype: values.dtype,
      onNotice: note,
      onProgress: (progress) => bar.update(progress),
    });
    bar.done();
    const where = model.fromCache
      ? "from the Hugging Face cache, no download"
      : `${model.downloaded.length} file(s) downloaded`;
    console.error(
      `llm-judge ${command}: ${model.repo}@${model.revision} (commit ${model.commit.slice(0, 12)}${
        model.variant === "" ? "" : `, variant ${model.variant}`
      }): ${where}; ${model.dir}`,
    );
    return {
      dir: model.dir,
      loadDtype: model.loadDtype,
      modelName: model.repo,
      details: {
        hub_repo: model.repo,
        hub_revision: model.revision,
        hub_commit: model.commit,
        hub_variant: model.variant,
      },
    };
  } catch (error) {
    bar.done();
    if (error instanceof VariantChoiceError || error instanceof RangeError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}
