/**
 * An isolated protocol's positions valued at the end of a block: one per borrower and market, its
 * health at the market's oracle price (what the market acts on) and at the loan and collateral market
 * prices, USD values at market prices, and at the feeds' answers for the latent bad debt at oracle prices.
 */
import { IsolatedLendingMarketMath as IM } from "../../math";
import { latentAtMarket, positionKey, type IsolatedMarketView, type PositionRevaluation, type PositionValues, type ProtocolView } from "../../state";
import type { ValuationContext } from "../types";
import { isolatedPriceE36 } from "./oraclePrice";

/** An isolated position as of its block: its market then, and the answers of the market's two feeds. */
class IsolatedRevaluation implements PositionRevaluation {
  /** Health is collateral value over debt: it only falls as a collateral feed falls or a debt feed rises. */
  readonly monotone = true;

  constructor(
    private readonly market: IsolatedMarketView,
    private readonly position: IM.Position,
    private readonly hasDebt: boolean,
    private readonly cOracle: bigint,
    private readonly lOracle: bigint,
  ) {}

  healthAtMarket(prices: (symbol: string) => bigint): bigint | null {
    const m = this.market;
    return this.health(isolatedPriceE36(prices(m.collateral), prices(m.loan), m.collateralUnit, m.loanUnit));
  }

  liquidatableWith(price: (feed: string, answer: bigint) => bigint): boolean {
    const scaled = this.repriced(price);
    return scaled > 0n && this.hasDebt && !IM.positionHealth(this.market, this.market.state, this.position, scaled).healthy;
  }

  /** No accrual: the market's state is its block's (`timestamp` is the pooled venue's concern). */
  healthWith(price: (feed: string, answer: bigint) => bigint): bigint | null {
    return this.health(this.repriced(price));
  }

  private health(priceE36: bigint): bigint | null {
    return priceE36 > 0n && this.hasDebt ? IM.positionHealth(this.market, this.market.state, this.position, priceE36).healthFactorWad : null;
  }

  /** The market's oracle price with each feed's answer replaced by `price(feed, answer)`. */
  private repriced(price: (feed: string, answer: bigint) => bigint): bigint {
    const m = this.market;
    return isolatedPriceE36(price(m.collateralFeed, this.cOracle), price(m.loanFeed, this.lOracle), m.collateralUnit, m.loanUnit);
  }
}

/** A position's debt less its collateral at the feeds' answers (USD, scaled) when positive; 0 without debt or a feed. */
function latentAtOracle(context: ValuationContext, m: IsolatedMarketView, borrowed: bigint, collateral: bigint, cOracle: bigint, lOracle: bigint): bigint {
  if (borrowed === 0n || cOracle === 0n || lOracle === 0n) return 0n;
  const debt = context.usd.amount(borrowed, lOracle, m.loanUnit);
  const value = context.usd.amount(collateral, cOracle, m.collateralUnit);
  return debt > value ? debt - value : 0n;
}

function marketValuation(context: ValuationContext, m: IsolatedMarketView, out: PositionValues[]): void {
  const feedPrice = (feed: string) => {
    const f = context.feeds.get(feed);
    return f?.ok && f.answer > 0n ? f.answer : 0n;
  };
  const cOracle = feedPrice(m.collateralFeed);
  const lOracle = feedPrice(m.loanFeed);
  const loanPrice = context.market(m.loan);
  const collateralPrice = context.market(m.collateral);
  const marketPrice = isolatedPriceE36(collateralPrice, loanPrice, m.collateralUnit, m.loanUnit);
  // Every position of a market depends on the same two feeds.
  const feeds: PositionValues["feeds"] = [
    { feed: m.collateralFeed, adverse: 1 },
    { feed: m.loanFeed, adverse: -1 },
  ];
  for (const [borrower, position] of m.positions) {
    const h = m.priceE36 > 0n ? IM.positionHealth(m, m.state, position, m.priceE36) : null;
    const hm = marketPrice > 0n ? IM.positionHealth(m, m.state, position, marketPrice) : null;
    const borrowed = hm?.borrowed ?? h?.borrowed ?? 0n;
    const debt = context.usd.amount(borrowed, loanPrice, m.loanUnit);
    const collateral = context.usd.amount(position.collateral, collateralPrice, m.collateralUnit);
    const hasDebt = borrowed > 0n;
    out.push({
      key: positionKey(context.name, borrower, m.key),
      protocol: context.name,
      borrower,
      market: m.key,
      liquidatable: h !== null && hasDebt && !h.healthy,
      underwaterAtMarket: hm !== null && hasDebt && !hm.healthy,
      hasDebt,
      debtScaled: debt,
      collateralScaled: collateral,
      latentOracleScaled: latentAtOracle(context, m, borrowed, position.collateral, cOracle, lOracle),
      latentMarketScaled: latentAtMarket(debt, collateral),
      healthFactorWad: h?.healthFactorWad ?? 0n,
      marketHealthFactorWad: hm !== null && hasDebt ? hm.healthFactorWad : null,
      feeds,
      revaluation: new IsolatedRevaluation(m, position, hasDebt, cOracle, lOracle),
    });
  }
}

export function isolatedValuation(context: ValuationContext, view: ProtocolView): PositionValues[] {
  if (view.kind !== "isolated") return [];
  const out: PositionValues[] = [];
  for (const m of view.markets) marketValuation(context, m, out);
  return out;
}
