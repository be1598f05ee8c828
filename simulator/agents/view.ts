/**
 * Views of the market as a particular agent sees it.
 */
import { IsolatedLendingMarketMath as IM, userAccountDataIfPriced, type UserAccountData } from "../math";
import type { IsolatedMarketView, MarketView, ProtocolView } from "./types";

/** Decimals of a token from its unit (10^decimals). */
function decimalsOf(unit: bigint): bigint {
  return BigInt(unit.toString().length - 1);
}

/**
 * Loan units per collateral unit scaled by 1e36, from two USD E8 prices, with the market's own formula
 * (`IsolatedLendingMarketMath.oraclePrice`); 0 when a price is not positive (the market would revert).
 */
export function isolatedPriceE36(collateralPriceE8: bigint, loanPriceE8: bigint, collateralUnit: bigint, loanUnit: bigint): bigint {
  if (collateralPriceE8 <= 0n || loanPriceE8 <= 0n) return 0n;
  return IM.oraclePrice(collateralPriceE8, loanPriceE8, decimalsOf(collateralUnit), decimalsOf(loanUnit));
}

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
