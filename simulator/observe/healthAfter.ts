/**
 * A liquidation's `healthFactorAfterWad`: the position's health factor at oracle prices right after it.
 * Within a block only the pool's events say it exactly (each `LiquidationCall` carries the health factor
 * it started from), so a liquidation followed by another of the same position in the block takes that
 * one's figure in a pooled protocol and none in an isolated market; the last of a block takes the
 * position's health at the block's end, none when it was left without debt.
 */
import type { LiquidationRecord } from "./types";

/** The end-of-block state of a position the liquidation names (by `positionKey`). */
export interface EndOfBlockHealth {
  hasDebt: boolean;
  /** At oracle prices, WAD. */
  healthFactorWad: bigint;
}

/** Sets `healthFactorAfterWad` on `liquidations` (one block's, in log order). */
export function setHealthAfter(
  liquidations: LiquidationRecord[],
  keyOf: (l: LiquidationRecord) => string,
  endOfBlock: ReadonlyMap<string, EndOfBlockHealth>,
): void {
  liquidations.forEach((l, i) => {
    const key = keyOf(l);
    const next = liquidations.slice(i + 1).find((later) => keyOf(later) === key);
    if (next !== undefined) {
      l.healthFactorAfterWad = next.market === null ? next.healthFactorWad : null;
      return;
    }
    const end = endOfBlock.get(key);
    l.healthFactorAfterWad = end?.hasDebt ? end.healthFactorWad : null;
  });
}
