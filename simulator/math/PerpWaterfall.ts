/**
 * A bigint mirror of what `PerpExchange.liquidate` does after its closes: the fees' credits and
 * `_settleShortfall` with its last resorts (`_deleverage`, `_deleverageSize`, `_deleverageOne`,
 * `_socialize`) and `_releaseIsolated`. The shortfall a full liquidation leaves is paid by the insurance
 * fund, then (with negative balance protection) taken from the listed winners, then left to the vault
 * as bad debt. A keeper that sends several liquidations in one block applies each to an
 * `ExchangeState`, so a later call's candidate list is ranked on what the chain holds when it runs.
 *
 * Units as in PerpMath and PerpHealth (size 18 decimals, prices USD E8, amounts in collateral units).
 * The caller is not the liquidated account (the contract credits the caller's balance between closes).
 */
import type { Address } from "viem";
import { mulDivDown, mulDivUp } from "./MathLib";
import type { AccountModel, ExchangeModel, MarketModel, Position } from "./PerpHealth";
import type { LiquidationPreview } from "./PerpLiquidation";
import { closedNotional, gainsWithNotional, pnl } from "./PerpMath";

/** What a waterfall moves: the accounts (replaced, never mutated in place) and the insurance fund. */
export interface ExchangeState {
  accounts: Map<Address, AccountModel>;
  insuranceFund: bigint;
}

/** The exchange's immutable waterfall settings (a `PerpProtocolView` has them). */
export interface WaterfallSettings {
  negativeBalanceProtection: boolean;
  lastResort: "none" | "adl" | "socialize";
}

/** The contract's `WaterfallReport` (the `Waterfall` event), collateral units. */
export interface WaterfallReport {
  shortfall: bigint;
  insurancePaid: bigint;
  recovered: bigint;
  badDebt: bigint;
  owed: bigint;
}

/** What `_settleShortfall` did: its `Waterfall` report and the winners' `Deleverage` closes or haircuts. */
export interface Settlement {
  report: WaterfallReport;
  deleverages: DeleverageClose[];
  haircuts: Haircut[];
}

/** One winner's socialized loss: its cost basis moved by `haircut` (collateral units). */
export interface Haircut {
  account: Address;
  haircut: bigint;
}

type MutableAccount = { balance: bigint; positions: Map<bigint, Position> };

/** A copy of `address`'s account, put in `state` in its place, with its own copy of the position in `marketId`. */
function own(state: ExchangeState, address: Address, marketId: bigint): { account: MutableAccount; p: Position } {
  const before = state.accounts.get(address);
  const account: MutableAccount = { balance: before?.balance ?? 0n, positions: new Map(before?.positions ?? []) };
  const old = account.positions.get(marketId);
  if (!old) throw new Error(`internal: ${address} has no position in perp market ${marketId}`);
  const p = { ...old };
  account.positions.set(marketId, p);
  state.accounts.set(address, account);
  return { account, p };
}

/** `_addMargin`: to the isolated margin, or to the balance in cross mode. */
function addMargin(account: MutableAccount, p: Position, amount: bigint): void {
  if (p.isolated) p.isolatedMargin += amount;
  else account.balance += amount;
}

/** `_releaseIsolated`: a closed isolated position's margin returns to the balance. */
function releaseIsolated(account: MutableAccount, p: Position): void {
  if (p.size !== 0n || p.isolatedMargin === 0n) return;
  account.balance += p.isolatedMargin;
  p.isolatedMargin = 0n;
}

/**
 * Whether the liquidation previewed draws on the last resort, and so verifies a candidate list: its
 * shortfall exceeds the insurance fund after its own insurance fees, with protection and a last resort.
 */
export function reachesLastResort(settings: WaterfallSettings, state: ExchangeState, preview: LiquidationPreview): boolean {
  const fund = state.insuranceFund + preview.insuranceFee;
  return preview.shortfall > fund && settings.negativeBalanceProtection && settings.lastResort !== "none";
}

/**
 * Applies `liquidate(account, preview's market, candidates)` as `preview` (from `previewLiquidation`
 * on `state`) foresaw it, sent by `keeper`: the closes and fees, then the waterfall of a full one.
 * `candidates` must be the list the contract verifies (`adlCandidates`) when `reachesLastResort`.
 * Returns the settlement, or undefined when the call emits no `Waterfall` (partial, or no shortfall).
 */
export function applyLiquidation(
  exchange: ExchangeModel,
  settings: WaterfallSettings,
  state: ExchangeState,
  account: Address,
  preview: LiquidationPreview,
  candidates: readonly Address[],
  keeper: Address,
): Settlement | undefined {
  state.accounts.set(account, preview.after);
  const keeperAccount = state.accounts.get(keeper);
  state.accounts.set(keeper, { balance: (keeperAccount?.balance ?? 0n) + preview.keeperFee, positions: keeperAccount?.positions ?? new Map() });
  state.insuranceFund += preview.insuranceFee;
  const named = preview.closes[0];
  if (!preview.full || !named) return undefined;
  return settleShortfall(exchange, settings, state, account, named.marketId, !preview.isLong, named.bankruptcyPriceE8, candidates);
}

/**
 * `_settleShortfall` after a full liquidation of `account`'s position in `marketId`: a negative margin
 * is the shortfall; with protection it is floored at 0 and paid by the fund, then the last resort on
 * side `oppositeIsLong`, the rest is bad debt; without, it stays owed (an isolated one moves to the balance).
 */
export function settleShortfall(
  exchange: ExchangeModel,
  settings: WaterfallSettings,
  state: ExchangeState,
  account: Address,
  marketId: bigint,
  oppositeIsLong: boolean,
  bankruptcyE8: bigint,
  candidates: readonly Address[],
): Settlement | undefined {
  const { account: a, p } = own(state, account, marketId);
  const margin = p.isolated ? p.isolatedMargin : a.balance;
  if (margin >= 0n || (p.isolated && !settings.negativeBalanceProtection)) {
    releaseIsolated(a, p);
    if (margin >= 0n) return undefined;
  }
  const w: WaterfallReport = { shortfall: -margin, insurancePaid: 0n, recovered: 0n, badDebt: 0n, owed: 0n };
  const settlement: Settlement = { report: w, deleverages: [], haircuts: [] };
  if (!settings.negativeBalanceProtection) {
    w.owed = w.shortfall;
    return settlement;
  }
  addMargin(a, p, -margin);
  w.insurancePaid = w.shortfall < state.insuranceFund ? w.shortfall : state.insuranceFund;
  state.insuranceFund -= w.insurancePaid;
  const rest = w.shortfall - w.insurancePaid;
  if (rest !== 0n && settings.lastResort === "adl") {
    const { recovered, closes } = deleverage(exchange, state, marketId, oppositeIsLong, bankruptcyE8, rest, candidates);
    w.recovered = recovered;
    settlement.deleverages = closes;
  } else if (rest !== 0n && settings.lastResort === "socialize") {
    const { recovered, haircuts } = socialize(exchange, state, marketId, rest, candidates);
    w.recovered = recovered;
    settlement.haircuts = haircuts;
  }
  w.badDebt = rest - w.recovered;
  return settlement;
}

/** One `Deleverage` event. */
export interface DeleverageClose {
  account: Address;
  size: bigint;
  priceE8: bigint;
  /** What the close realized, floored at 0 (a loss at the bankruptcy price is waived). */
  realizedPnl: bigint;
  pnlGivenUp: bigint;
}

/**
 * `_deleverage`: closes the listed positions (on side `side`, verified and ranked), in order, at the
 * bankruptcy price until the PnL they give up against mark covers `deficit`. `recovered` ≤ `deficit`.
 */
export function deleverage(
  exchange: ExchangeModel,
  state: ExchangeState,
  marketId: bigint,
  side: boolean,
  bankruptcyE8: bigint,
  deficit: bigint,
  candidates: readonly Address[],
): { recovered: bigint; closes: DeleverageClose[] } {
  const market = marketOf(exchange, marketId);
  const closes: DeleverageClose[] = [];
  let recovered = 0n;
  for (let i = 0; i < candidates.length && recovered < deficit; ++i) {
    const account = candidates[i] as Address;
    const close = deleverageOne(exchange, market, state, marketId, account, side, deficit - recovered, bankruptcyE8);
    if (!close) continue;
    closes.push(close);
    recovered += close.pnlGivenUp < deficit - recovered ? close.pnlGivenUp : deficit - recovered;
  }
  return { recovered, closes };
}

/**
 * `_deleverageSize`: all of the position when the PnL it gives up, pnlAtMark − max(pnlAtPrice, 0), is at
 * most `remaining`, else ceil(size × remaining / givenUp); 0 when nothing is given up.
 */
export function deleverageSize(market: MarketModel, p: Position, remaining: bigint, priceE8: bigint, unit: bigint): bigint {
  const pnlAtMark = pnl(market.kind, p.isLong, p.size, p.openNotional, market.markPriceE8, unit);
  let pnlAtPrice = pnl(market.kind, p.isLong, p.size, p.openNotional, priceE8, unit);
  if (pnlAtPrice < 0n) pnlAtPrice = 0n;
  if (pnlAtMark <= pnlAtPrice) return 0n;
  const givenUp = pnlAtMark - pnlAtPrice;
  return givenUp <= remaining ? p.size : mulDivUp(p.size, remaining, givenUp);
}

/** `_deleverageOne`: one ADL close at `priceE8`; undefined when it closes nothing. */
function deleverageOne(
  exchange: ExchangeModel,
  market: MarketModel,
  state: ExchangeState,
  marketId: bigint,
  account: Address,
  side: boolean,
  remaining: bigint,
  priceE8: bigint,
): DeleverageClose | undefined {
  const listed = state.accounts.get(account)?.positions.get(marketId);
  if (!listed || listed.size === 0n || listed.isLong !== side) throw new Error(`internal: ${account} is not on the ${side ? "long" : "short"} side of perp market ${marketId}`);
  const size = deleverageSize(market, listed, remaining, priceE8, exchange.unit);
  if (size === 0n) return undefined;
  const { account: a, p } = own(state, account, marketId);
  const basis = closedNotional(market.kind, p.isLong, p.openNotional, size, p.size);
  const pnlAtMark = pnl(market.kind, p.isLong, size, basis, market.markPriceE8, exchange.unit);
  let realizedPnl = pnl(market.kind, p.isLong, size, basis, priceE8, exchange.unit);
  p.size -= size;
  p.openNotional -= basis;
  if (realizedPnl < 0n) realizedPnl = 0n;
  const pnlGivenUp = pnlAtMark > realizedPnl ? pnlAtMark - realizedPnl : 0n;
  addMargin(a, p, realizedPnl);
  releaseIsolated(a, p);
  return { account, size, priceE8, realizedPnl, pnlGivenUp };
}

/**
 * `_socialize`: each listed winner's haircut is deficit × pnl / Σ positive pnl, rounded down (its whole
 * profit when the deficit exceeds the sum), taken from its cost basis. Returns Σ haircuts.
 */
export function socialize(
  exchange: ExchangeModel,
  state: ExchangeState,
  marketId: bigint,
  deficit: bigint,
  candidates: readonly Address[],
): { recovered: bigint; haircuts: Haircut[] } {
  const market = marketOf(exchange, marketId);
  const profits = candidates.map((account) => {
    const p = state.accounts.get(account)?.positions.get(marketId);
    if (!p) throw new Error(`internal: ${account} has no position in perp market ${marketId}`);
    const profit = pnl(market.kind, p.isLong, p.size, p.openNotional, market.markPriceE8, exchange.unit);
    return profit > 0n ? profit : 0n;
  });
  const totalProfit = profits.reduce((s, x) => s + x, 0n);
  const haircuts: Haircut[] = [];
  let recovered = 0n;
  candidates.forEach((account, i) => {
    const profit = profits[i] ?? 0n;
    if (profit === 0n) return;
    const haircut = deficit >= totalProfit ? profit : mulDivDown(deficit, profit, totalProfit);
    const { p } = own(state, account, marketId);
    // PnL = notional − basis (raise the basis) or basis − notional (lower it).
    p.openNotional += gainsWithNotional(market.kind, p.isLong) ? haircut : -haircut;
    recovered += haircut;
    haircuts.push({ account, haircut });
  });
  return { recovered, haircuts };
}

function marketOf(exchange: ExchangeModel, marketId: bigint): MarketModel {
  const market = exchange.markets[Number(marketId)];
  if (!market) throw new Error(`internal: no perp market ${marketId}`);
  return market;
}
