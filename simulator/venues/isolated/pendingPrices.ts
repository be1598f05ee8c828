import type { IsolatedMarketView, MarketView, ProtocolView } from "../../state";
import { isolatedPriceE36 } from "./oraclePrice";

/** Each market that reads a pending push feed, repriced (loan units per collateral unit, 1e36) at it. */
export function isolatedWithPendingPrices(view: ProtocolView, pending: ReadonlyMap<string, bigint>, market: MarketView): ProtocolView {
  if (view.kind !== "isolated") return view;
  const feedPrice = (feed: string) => {
    const f = market.feeds.get(feed);
    return f?.ok ? f.answer : 0n;
  };
  const markets = view.markets.map((m): IsolatedMarketView => {
    const collateral = pending.get(m.collateralFeed);
    const loan = pending.get(m.loanFeed);
    if (collateral === undefined && loan === undefined) return m;
    const priceE36 = isolatedPriceE36(collateral ?? feedPrice(m.collateralFeed), loan ?? feedPrice(m.loanFeed), m.collateralUnit, m.loanUnit);
    return { ...m, priceE36 };
  });
  return { ...view, markets };
}
