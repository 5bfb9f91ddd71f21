/**
 * The calibration and audit charts of `plot`: reads calibrate's reports or
 * judgment files and answers, and builds the spec.
 * @module
 */
import { join } from "node:path";
import type { TopLevelSpec } from "../lib/plot/top_level_spec.ts";
import { DataError } from "../lib/data/data_error.ts";
import { layout, type Roots } from "../lib/data/data_root.ts";
import { readAnswerDirectory } from "../lib/data/read_answers.ts";
import { readJudgments } from "../lib/data/read_judgments.ts";
import { isPairJudgment, type ModelAnswer, type PairJudgment } from "../lib/data/types.ts";
import type { CalibrationReport } from "../lib/calibrate/mod.ts";
import { answerLengths, lengthPoints, positionBias } from "../lib/audit/mod.ts";
import {
  calibrationChartSpec,
  lengthBiasChartSpec,
  positionBiasChartSpec,
} from "../lib/plot/mod.ts";
import { UsageError } from "./_command.ts";

/** What the chart is drawn from. */
export interface AuditChartInputs {
  inputFiles: string[] | undefined;
  roots: Roots;
  bench: string | undefined;
  turn: number | undefined;
  title: string | undefined;
}

/** Builds the `calibration`, `position-bias` or `length-bias` chart. */
export async function auditChart(
  kind: "calibration" | "position-bias" | "length-bias",
  inputs: AuditChartInputs,
): Promise<{ spec: TopLevelSpec; described: string }> {
  const title = inputs.title === undefined ? {} : { title: inputs.title };
  if (kind === "calibration") {
    const files = inputs.inputFiles ?? await calibrationReports(inputs.roots.output);
    if (files.length === 0) {
      throw new UsageError(
        `no calibration report in ${
          join(inputs.roots.output, "reports")
        }: run calibrate first, or pass --input-file`,
      );
    }
    const reports: CalibrationReport[] = [];
    for (const file of files) {
      const document = JSON.parse(await Deno.readTextFile(file));
      if (!Array.isArray(document?.report?.rows)) {
        throw new DataError("not a calibration report (no report.rows)", { file });
      }
      reports.push(document.report as CalibrationReport);
    }
    return {
      spec: calibrationChartSpec(reports, { turn: inputs.turn ?? 1, ...title }),
      described: `calibration of ${files.join(", ")}`,
    };
  }
  if (inputs.inputFiles === undefined) {
    throw new UsageError(`--kind ${kind} needs --input-file (a judgment file)`);
  }
  if (kind === "position-bias") {
    const series = [];
    for (const file of inputs.inputFiles) {
      const records = (await readJudgments(file)).filter(isPairJudgment) as PairJudgment[];
      if (records.length === 0) throw new DataError("no pairwise judgment", { file });
      series.push({ label: records[0]!.judge[0], bias: positionBias(records) });
    }
    return {
      spec: positionBiasChartSpec(series, title),
      described: `position bias of ${inputs.inputFiles.join(", ")}`,
    };
  }
  const file = inputs.inputFiles[0]!;
  const records = await readJudgments(file);
  const provenance = records[0]?.provenance as Record<string, unknown> | undefined;
  const bench = inputs.bench ??
    (typeof provenance?.bench === "string" ? provenance.bench : "mt_bench");
  const answers = new Map<string, ModelAnswer[]>();
  for (const root of new Set([inputs.roots.data, inputs.roots.output])) {
    try {
      for (const [model, byId] of await readAnswerDirectory(layout.answerDir(root, bench))) {
        answers.set(model, [...byId.values()]);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  const points = lengthPoints(records, answerLengths(answers));
  if (points.length === 0) {
    throw new DataError(
      `no judgment with known answer lengths (answers looked up in ${bench}/model_answer; use --bench-name)`,
      { file },
    );
  }
  return { spec: lengthBiasChartSpec(points, title), described: `length bias of ${file}` };
}

async function calibrationReports(outputRoot: string): Promise<string[]> {
  const directory = join(outputRoot, "reports");
  const files: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (entry.isFile && /^calibration_.*\.json$/.test(entry.name)) {
        files.push(join(directory, entry.name));
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return files.sort();
}
