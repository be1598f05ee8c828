export * from "./types";
export * from "./errors";
export { DECIMAL_PLACES, formatDecimal, formatE8, formatUsdForDisplay, formatWeiAsGwei } from "./format";
export { buildRunResult, formatRunResultJson, runSummaryJson, type BuildRunResultParameters } from "./result";
export { formatSeriesCsv } from "./series";
export {
  HTML_REPORT_FILE,
  RESULT_FILE,
  SERIES_FILE,
  writeFilesAtomically,
  writeRunOutputs,
  type OutputFile,
  type RunOutputPaths,
  type WriteRunOutputsOptions,
} from "./write";
export { priceGapDetail, priceGapText, type PriceGap, type PriceGapDetail, type PriceGapDetailInput } from "./priceGaps";
export { formatSummaryTable, summaryFooterLines, summaryTableCells, type SummaryTableCells } from "./table";
export { REPORT_STYLE, escapeHtml, formatHtmlReport, loadChartLibrary, scriptJson, type ChartLibrary, type HtmlReportOptions, type HtmlReportScenario } from "./html";
export * from "./monteCarlo";
export { REPORTED_PERCENTILES, TAIL_PATHS, minPathsFor, smallSample, smallSampleWarning, type SmallSampleJson } from "./monteCarloSample";
export { formatMonteCarloHtml, histogram, histogramBinCount, type Histogram, type HistogramBin } from "./monteCarloHtml";
export { ProgressBar, type ProgressBarOptions, type ProgressStream } from "./progress";
export { SummaryInputError, nearestRank, summarizeRun, type RunInput } from "./summarize";
export * from "./sweep";
export { formatSweepHtml } from "./sweepHtml";
export { FIELD_UNITS, SECTION_NOUNS, UNIT_SUFFIXES, parameterLabel } from "./sweepLabel";
