/**
 * Valuation of cross-margin accounts (one per borrower across a pool's reserves), shared by the venues
 * whose accounts have that shape (liqsim's pool, the real Aave V3.6): each account at oracle prices (the
 * view's, what the pool acts on) and at market prices (the same reserves repriced, interest accrued to
 * the block's timestamp by the venue's own model). The venue supplies how it values an account.
 */
import type { Address } from "viem";
import { WAD } from "../../math";
import { latentAtMarket, positionKey, type PositionRevaluation, type PositionValues } from "../../state";
import type { ValuationContext } from "../types";

/** An account's totals, USD E8, and its health factor (WAD, max uint256 without debt). */
export interface AccountValue {
  collateralUsd: bigint;
  debtUsd: bigint;
  healthFactor: bigint;
}

/** What the shared valuation needs of a venue's cross-margin view and model. */
export interface CrossMarginBook<R extends { priceE8: bigint }, P> {
  /** Asset symbols and feed names in reserve order. */
  assets: readonly string[];
  feeds: readonly string[];
  reserves: readonly R[];
  users: ReadonlyMap<Address, P>;
  /** The account at oracle prices as the view holds it; undefined when a price it needs cannot be read. */
  oracle(borrower: Address): AccountValue | undefined;
  /** The account on these reserves at `timestamp`; undefined when a price it needs is missing. */
  value(reserves: readonly R[], position: P, timestamp: bigint): AccountValue | undefined;
  /** Whether the position supplies (as collateral) and borrows reserve `i`. */
  uses(position: P, i: number): { supplied: boolean; borrowed: boolean };
}

class CrossMarginRevaluation<R extends { priceE8: bigint }, P> implements PositionRevaluation {
  /** Health is collateral value over debt: it only falls as a collateral feed falls or a debt feed rises. */
  readonly monotone = true;

  constructor(
    private readonly book: CrossMarginBook<R, P>,
    private readonly position: P,
    private readonly timestamp: bigint,
  ) {}

  healthAtMarket(prices: (symbol: string) => bigint): bigint | null {
    const reserves = this.book.reserves.map((reserve, i) => ({ ...reserve, priceE8: prices(this.book.assets[i] ?? "") }));
    const data = this.book.value(reserves, this.position, this.timestamp);
    return data !== undefined && data.debtUsd > 0n ? data.healthFactor : null;
  }

  liquidatableWith(price: (feed: string, answer: bigint) => bigint): boolean {
    const data = this.book.value(this.repriced(price), this.position, this.timestamp);
    return data !== undefined && data.debtUsd > 0n && data.healthFactor < WAD;
  }

  healthWith(price: (feed: string, answer: bigint) => bigint, timestamp: bigint): bigint | null {
    const data = this.book.value(this.repriced(price), this.position, timestamp);
    return data !== undefined && data.debtUsd > 0n ? data.healthFactor : null;
  }

  /** The reserves with each one's feed price replaced by `price(feed, its answer)`. */
  private repriced(price: (feed: string, answer: bigint) => bigint): R[] {
    return this.book.reserves.map((reserve, i) => ({ ...reserve, priceE8: price(this.book.feeds[i] ?? "", reserve.priceE8) }));
  }
}

/**
 * The feeds a position depends on: a supplied reserve's feed hurts it by falling, a borrowed one's by
 * rising. Positions with the same reserves supplied and borrowed share one list (`lists`).
 */
function feedsOf<R extends { priceE8: bigint }, P>(book: CrossMarginBook<R, P>, position: P, lists: Map<string, PositionValues["feeds"]>): PositionValues["feeds"] {
  const uses = book.reserves.map((_, i) => book.uses(position, i));
  const pattern = uses.map((u) => `${u.supplied ? 1 : 0}${u.borrowed ? 1 : 0}`).join("");
  let feeds = lists.get(pattern);
  if (!feeds) {
    feeds = [];
    for (const [i, u] of uses.entries()) {
      const feed = book.feeds[i] ?? "";
      if (u.supplied) feeds.push({ feed, adverse: 1 });
      if (u.borrowed) feeds.push({ feed, adverse: -1 });
    }
    lists.set(pattern, feeds);
  }
  return feeds;
}

/** Every account of the book valued at the end of a block, in the book's user order. */
export function crossMarginValuation<R extends { priceE8: bigint }, P>(context: ValuationContext, book: CrossMarginBook<R, P>): PositionValues[] {
  const { name, usd, timestamp } = context;
  const atMarket = book.reserves.map((r, i) => ({ ...r, priceE8: context.market(book.assets[i] ?? "") }));
  const out: PositionValues[] = [];
  const feedLists = new Map<string, PositionValues["feeds"]>();
  for (const [borrower, position] of book.users) {
    const oracle = book.oracle(borrower);
    const atM = book.value(atMarket, position, timestamp);
    const hasDebt = atM !== undefined && atM.debtUsd > 0n;
    const debt = atM ? usd.e8(atM.debtUsd) : 0n;
    const collateral = atM ? usd.e8(atM.collateralUsd) : 0n;
    out.push({
      key: positionKey(name, borrower),
      protocol: name,
      borrower,
      market: null,
      liquidatable: oracle !== undefined && oracle.debtUsd > 0n && oracle.healthFactor < WAD,
      underwaterAtMarket: hasDebt && atM !== undefined && atM.healthFactor < WAD,
      hasDebt,
      debtScaled: debt,
      collateralScaled: collateral,
      latentOracleScaled: hasDebt && oracle && oracle.debtUsd > oracle.collateralUsd ? usd.e8(oracle.debtUsd - oracle.collateralUsd) : 0n,
      latentMarketScaled: latentAtMarket(debt, collateral),
      healthFactorWad: oracle?.healthFactor ?? 0n,
      marketHealthFactorWad: hasDebt && atM !== undefined ? atM.healthFactor : null,
      feeds: feedsOf(book, position, feedLists),
      revaluation: new CrossMarginRevaluation(book, position, timestamp),
    });
  }
  return out;
}
