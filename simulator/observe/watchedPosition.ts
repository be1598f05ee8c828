/**
 * The watched position: the one report.html follows block by block (`BlockRecord.watched`). It is the
 * position with debt whose health factor at oracle prices is lowest at block 0, the first in protocol
 * and holder order on a tie: when every price moves together, it is the first to become liquidatable.
 */
import type { Address } from "./types";

/** What the choice needs of a position valued at block 0. */
export interface WatchCandidate {
  key: string;
  protocol: string;
  market: string | null;
  borrower: Address;
  hasDebt: boolean;
  /** At oracle prices, WAD. */
  healthFactorWad: bigint;
}

export interface WatchedPositionId {
  key: string;
  protocol: string;
  market: string | null;
  borrower: Address;
}

/** The position with debt with the lowest health factor (the first of equals); null when none has debt. */
export function chooseWatchedPosition(positions: readonly WatchCandidate[]): WatchedPositionId | null {
  let lowest: WatchCandidate | null = null;
  for (const p of positions) {
    if (p.hasDebt && (lowest === null || p.healthFactorWad < lowest.healthFactorWad)) lowest = p;
  }
  return lowest === null ? null : { key: lowest.key, protocol: lowest.protocol, market: lowest.market, borrower: lowest.borrower };
}
