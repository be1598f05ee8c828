/**
 * A bigint mirror of `contracts/libraries/PerpMath.sol`: the perpetual venue's formulas with the same
 * names, the same order of operations and the same rounding, so the two agree to the wei (tests hold
 * them to it through `PerpMathHarness`). Every function is pure.
 *
 * Units: `size` has 18 decimals (linear: base coin; inverse: USD); prices are USD with 8 decimals
 * (`...E8`); notionals, margins and PnL are collateral-token units (native decimals, `unit` =
 * 10^decimals); rates WAD. PnL and margins are signed bigints (int256 on-chain). Every rounding goes
 * against the trader. A linear long and an inverse short "gain with notional": their PnL is
 * notional - basis; the other two's is basis - notional.
 */
import { MAX_UINT256, WAD, mulDivDown, mulDivUp, wDivDown, wDivUp, wMulDown } from "./MathLib";

/** The contract's `MarketKind`: 0 linear (USD-margined), 1 inverse (coin-margined). */
export enum MarketKind {
  Linear = 0,
  Inverse = 1,
}

/** Size scale (1e18) times the price scale (1e8). */
export const SIZE_PRICE_SCALE = 10n ** 26n;
/** 1e18 size scale / 1e8 price scale: inverse notional = size * unit / (price * 1e10). */
export const INVERSE_SCALE = 10n ** 10n;

/** Whether the trader's PnL rises with the notional: linear long, inverse short. */
export function gainsWithNotional(kind: MarketKind, isLong: boolean): boolean {
  return isLong === (kind === MarketKind.Linear);
}

/** Linear: size * priceE8 * unit / 1e26; inverse: floor(floor(size * unit / priceE8) / 1e10). */
export function notionalDown(kind: MarketKind, size: bigint, priceE8: bigint, unit: bigint): bigint {
  if (kind === MarketKind.Linear) return mulDivDown(size, priceE8 * unit, SIZE_PRICE_SCALE);
  return mulDivDown(size, unit, priceE8) / INVERSE_SCALE;
}

/** As `notionalDown`, rounded up. */
export function notionalUp(kind: MarketKind, size: bigint, priceE8: bigint, unit: bigint): bigint {
  if (kind === MarketKind.Linear) return mulDivUp(size, priceE8 * unit, SIZE_PRICE_SCALE);
  return mulDivUp(mulDivUp(size, unit, priceE8), 1n, INVERSE_SCALE);
}

/** The cost basis an opening trade adds: notional at the execution price, up where PnL = notional - basis. */
export function openNotional(kind: MarketKind, isLong: boolean, size: bigint, priceE8: bigint, unit: bigint): bigint {
  return gainsWithNotional(kind, isLong) ? notionalUp(kind, size, priceE8, unit) : notionalDown(kind, size, priceE8, unit);
}

/** PnL at `priceE8`: notionalDown - basis (gains with notional) or basis - notionalUp. */
export function pnl(kind: MarketKind, isLong: boolean, size: bigint, openNotional_: bigint, priceE8: bigint, unit: bigint): bigint {
  if (gainsWithNotional(kind, isLong)) return notionalDown(kind, size, priceE8, unit) - openNotional_;
  return openNotional_ - notionalUp(kind, size, priceE8, unit);
}

/** Cost basis of `part` of a position of `size`: basis * part / size, up where PnL = notional - basis. */
export function closedNotional(kind: MarketKind, isLong: boolean, openNotional_: bigint, part: bigint, size: bigint): bigint {
  if (part === size) return openNotional_;
  return gainsWithNotional(kind, isLong) ? mulDivUp(openNotional_, part, size) : mulDivDown(openNotional_, part, size);
}

/** A buy pays markE8 * (1 + spread) rounded up; a sell receives markE8 * (1 - spread) rounded down. */
export function execPriceE8(markE8: bigint, spreadWad: bigint, isBuy: boolean): bigint {
  return isBuy ? mulDivUp(markE8, WAD + spreadWad, WAD) : mulDivDown(markE8, WAD - spreadWad, WAD);
}

/** fee = notional * feeWad, rounded up. */
export function feeUp(notional: bigint, feeWad: bigint): bigint {
  return mulDivUp(notional, feeWad, WAD);
}

/** Initial margin = notional / maxLeverage, rounded up. */
export function initialMarginUp(notional: bigint, maxLeverageWad: bigint): bigint {
  return wDivUp(notional, maxLeverageWad);
}

/** Maintenance margin = notional * mmr, rounded up. */
export function maintenanceMarginUp(notional: bigint, mmrWad: bigint): bigint {
  return mulDivUp(notional, mmrWad, WAD);
}

/** maintenance / equity rounded up; MAX_UINT256 when equity <= 0. Liquidatable above WAD. */
export function marginRatioWad(equity: bigint, maintenanceMargin: bigint): bigint {
  if (equity <= 0n) return MAX_UINT256;
  return wDivUp(maintenanceMargin, equity);
}

/** The price whose notional for `size` is `notional`; MAX_UINT256 for an inverse notional of 0. */
export function priceAtNotionalE8(kind: MarketKind, size: bigint, notional: bigint, unit: bigint, roundUp: boolean): bigint {
  if (kind === MarketKind.Linear) {
    return roundUp ? mulDivUp(notional, SIZE_PRICE_SCALE, size * unit) : mulDivDown(notional, SIZE_PRICE_SCALE, size * unit);
  }
  if (notional === 0n) return MAX_UINT256;
  return roundUp ? mulDivUp(size, unit, notional * INVERSE_SCALE) : mulDivDown(size, unit, notional * INVERSE_SCALE);
}

/** Notional at which margin + PnL = 0: basis - margin (gains with notional) or basis + margin. */
function bankruptNotional(kind: MarketKind, isLong: boolean, openNotional_: bigint, margin: bigint): bigint {
  return gainsWithNotional(kind, isLong) ? openNotional_ - margin : openNotional_ + margin;
}

/** A target notional <= 0 has no price: linear 0, inverse MAX_UINT256; else priceAtNotionalE8 (up for a long). */
function priceAtSignedNotional(kind: MarketKind, isLong: boolean, size: bigint, notional: bigint, unit: bigint): bigint {
  if (notional <= 0n) return kind === MarketKind.Linear ? 0n : MAX_UINT256;
  return priceAtNotionalE8(kind, size, notional, unit, isLong);
}

/**
 * Price at which margin + PnL = 0; `margin` is the isolated margin or the cross group's equity
 * without this position's PnL. Rounded up for a long, down for a short.
 */
export function bankruptcyPriceE8(kind: MarketKind, isLong: boolean, size: bigint, openNotional_: bigint, margin: bigint, unit: bigint): bigint {
  return priceAtSignedNotional(kind, isLong, size, bankruptNotional(kind, isLong, openNotional_, margin), unit);
}

/**
 * Price at which margin + PnL = notional(p) * mmr: notional = (basis - margin) / (1 - mmr) (gains with
 * notional) or (basis + margin) / (1 + mmr), rounded toward the higher notional for a linear long and
 * an inverse short; then up for a long, down for a short.
 */
export function liquidationPriceE8(
  kind: MarketKind,
  isLong: boolean,
  size: bigint,
  openNotional_: bigint,
  margin: bigint,
  mmrWad: bigint,
  unit: bigint,
): bigint {
  let n = bankruptNotional(kind, isLong, openNotional_, margin);
  if (n > 0n) {
    const denominator = gainsWithNotional(kind, isLong) ? WAD - mmrWad : WAD + mmrWad;
    n = (kind === MarketKind.Linear) === isLong ? mulDivUp(n, WAD, denominator) : mulDivDown(n, WAD, denominator);
  }
  return priceAtSignedNotional(kind, isLong, size, n, unit);
}

/**
 * ADL rank (BitMEX): wMulDown(wDivDown(pnl, basis), wDivDown(notional, equity)); 0 for pnl <= 0,
 * MAX_UINT256 for a profit with equity <= 0 or a zero basis.
 */
export function adlRankWad(pnl_: bigint, openNotional_: bigint, notional: bigint, equity: bigint): bigint {
  if (pnl_ <= 0n) return 0n;
  if (equity <= 0n || openNotional_ === 0n) return MAX_UINT256;
  return wMulDown(wDivDown(pnl_, openNotional_), wDivDown(notional, equity));
}
