/** Thrown when records handed to the report module are inconsistent; `path` names the bad field. */
export class ReportInputError extends Error {
  override readonly name = "ReportInputError";
  constructor(
    readonly path: string,
    readonly details: string,
  ) {
    super(`${path}: ${details}`);
  }
}

/** Thrown when result.json or series.csv cannot be written; no partial output file is left behind. */
export class RunOutputWriteError extends Error {
  override readonly name = "RunOutputWriteError";
  constructor(
    readonly dir: string,
    override readonly cause: unknown,
  ) {
    super(`cannot write run outputs to ${dir}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Thrown when the charting library for report.html cannot be inlined safely; `file` is its build. */
export class ChartLibraryError extends Error {
  override readonly name = "ChartLibraryError";
  constructor(
    readonly file: string,
    readonly details: string,
  ) {
    super(`${file}: ${details}`);
  }
}
