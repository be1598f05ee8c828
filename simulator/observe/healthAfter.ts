/**
 * A liquidation's `healthFactorAfterWad`: the position's health factor at oracle prices right after it.
 * Within a block only a venue event that carries the health factor it started from says it exactly (the
 * pool's `LiquidationCall` does, Morpho's `Liquidate` does not: `VenueEvent.healthFromObserver`), so a
 * liquidation followed by another of the same position in the block takes that one's figure when it came
 * from its event, else none; the last of a block takes the position's health at the block's end, none
 * when it was left without debt.
 */
import type { LiquidationRecord } from "./types";

/** The end-of-block state of a position the liquidation names (by `positionKey`). */
export interface EndOfBlockHealth {
  hasDebt: boolean;
  /** At oracle prices, WAD. */
  healthFactorWad: bigint;
}

/**
 * Sets `healthFactorAfterWad` on `liquidations` (one block's, in log order); `fromEvent`: whether a
 * liquidation's `healthFactorWad` is its event's own figure.
 */
export function setHealthAfter(
  liquidations: LiquidationRecord[],
  keyOf: (l: LiquidationRecord) => string,
  endOfBlock: ReadonlyMap<string, EndOfBlockHealth>,
  fromEvent: (l: LiquidationRecord) => boolean,
): void {
  liquidations.forEach((l, i) => {
    const key = keyOf(l);
    const next = liquidations.slice(i + 1).find((later) => keyOf(later) === key);
    if (next !== undefined) {
      l.healthFactorAfterWad = fromEvent(next) ? next.healthFactorWad : null;
      return;
    }
    const end = endOfBlock.get(key);
    l.healthFactorAfterWad = end?.hasDebt ? end.healthFactorWad : null;
  });
}
