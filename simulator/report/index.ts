export * from "./types";
export * from "./errors";
export { DECIMAL_PLACES, formatDecimal, formatE8, formatUsdForDisplay, formatWeiAsGwei } from "./format";
export { buildRunResult, formatRunResultJson, runSummaryJson, type BuildRunResultParameters } from "./result";
export { formatSeriesCsv } from "./series";
export { RESULT_FILE, SERIES_FILE, writeRunOutputs, type RunOutputPaths } from "./write";
export { formatSummaryTable } from "./table";
export { ProgressBar, type ProgressBarOptions, type ProgressStream } from "./progress";
export { SummaryInputError, nearestRank, summarizeRun, type RunInput } from "../observe/summarize";
