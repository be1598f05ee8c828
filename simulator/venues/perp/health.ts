/**
 * The exchange's health of a margin group, mirrored from `PerpExchange._health` with `PerpMath`: per
 * position, pnl at the mark and the margins of the tier of notionalUp(size, mark); an isolated group is
 * its position (equity = isolated margin + pnl), a cross group is every cross position of the account
 * (equity = balance + Σ pnl). Liquidatable iff equity < maintenance margin. Prices come from `priceOf`
 * (the mark, or another price to revalue at); a group with a position whose price is 0 has no health.
 */
import type { Address } from "viem";
import { PerpMath, WAD, mulDivDown } from "../../math";
import type { PerpMarketView, PerpPositionState, PerpProtocolView } from "../../state";

export interface PerpGroupHealth {
  equity: bigint;
  initialMargin: bigint;
  maintenanceMargin: bigint;
}

/** A market's price to value at: its mark, or a replacement; 0 when there is none. */
export type PerpPriceOf = (m: PerpMarketView) => bigint;

export const atMark: PerpPriceOf = (m) => m.markPriceE8;

/** PnL at `priceE8` and the initial and maintenance margins of the tier of notionalUp(size, price). */
export function positionFigures(m: PerpMarketView, p: PerpPositionState, priceE8: bigint, unit: bigint): { pnl: bigint; initialMargin: bigint; maintenanceMargin: bigint } {
  const pnl = PerpMath.pnl(m.kind, p.isLong, p.size, p.openNotional, priceE8, unit);
  const notional = PerpMath.notionalUp(m.kind, p.size, priceE8, unit);
  const tier = m.tiers.find((t) => t.maxNotional >= notional) ?? m.tiers[m.tiers.length - 1];
  if (!tier) throw new Error(`internal: perp market ${m.key} has no tiers`);
  return { pnl, initialMargin: PerpMath.initialMarginUp(notional, tier.maxLeverageWad), maintenanceMargin: PerpMath.maintenanceMarginUp(notional, tier.mmrWad) };
}

/** The health of the group holding `account`'s position in `market`; null when a price it needs is 0. */
export function groupHealth(view: PerpProtocolView, account: Address, market: PerpMarketView, priceOf: PerpPriceOf = atMark): PerpGroupHealth | null {
  const own = market.positions.get(account);
  if (!own) return null;
  if (own.isolated) {
    const price = priceOf(market);
    if (price <= 0n) return null;
    const f = positionFigures(market, own, price, view.collateralUnit);
    return { equity: own.isolatedMargin + f.pnl, initialMargin: f.initialMargin, maintenanceMargin: f.maintenanceMargin };
  }
  const h: PerpGroupHealth = { equity: view.balances.get(account) ?? 0n, initialMargin: 0n, maintenanceMargin: 0n };
  for (const m of view.markets) {
    const p = m.positions.get(account);
    if (!p || p.isolated || p.size === 0n) continue;
    const price = priceOf(m);
    if (price <= 0n) return null;
    const f = positionFigures(m, p, price, view.collateralUnit);
    h.equity += f.pnl;
    h.initialMargin += f.initialMargin;
    h.maintenanceMargin += f.maintenanceMargin;
  }
  return h;
}

/** Health factor of a group: equity / maintenance margin, WAD, rounded down; 0 when equity <= 0. */
export function perpHealthFactorWad(h: PerpGroupHealth): bigint {
  if (h.equity <= 0n || h.maintenanceMargin === 0n) return 0n;
  return mulDivDown(h.equity, WAD, h.maintenanceMargin);
}

export function isLiquidatable(h: PerpGroupHealth): boolean {
  return h.equity < h.maintenanceMargin;
}
