/**
 * A bigint mirror of `PerpExchange.liquidate` up to its waterfall (`_partialSize`, `_liquidateOne`,
 * the shortfall `_settleShortfall` starts from) and of the ADL candidate list the contract verifies
 * (`_verifyCandidates`, `_adlRank`): what a keeper expects a call to close, earn and leave unpaid.
 * Units as in PerpMath and PerpHealth.
 */
import type { Address } from "viem";
import { wMulDown } from "./MathLib";
import { type AccountModel, type ExchangeModel, type Health, type Position, health, liquidatable, partialSize } from "./PerpHealth";
import { adlRankWad, bankruptcyPriceE8, closedNotional, execPriceE8, feeUp, notionalDown, pnl } from "./PerpMath";

/** One `Liquidate` event the call will emit. */
export interface LiquidationClose {
  marketId: bigint;
  size: bigint;
  /** Mark ∓ the liquidation spread, USD E8. */
  priceE8: bigint;
  /** Notional closed at `priceE8` (rounded down). */
  notional: bigint;
  bankruptcyPriceE8: bigint;
  realizedPnl: bigint;
  /** feeUp(notional, liquidationFee), capped at the margin left; the keeper's share rounded down. */
  fee: bigint;
  keeperFee: bigint;
}

export interface LiquidationPreview {
  full: boolean;
  closes: LiquidationClose[];
  /** Σ keeper fees of the closes: what the keeper's balance gains. */
  keeperFee: bigint;
  /** Σ insurance fees (fee − keeper fee). */
  insuranceFee: bigint;
  /** After a full liquidation, the margin below 0 (what the waterfall settles); 0 otherwise. */
  shortfall: bigint;
  /** The liquidated position's side in the named market (the waterfall draws on the opposite side). */
  isLong: boolean;
  /** The account after the closes and fees, before the waterfall (which floors a negative margin at 0 with protection). */
  after: AccountModel;
}

/** `_liquidateOne` on `account` (mutated): closes `size` of its position in `marketId`. */
function liquidateOne(exchange: ExchangeModel, account: AccountModel & { positions: Map<bigint, Position> }, marketId: bigint, size: bigint, groupEquity: bigint, keeperShareWad: bigint): LiquidationClose {
  const market = exchange.markets[Number(marketId)];
  const p = account.positions.get(marketId);
  if (!market || !p) throw new Error("internal: no position to liquidate");
  const { kind, markPriceE8 } = market;
  const { unit } = exchange;
  const priceE8 = execPriceE8(markPriceE8, market.liquidationSpreadWad, !p.isLong);
  const margin = p.isolated ? p.isolatedMargin : groupEquity - pnl(kind, p.isLong, p.size, p.openNotional, markPriceE8, unit);
  const bankruptcy = bankruptcyPriceE8(kind, p.isLong, p.size, p.openNotional, margin, unit);
  const notional = notionalDown(kind, size, priceE8, unit);
  const basis = closedNotional(kind, p.isLong, p.openNotional, size, p.size);
  const realizedPnl = pnl(kind, p.isLong, size, basis, priceE8, unit);
  const after: Position = { ...p, size: p.size - size, openNotional: p.openNotional - basis };
  const addMargin = (amount: bigint) => {
    if (after.isolated) after.isolatedMargin += amount;
    else account.balance += amount;
  };
  addMargin(realizedPnl);
  const left = after.isolated ? after.isolatedMargin : account.balance;
  const full = feeUp(notional, market.liquidationFeeWad);
  const fee = left > 0n ? (full < left ? full : left) : 0n;
  addMargin(-fee);
  account.positions.set(marketId, after);
  return { marketId, size, priceE8, notional, bankruptcyPriceE8: bankruptcy, realizedPnl, fee, keeperFee: wMulDown(fee, keeperShareWad) };
}

/**
 * What `liquidate(account, marketId, …)` will do at the marks of `exchange`: undefined when the group
 * is healthy or a mark cannot be read. A full liquidation of a cross account closes every cross position.
 */
export function previewLiquidation(exchange: ExchangeModel, account: AccountModel, marketId: bigint, keeperShareWad: bigint): LiquidationPreview | undefined {
  const p = account.positions.get(marketId);
  const market = exchange.markets[Number(marketId)];
  if (!p || p.size === 0n || !market) return undefined;
  const h = health(exchange, account, marketId);
  if (!h || !liquidatable(h)) return undefined;
  const copy = { balance: account.balance, positions: new Map(account.positions) };
  const preview = (full: boolean, closes: LiquidationClose[], shortfall: bigint): LiquidationPreview => ({
    full,
    closes,
    keeperFee: closes.reduce((s, c) => s + c.keeperFee, 0n),
    insuranceFee: closes.reduce((s, c) => s + c.fee - c.keeperFee, 0n),
    shortfall,
    isLong: p.isLong,
    after: copy,
  });
  const partial = partialSize(exchange, market, account, p, h);
  if (partial !== 0n) return preview(false, [liquidateOne(exchange, copy, marketId, partial, h.equity, keeperShareWad)], 0n);
  const closes = [liquidateOne(exchange, copy, marketId, p.size, h.equity, keeperShareWad)];
  if (!p.isolated) {
    for (const id of [...account.positions.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const q = account.positions.get(id);
      if (id !== marketId && q && q.size !== 0n && !q.isolated) closes.push(liquidateOne(exchange, copy, id, q.size, h.equity, keeperShareWad));
    }
  }
  const margin = p.isolated ? (copy.positions.get(marketId)?.isolatedMargin ?? 0n) : copy.balance;
  return preview(true, closes, margin < 0n ? -margin : 0n);
}

/** `_adlRank`: the BitMEX rank of `account`'s position in `marketId` (PnL% × effective leverage), WAD; undefined when unpriced. */
export function adlRank(exchange: ExchangeModel, account: AccountModel, marketId: bigint): bigint | undefined {
  const p = account.positions.get(marketId);
  const market = exchange.markets[Number(marketId)];
  const h: Health | undefined = health(exchange, account, marketId);
  if (!p || !market || !h) return undefined;
  const { kind, markPriceE8 } = market;
  const pnl_ = pnl(kind, p.isLong, p.size, p.openNotional, markPriceE8, exchange.unit);
  return adlRankWad(pnl_, p.openNotional, notionalDown(kind, p.size, markPriceE8, exchange.unit), h.equity);
}

/**
 * The candidate list `_verifyCandidates` accepts: every open position on side `isLong` of `marketId`,
 * by decreasing ADL rank, equal ranks by increasing address. Undefined when a rank cannot be priced.
 */
export function adlCandidates(exchange: ExchangeModel, accounts: ReadonlyMap<Address, AccountModel>, marketId: bigint, isLong: boolean): Address[] | undefined {
  const ranked: { account: Address; rank: bigint }[] = [];
  for (const [address, account] of accounts) {
    const p = account.positions.get(marketId);
    if (!p || p.size === 0n || p.isLong !== isLong) continue;
    const rank = adlRank(exchange, account, marketId);
    if (rank === undefined) return undefined;
    ranked.push({ account: address, rank });
  }
  ranked.sort((a, b) => (a.rank !== b.rank ? (b.rank > a.rank ? 1 : -1) : BigInt(a.account) < BigInt(b.account) ? -1 : 1));
  return ranked.map((r) => r.account);
}
