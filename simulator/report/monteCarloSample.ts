/**
 * Whether a Monte Carlo run has enough paths for the percentiles it reports (docs/montecarlo-format.md,
 * "Sample size"). A nearest-rank percentile p of N paths is the value at rank ceil(p / 100 × N); the
 * N − rank paths above it are all the run knows of the tail beyond it. With 10 paths, p95 and p99 are
 * both rank 10, the maximum, and say nothing the maximum does not.
 *
 * Rule: percentile p is estimated from too few paths when N < TAIL_PATHS / (1 − p / 100), i.e. when
 * fewer than TAIL_PATHS paths are expected above it: p50 needs 20 paths, p95 (VaR, LaR) 200, p99 1,000.
 */

/** The percentiles montecarlo.json reports (p95 is also VaR and LaR). */
export const REPORTED_PERCENTILES = [50, 95, 99] as const;

/** Paths expected above a percentile for it to be reported without a warning. */
export const TAIL_PATHS = 10;

/** One percentile estimated from too few paths. */
export interface SmallSampleJson {
  percentile: number;
  /** The fewest paths the rule asks for: ceil(TAIL_PATHS × 100 / (100 − percentile)). */
  minPaths: number;
  /** Paths ranked above the percentile's rank: N − ceil(percentile / 100 × N). 0: it is the maximum. */
  pathsAbove: number;
}

/** ceil(TAIL_PATHS × 100 / (100 − percent)), in integers. */
export function minPathsFor(percent: number): number {
  if (!Number.isInteger(percent) || percent < 1 || percent > 99) throw new RangeError(`percent must be an integer in 1..99, got ${percent}`);
  return Math.ceil((TAIL_PATHS * 100) / (100 - percent));
}

/** The reported percentiles that `paths` paths are too few for, in ascending order (empty when none). */
export function smallSample(paths: number): SmallSampleJson[] {
  if (!Number.isInteger(paths) || paths < 1) throw new RangeError(`paths must be an integer >= 1, got ${paths}`);
  return REPORTED_PERCENTILES.filter((p) => paths < minPathsFor(p)).map((percentile) => ({
    percentile,
    minPaths: minPathsFor(percentile),
    pathsAbove: paths - Math.ceil((percentile * paths) / 100),
  }));
}

/** The warning under the table (terminal and montecarlo.html), or null when the sample is large enough. */
export function smallSampleWarning(paths: number, flagged: readonly SmallSampleJson[]): string | null {
  if (flagged.length === 0) return null;
  const names = flagged.map((f) => `p${f.percentile}`);
  const needs = flagged.map((f) => `${f.minPaths} for p${f.percentile}`).join(", ");
  const maximum = flagged.filter((f) => f.pathsAbove === 0).map((f) => `p${f.percentile}`);
  const atRisk = flagged.some((f) => f.percentile === 95) ? " (so VaR and LaR)" : "";
  const head = `WARNING: ${paths} ${paths === 1 ? "path is" : "paths are"} too few for ${list(names)}${atRisk}: the rule asks for ${TAIL_PATHS} paths beyond a percentile, N >= ${TAIL_PATHS} / (1 - p/100) (${needs})`;
  return maximum.length === 0 ? head : `${head}; here ${list(maximum)} ${maximum.length === 1 ? "is" : "are"} the maximum`;
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;
}
