/**
 * What a scenario will cost to run in-process, estimated before anything is deployed, from its size:
 * the positions the engine values in every block (a pooled borrower's account is one; an isolated
 * borrower has one per collateral market; a looper's vault is one) and the blocks it runs.
 *
 * The constants are README's Speed section (2-core VM, in-process chain), at 10,000 borrowers, the
 * largest world measured: set-up 29.6 s, the 300 blocks 157.2 s, peak 3,094 MiB; at 1,000 borrowers
 * peak 1.6–2.3 GiB. Linear in positions (the measured 1,000 -> 10,000 step was 9.2× for 10×):
 *   setUpMs   = positions × SET_UP_MS_PER_POSITION
 *   blocksMs  = positions × blocks × BLOCK_US_PER_POSITION / 1000
 *   peakMiB   = PEAK_BASE_MIB + positions × PEAK_MIB_PER_1000_POSITIONS / 1000
 * A rough guide (the machine swings ±30%; crashes and keepers' races cost more), not a promise.
 */
import { scenarioKind } from "../scenario/kinds";
import type { Scenario } from "../scenario/types";

/** Deploying and opening one position: 29.6 s / 10,000. */
export const SET_UP_MS_PER_POSITION = 3;
/** One block's work per position (valuation, the batched read, mining its share): 157.2 s / 300 / 10,000 ≈ 52.4 µs. */
export const BLOCK_US_PER_POSITION = 52;
/** Peak memory of the process with nothing open (EDR, the engine, the compiled contracts), MiB. */
export const PEAK_BASE_MIB = 1_800;
/** Peak memory per 1,000 positions, MiB: (3,094 − 1,800) / 10 ≈ 130 (1,930 MiB at 1,000: within 1.6–2.3 GiB). */
export const PEAK_MIB_PER_1000_POSITIONS = 130;

/** Above this many positions a run warns (beyond the largest world measured, its estimate extrapolated). */
export const WARN_POSITIONS = 10_000;
/** Above this many positions a run is refused unless allowed (estimated peak 14,800 MiB; set-up 5 min, 300 blocks 26 min). */
export const REFUSE_POSITIONS = 100_000;

export interface RunEstimate {
  positions: number;
  blocks: number;
  setUpMs: number;
  blocksMs: number;
  totalMs: number;
  peakMiB: number;
}

/** The positions `scenario` opens at block 0: borrowers (as many per borrower as its protocol's kind opens) and loopers' vaults. */
export function scenarioPositions(scenario: Scenario): number {
  const perBorrower = (g: Scenario["borrowers"][number]) => {
    const protocol = scenario.protocols.find((p) => p.name === g.protocol);
    return protocol === undefined ? 1 : scenarioKind(protocol.type).positionsPerBorrower(protocol, g);
  };
  const borrowers = scenario.borrowers.reduce((n, g) => n + g.count * perBorrower(g), 0);
  return borrowers + scenario.loopers.reduce((n, g) => n + g.count, 0);
}

/** The estimate for `positions` positions over `blocks` blocks (formulas above; whole milliseconds and MiB). */
export function estimateRun(positions: number, blocks: number): RunEstimate {
  const setUpMs = positions * SET_UP_MS_PER_POSITION;
  const blocksMs = Math.round((positions * blocks * BLOCK_US_PER_POSITION) / 1000);
  const peakMiB = PEAK_BASE_MIB + Math.round((positions * PEAK_MIB_PER_1000_POSITIONS) / 1000);
  return { positions, blocks, setUpMs, blocksMs, totalMs: setUpMs + blocksMs, peakMiB };
}
