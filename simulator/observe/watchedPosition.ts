/**
 * The watched position: the one report.html follows block by block (`BlockRecord.watched`). It is the
 * position with debt whose health factor at oracle prices is lowest at block 0, the first in protocol
 * and holder order on a tie: when every price moves together, it is the first to become liquidatable.
 */
import type { ObservedState, PositionValues } from "../state";
import type { Address, WatchedPositionHealth } from "./types";

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

/** The watched position through the run: chosen at block 0, then its health factors each block. */
export class WatchedPosition {
  private id: WatchedPositionId | null = null;

  /**
   * Its health factors in the block whose state is `state`, from the values at the block's end
   * (`positions`, by key) and, before the block's liquidations, its state as the last recorded block
   * left it (`before`; null at block 0, where the position is chosen) at this block's feed prices.
   */
  health(positions: ReadonlyMap<string, PositionValues>, before: readonly PositionValues[] | null, state: ObservedState): WatchedPositionHealth | null {
    if (before === null) this.id = chooseWatchedPosition([...positions.values()]);
    const id = this.id;
    if (id === null) return null;
    const now = positions.get(id.key);
    const healthFactorWad = now?.hasDebt ? now.healthFactorWad : null;
    const feedPrice = (feed: string): bigint => {
      const f = state.feeds.get(feed);
      return f?.ok && f.answer > 0n ? f.answer : 0n;
    };
    const last = before?.find((v) => v.key === id.key);
    return {
      protocol: id.protocol,
      market: id.market,
      borrower: id.borrower,
      healthFactorWad,
      marketHealthFactorWad: now?.marketHealthFactorWad ?? null,
      healthFactorBeforeLiquidationsWad: before === null ? healthFactorWad : last ? last.revaluation.healthWith((feed) => feedPrice(feed), state.timestamp) : null,
    };
  }
}
