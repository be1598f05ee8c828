/**
 * Large scenarios, before anything is deployed: above `WARN_POSITIONS` positions a run prints its
 * estimated time and memory (engine/estimateRun.ts) on stderr and goes on; above `REFUSE_POSITIONS` it is
 * refused (exit code 2, one line naming the size and `--allow-large`) unless `--allow-large` is given.
 */
import { REFUSE_POSITIONS, WARN_POSITIONS, estimateRun, scenarioPositions, type RunEstimate } from "../engine/estimateRun";
import type { Scenario } from "../scenario";

/** A run refused for its size; the message is the one line to print. */
export class RunSizeError extends Error {
  override readonly name = "RunSizeError";
}

const count = (n: number): string => n.toLocaleString("en-US");

/** "45 s", "12 min", "4.3 h". */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** "900 MiB", "3.0 GiB". */
export function formatMemory(mib: number): string {
  return mib < 1024 ? `${mib} MiB` : `${(mib / 1024).toFixed(1)} GiB`;
}

function estimateText(e: RunEstimate): string {
  return `estimated ${formatDuration(e.totalMs)} (set-up ${formatDuration(e.setUpMs)}, ${count(e.blocks)} blocks ${formatDuration(e.blocksMs)}) and ${formatMemory(e.peakMiB)} of memory`;
}

/**
 * Throws `RunSizeError` for a scenario above `REFUSE_POSITIONS` positions unless `allowLarge`; returns
 * the warning line (with its newline) for one above `WARN_POSITIONS`, else undefined.
 */
export function largeRunWarning(scenario: Scenario, allowLarge: boolean): string | undefined {
  const positions = scenarioPositions(scenario);
  if (positions <= WARN_POSITIONS) return undefined;
  const estimate = estimateRun(positions, scenario.blocks);
  if (positions > REFUSE_POSITIONS && !allowLarge) {
    throw new RunSizeError(
      `${count(positions)} positions is more than ${count(REFUSE_POSITIONS)} (${estimateText(estimate)}): pass --allow-large to run it anyway`,
    );
  }
  return `warning: ${count(positions)} positions, more than the ${count(WARN_POSITIONS)} measured: ${estimateText(estimate)} on README's 2-core machine (Speed)\n`;
}

/** The scenario with the most positions (the first of equals); `scenarios` is not empty. */
export function largestScenario(scenarios: readonly Scenario[]): Scenario {
  return scenarios.reduce((largest, s) => (scenarioPositions(s) > scenarioPositions(largest) ? s : largest));
}
