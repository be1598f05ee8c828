/**
 * A perp protocol's positions valued at the end of a block: one per (account, market) with an open
 * position. Its equity is margin + unrealized PnL: the isolated margin, or for a cross position the
 * group's equity without this position's PnL (as the exchange's bankruptcy price takes it); its
 * *collateral* value is that equity where positive, its *liability* the loss beyond the margin (the
 * equity's negative part), both in USD at the collateral's price; its health is the group's equity over
 * its maintenance margin (the contract's mirror, `math/PerpHealth.ts`), at the mark (the oracle: what
 * the exchange acts on) and with each base asset's market price as the mark.
 */
import type { Address } from "viem";
import { PerpHealth } from "../../math";
import { latentAtMarket, positionKey, type PerpMarketView, type PerpProtocolView, type PositionRevaluation, type PositionValues, type ProtocolView } from "../../state";
import type { ValuationContext } from "../types";
import { perpExchangeAt, perpGroupHealth, type PerpMarkOf } from "./model";

/** A position as of its block: its exchange's view then (marks, positions, balances). */
class PerpRevaluation implements PositionRevaluation {
  constructor(
    private readonly view: PerpProtocolView,
    private readonly account: Address,
    private readonly market: PerpMarketView,
  ) {}

  healthAtMarket(prices: (symbol: string) => bigint): bigint | null {
    const h = this.healthAt((m) => prices(m.base));
    return h ? PerpHealth.healthFactorWad(h) : null;
  }

  liquidatableWith(price: (feed: string, answer: bigint) => bigint): boolean {
    const h = this.healthAt((m) => price(m.feed, m.markPriceE8));
    return h !== undefined && PerpHealth.liquidatable(h);
  }

  /** No funding or interest: `timestamp` changes nothing. */
  healthWith(price: (feed: string, answer: bigint) => bigint): bigint | null {
    const h = this.healthAt((m) => price(m.feed, m.markPriceE8));
    return h ? PerpHealth.healthFactorWad(h) : null;
  }

  private healthAt(markOf: PerpMarkOf): PerpHealth.Health | undefined {
    return perpGroupHealth(this.view, this.account, this.market, perpExchangeAt(this.view, markOf));
  }
}

/** `atMarket`: the exchange with each base asset's market price as its mark. */
function marketValuation(context: ValuationContext, view: PerpProtocolView, atMarket: PerpHealth.ExchangeModel, m: PerpMarketView, out: PositionValues[]): void {
  const oracle = context.feeds.get(view.collateral);
  const collateralOracle = oracle?.ok && oracle.answer > 0n ? oracle.answer : 0n;
  const collateralMarket = context.market(view.collateral);
  const usd = (amount: bigint, priceE8: bigint) => context.usd.amount(amount, priceE8, view.collateralUnit);
  const baseMarket = context.market(m.base);
  for (const [account, p] of m.positions) {
    // A position's equity is margin + pnl; a cross position's margin is its group's equity without its
    // pnl, so its equity is the group's.
    const atOracle = perpGroupHealth(view, account, m);
    const atMarketHealth = perpGroupHealth(view, account, m, atMarket);
    const equity = (atMarketHealth ?? atOracle)?.equity ?? 0n;
    const collateral = usd(equity > 0n ? equity : 0n, collateralMarket);
    const debt = usd(equity < 0n ? -equity : 0n, collateralMarket);
    const latentOracle = atOracle && atOracle.equity < 0n ? usd(-atOracle.equity, collateralOracle) : 0n;
    out.push({
      key: positionKey(context.name, account, m.key),
      protocol: context.name,
      borrower: account,
      market: m.key,
      liquidatable: atOracle !== undefined && PerpHealth.liquidatable(atOracle),
      underwaterAtMarket: atMarketHealth !== undefined && baseMarket > 0n && PerpHealth.liquidatable(atMarketHealth),
      hasDebt: true,
      debtScaled: debt,
      collateralScaled: collateral,
      latentOracleScaled: latentOracle,
      latentMarketScaled: latentAtMarket(debt, collateral),
      healthFactorWad: atOracle ? PerpHealth.healthFactorWad(atOracle) : 0n,
      marketHealthFactorWad: atMarketHealth && baseMarket > 0n ? PerpHealth.healthFactorWad(atMarketHealth) : null,
      feeds: [{ feed: m.feed, adverse: p.isLong ? 1 : -1 }],
      revaluation: new PerpRevaluation(view, account, m),
    });
  }
}

export function perpValuation(context: ValuationContext, view: ProtocolView): PositionValues[] {
  if (view.kind !== "perp") return [];
  const out: PositionValues[] = [];
  const atMarket = perpExchangeAt(view, (m) => context.market(m.base));
  for (const m of view.markets) marketValuation(context, view, atMarket, m, out);
  return out;
}
