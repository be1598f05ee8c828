/**
 * Writes a run's result.json and series.csv (and, when asked, report.html) atomically: each file is
 * written in full to `<name>.tmp`, flushed to disk, then renamed over its final name, series.csv
 * first, report.html next and result.json last, so result.json appears only once the others are
 * whole. If any step fails, the temporary files and the files this call already placed are removed:
 * no partial file remains, and the error says which directory failed and why.
 */
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { BlockRecord } from "../observe/types";
import { ReportInputError, RunOutputWriteError } from "./errors";
import { formatHtmlReport, type HtmlReportOptions, type HtmlReportScenario } from "./html";
import { formatRunResultJson } from "./result";
import { formatSeriesCsv } from "./series";
import type { RunResultJson } from "./types";

export const RESULT_FILE = "result.json";
export const SERIES_FILE = "series.csv";
export const HTML_REPORT_FILE = "report.html";

export interface RunOutputPaths {
  resultPath: string;
  seriesPath: string;
  /** Only when report.html was asked for. */
  htmlPath?: string;
}

export interface WriteRunOutputsOptions {
  /**
   * Also write report.html; its price charts group AMMs and AMM-read feeds by the asset `scenario` says
   * they price; `setUp` (`RunOutput.setUp`) draws block 0 first.
   */
  html?: { scenario: HtmlReportScenario } & HtmlReportOptions;
}

/** Creates `dir` if missing and writes result.json and series.csv (from `blocks`) into it, and report.html if asked. */
export async function writeRunOutputs(
  dir: string,
  result: RunResultJson,
  blocks: readonly BlockRecord[],
  options: WriteRunOutputsOptions = {},
): Promise<RunOutputPaths> {
  if (blocks.length !== result.blocksRecorded) {
    throw new ReportInputError(
      "blocks",
      `${blocks.length} given, but result.blocksRecorded is ${result.blocksRecorded}`,
    );
  }
  const seriesPath = path.join(dir, SERIES_FILE);
  const resultPath = path.join(dir, RESULT_FILE);
  // Rendered before touching the disk, so bad records fail with nothing written.
  const html =
    options.html === undefined
      ? null
      : { finalPath: path.join(dir, HTML_REPORT_FILE), text: formatHtmlReport(result, blocks, options.html.scenario, options.html) };
  const files: OutputFile[] = [
    { finalPath: seriesPath, text: formatSeriesCsv(blocks, Object.keys(result.summary.protocols)) },
    ...(html === null ? [] : [html]),
    { finalPath: resultPath, text: formatRunResultJson(result) },
  ];

  await writeFilesAtomically(dir, files);
  return html === null ? { resultPath, seriesPath } : { resultPath, seriesPath, htmlPath: html.finalPath };
}

/** A file to write: its final path and its whole text. */
export interface OutputFile {
  finalPath: string;
  text: string;
}

/**
 * Creates `dir` if missing and writes `files` into it atomically, in order: all are written and
 * flushed to `<name>.tmp` first, then renamed over their final names in the order given (so the last
 * appears only once the others are whole). On any failure, the temporary files and the files this
 * call already placed are removed, and `RunOutputWriteError` names `dir` and the cause.
 */
export async function writeFilesAtomically(dir: string, files: readonly OutputFile[]): Promise<void> {
  const placed: string[] = [];
  try {
    await mkdir(dir, { recursive: true });
    for (const file of files) await writeFlushed(`${file.finalPath}.tmp`, file.text);
    for (const file of files) {
      await rename(`${file.finalPath}.tmp`, file.finalPath);
      placed.push(file.finalPath);
    }
  } catch (error) {
    // Best effort: the write error is the one to report, not a failure to clean up after it.
    for (const file of files) await rm(`${file.finalPath}.tmp`, { force: true }).catch(() => undefined);
    for (const finalPath of placed) await rm(finalPath, { force: true }).catch(() => undefined);
    throw new RunOutputWriteError(dir, error);
  }
}

/** Writes `text` to `filePath` and flushes it to disk before returning (the first step of an atomic write). */
export async function writeFlushed(filePath: string, text: string): Promise<void> {
  const handle = await open(filePath, "w");
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}
