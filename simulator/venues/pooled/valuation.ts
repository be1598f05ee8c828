/**
 * A pooled protocol's positions valued at the end of a block: one per borrower across the pool's
 * reserves, its account data at oracle prices (the view's, what the pool acts on) and at market prices
 * (the same reserves repriced, interest accrued to the block's timestamp with the TypeScript mirror).
 */
import { WAD, userAccountDataIfPriced, type UserShares } from "../../math";
import { latentAtMarket, positionKey, type PooledProtocolView, type PositionRevaluation, type PositionValues, type ProtocolView } from "../../state";
import type { ValuationContext } from "../types";

/** A pooled position as of its block: the pool's reserves then, the borrower's shares and the block's timestamp. */
class PooledRevaluation implements PositionRevaluation {
  constructor(
    private readonly view: PooledProtocolView,
    private readonly shares: UserShares,
    private readonly timestamp: bigint,
  ) {}

  healthAtMarket(prices: (symbol: string) => bigint): bigint | null {
    const data = userAccountDataIfPriced(this.view.reserves.map((reserve, i) => ({ ...reserve, priceE8: prices(this.view.assets[i] ?? "") })), this.shares, this.timestamp);
    return data !== undefined && data.totalDebtUsd > 0n ? data.healthFactor : null;
  }

  liquidatableWith(price: (feed: string, answer: bigint) => bigint): boolean {
    const data = userAccountDataIfPriced(this.repriced(price), this.shares, this.timestamp);
    return data !== undefined && data.totalDebtUsd > 0n && data.healthFactor < WAD;
  }

  healthWith(price: (feed: string, answer: bigint) => bigint, timestamp: bigint): bigint | null {
    const data = userAccountDataIfPriced(this.repriced(price), this.shares, timestamp);
    return data !== undefined && data.totalDebtUsd > 0n ? data.healthFactor : null;
  }

  /** The reserves with each one's feed price replaced by `price(feed, its answer)`. */
  private repriced(price: (feed: string, answer: bigint) => bigint) {
    return this.view.reserves.map((reserve, i) => ({ ...reserve, priceE8: price(this.view.feeds[i] ?? "", reserve.priceE8) }));
  }
}

/**
 * The feeds a position with these shares depends on: a supplied reserve's feed hurts it by falling, a
 * borrowed one's by rising. Positions with the same reserves supplied and borrowed share one list (`lists`).
 */
function feedsOf(view: PooledProtocolView, shares: UserShares, lists: Map<string, PositionValues["feeds"]>): PositionValues["feeds"] {
  let pattern = "";
  for (let i = 0; i < view.reserves.length; i++) pattern += `${(shares.supplyShares[i] ?? 0n) > 0n ? 1 : 0}${(shares.borrowShares[i] ?? 0n) > 0n ? 1 : 0}`;
  let feeds = lists.get(pattern);
  if (!feeds) {
    feeds = [];
    for (let i = 0; i < view.reserves.length; i++) {
      const feed = view.feeds[i] ?? "";
      if ((shares.supplyShares[i] ?? 0n) > 0n) feeds.push({ feed, adverse: 1 });
      if ((shares.borrowShares[i] ?? 0n) > 0n) feeds.push({ feed, adverse: -1 });
    }
    lists.set(pattern, feeds);
  }
  return feeds;
}

export function pooledValuation(context: ValuationContext, view: ProtocolView): PositionValues[] {
  if (view.kind !== "pooled") return [];
  const { name, usd, timestamp } = context;
  const atMarket = view.reserves.map((r, i) => ({ ...r, priceE8: context.market(view.assets[i] ?? "") }));
  const out: PositionValues[] = [];
  const feedLists = new Map<string, PositionValues["feeds"]>();
  for (const [borrower, shares] of view.users) {
    const oracle = view.accounts.get(borrower);
    const atM = userAccountDataIfPriced(atMarket, shares, timestamp);
    const hasDebt = atM !== undefined && atM.totalDebtUsd > 0n;
    const debt = atM ? usd.e8(atM.totalDebtUsd) : 0n;
    const collateral = atM ? usd.e8(atM.totalCollateralUsd) : 0n;
    out.push({
      key: positionKey(name, borrower),
      protocol: name,
      borrower,
      market: null,
      liquidatable: oracle !== undefined && oracle.totalDebtUsd > 0n && oracle.healthFactor < WAD,
      underwaterAtMarket: hasDebt && atM !== undefined && atM.healthFactor < WAD,
      hasDebt,
      debtScaled: debt,
      collateralScaled: collateral,
      latentOracleScaled: hasDebt && oracle && oracle.totalDebtUsd > oracle.totalCollateralUsd ? usd.e8(oracle.totalDebtUsd - oracle.totalCollateralUsd) : 0n,
      latentMarketScaled: latentAtMarket(debt, collateral),
      healthFactorWad: oracle?.healthFactor ?? 0n,
      marketHealthFactorWad: hasDebt && atM !== undefined ? atM.healthFactor : null,
      feeds: feedsOf(view, shares, feedLists),
      revaluation: new PooledRevaluation(view, shares, timestamp),
    });
  }
  return out;
}
