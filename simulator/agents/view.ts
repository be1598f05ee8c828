/**
 * Views of the market as a particular agent sees it.
 */
import { userAccountDataIfPriced, type UserAccountData } from "../math";
import { isolatedPriceE36 } from "../state/isolatedPrice";
import type { IsolatedMarketView, MarketView, ProtocolView } from "../state/view";

/**
 * `view` with the push-feed prices pending in this block's mempool applied to every reserve and
 * market that reads those feeds, and accounts revalued at them: what a bot that backruns oracle
 * updates sees. AMM-read feeds are left as they are: their next value depends on the block's swaps.
 */
export function withPendingOraclePrices(view: MarketView, pending: ReadonlyMap<string, bigint>): MarketView {
  if (pending.size === 0) return view;
  const protocols = new Map<string, ProtocolView>();
  for (const [name, p] of view.protocols) {
    if (p.kind === "isolated") {
      const markets = p.markets.map((m): IsolatedMarketView => {
        const collateral = pending.get(m.collateralFeed);
        const loan = pending.get(m.loanFeed);
        if (collateral === undefined && loan === undefined) return m;
        const feedPrice = (feed: string) => {
          const f = view.feeds.get(feed);
          return f?.ok ? f.answer : 0n;
        };
        const priceE36 = isolatedPriceE36(collateral ?? feedPrice(m.collateralFeed), loan ?? feedPrice(m.loanFeed), m.collateralUnit, m.loanUnit);
        return { ...m, priceE36 };
      });
      protocols.set(name, { ...p, markets });
      continue;
    }
    const reserves = p.reserves.map((r, i) => {
      const price = pending.get(p.feeds[i] ?? "");
      return price === undefined ? r : { ...r, priceE8: price };
    });
    const accounts = new Map<`0x${string}`, UserAccountData>();
    for (const [user, shares] of p.users) {
      const data = userAccountDataIfPriced(reserves, shares, reserves[0]?.state.lastUpdate ?? view.timestamp);
      if (data) accounts.set(user, data);
    }
    protocols.set(name, { ...p, reserves, accounts });
  }
  return { ...view, protocols };
}
