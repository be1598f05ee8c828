/**
 * The one bigint mirror of `PerpExchange`'s account health (`_health`, `_figures`, `_crossHealth`,
 * `_isolatedHealth`, `_tier`, `_partialSize`, `_partialRestores`), built on the `PerpMath` mirror
 * with the contract's order of operations and rounding, so a keeper plans, the observer values and
 * `--check` compares on the figures the contract computes. Pure functions over plain data; to value
 * at other prices than the feeds', pass markets with those prices as their marks.
 *
 * Units as in PerpMath: `size` 18 decimals; prices USD E8; margins, notionals, PnL and fees in
 * collateral-token units (`unit` = 10^decimals), signed where they can be negative; rates WAD.
 */
import { WAD, mulDivDown, mulDivUp } from "./MathLib";
import { type MarketKind, closedNotional, execPriceE8, feeUp, initialMarginUp, maintenanceMarginUp, notionalDown, notionalUp, pnl } from "./PerpMath";

/** A row of a market's leverage and margin tiers (`maxNotional` in collateral units). */
export interface Tier {
  maxNotional: bigint;
  maxLeverageWad: bigint;
  mmrWad: bigint;
}

/** What the health of a market's positions depends on. */
export interface MarketModel {
  kind: MarketKind;
  /** The feed's answer, USD E8; 0 when it cannot be read (the contract reverts on every read of it). */
  markPriceE8: bigint;
  liquidationSpreadWad: bigint;
  liquidationFeeWad: bigint;
  tiers: readonly Tier[];
}

/** The contract's `PerpPosition`. */
export interface Position {
  size: bigint;
  openNotional: bigint;
  isolatedMargin: bigint;
  isLong: boolean;
  isolated: boolean;
}

/** An account: its balance (the cross margin; negative when it owes) and its positions by market id. */
export interface AccountModel {
  balance: bigint;
  positions: ReadonlyMap<bigint, Position>;
}

/** The health of a margin group (the contract's `Health`). */
export interface Health {
  equity: bigint;
  initialMargin: bigint;
  maintenanceMargin: bigint;
}

/** `markets[id]` is market `id`; `unit` is the collateral's. */
export interface ExchangeModel {
  markets: readonly MarketModel[];
  unit: bigint;
}

/** The first tier whose cap is at least `notional`. */
export function tierOf(market: MarketModel, notional: bigint): Tier {
  const tier = market.tiers.find((t) => t.maxNotional >= notional);
  if (!tier) throw new Error("internal: a perp market's last tier must have no cap");
  return tier;
}

/** PnL at mark and the margins of the tier of notionalUp(size, mark); undefined when the mark cannot be read. */
export function figures(market: MarketModel, p: Position, unit: bigint): { pnl: bigint; im: bigint; mm: bigint } | undefined {
  if (p.size === 0n) return { pnl: 0n, im: 0n, mm: 0n };
  if (market.markPriceE8 === 0n) return undefined;
  const notional = notionalUp(market.kind, p.size, market.markPriceE8, unit);
  const tier = tierOf(market, notional);
  return {
    pnl: pnl(market.kind, p.isLong, p.size, p.openNotional, market.markPriceE8, unit),
    im: initialMarginUp(notional, tier.maxLeverageWad),
    mm: maintenanceMarginUp(notional, tier.mmrWad),
  };
}

/** Maintenance margin of `size` at mark (`_maintenance`). */
function maintenanceOf(market: MarketModel, size: bigint, unit: bigint): bigint {
  const notional = notionalUp(market.kind, size, market.markPriceE8, unit);
  return maintenanceMarginUp(notional, tierOf(market, notional).mmrWad);
}

/**
 * The health of the group holding the account's position in `marketId`: isolated margin + PnL, or
 * balance + Σ PnL of the cross positions with their summed margins. Undefined when a mark it needs
 * cannot be read (the contract reverts).
 */
export function health(exchange: ExchangeModel, account: AccountModel, marketId: bigint): Health | undefined {
  const p = account.positions.get(marketId);
  const market = exchange.markets[Number(marketId)];
  if (!market) return undefined;
  if (p?.isolated) {
    const f = figures(market, p, exchange.unit);
    return f && { equity: p.isolatedMargin + f.pnl, initialMargin: f.im, maintenanceMargin: f.mm };
  }
  const h: Health = { equity: account.balance, initialMargin: 0n, maintenanceMargin: 0n };
  for (const [id, q] of account.positions) {
    if (q.size === 0n || q.isolated) continue;
    const m = exchange.markets[Number(id)];
    const f = m && figures(m, q, exchange.unit);
    if (!f) return undefined;
    h.equity += f.pnl;
    h.initialMargin += f.im;
    h.maintenanceMargin += f.mm;
  }
  return h;
}

/** Liquidatable iff equity < maintenance margin. */
export function liquidatable(h: Health): boolean {
  return h.equity < h.maintenanceMargin;
}

/**
 * The group's health factor as a lending position's reads: equity / maintenance margin, WAD, rounded
 * down (the inverse of the contract's `marginRatioWad`); 0 when equity <= 0 or there is no margin.
 */
export function healthFactorWad(h: Health): bigint {
  if (h.equity <= 0n || h.maintenanceMargin === 0n) return 0n;
  return mulDivDown(h.equity, WAD, h.maintenanceMargin);
}

/** The margin a close's PnL and fee move: the isolated margin, or the balance. */
function marginOf(account: AccountModel, p: Position): bigint {
  return p.isolated ? p.isolatedMargin : account.balance;
}

/** Whether closing `size` leaves the margin >= 0 and equity >= maintenance margin (`_partialRestores`). */
function partialRestores(exchange: ExchangeModel, market: MarketModel, account: AccountModel, p: Position, h: Health, size: bigint): boolean {
  const { kind, markPriceE8 } = market;
  const { unit } = exchange;
  const priceE8 = execPriceE8(markPriceE8, market.liquidationSpreadWad, !p.isLong);
  const basis = closedNotional(kind, p.isLong, p.openNotional, size, p.size);
  let change = pnl(kind, p.isLong, size, basis, priceE8, unit) - feeUp(notionalDown(kind, size, priceE8, unit), market.liquidationFeeWad);
  if (marginOf(account, p) + change < 0n) return false;
  change -= pnl(kind, p.isLong, size, basis, markPriceE8, unit);
  const maintenanceAfter = h.maintenanceMargin - maintenanceOf(market, p.size, unit) + maintenanceOf(market, p.size - size, unit);
  return h.equity + change >= maintenanceAfter;
}

/**
 * The smallest partial close that restores the group (`_partialSize`): size · ceil(ceil((maintenance −
 * equity) / (mmr − liquidationSpread − liquidationFee)) / notional), rounded up; 0 for a full liquidation.
 */
export function partialSize(exchange: ExchangeModel, market: MarketModel, account: AccountModel, p: Position, h: Health): bigint {
  const notional = notionalUp(market.kind, p.size, market.markPriceE8, exchange.unit);
  const { mmrWad } = tierOf(market, notional);
  const costWad = market.liquidationSpreadWad + market.liquidationFeeWad;
  if (mmrWad <= costWad) return 0n;
  const deficit = h.maintenanceMargin - h.equity;
  const size = mulDivUp(p.size, mulDivUp(deficit, WAD, mmrWad - costWad), notional);
  if (size >= p.size || !partialRestores(exchange, market, account, p, h, size)) return 0n;
  return size;
}
