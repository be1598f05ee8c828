/**
 * Views of the market as a particular agent sees it.
 */
import { userAccountDataIfPriced, type UserAccountData } from "../math";
import type { MarketView, ProtocolView } from "./types";

/**
 * `view` with the oracle prices that are pending in this block's mempool applied to every protocol's
 * reserves, and accounts revalued at them: what a bot that backruns oracle updates sees.
 */
export function withPendingOraclePrices(view: MarketView, pending: ReadonlyMap<string, bigint>): MarketView {
  if (pending.size === 0) return view;
  const protocols = new Map<string, ProtocolView>();
  for (const [name, p] of view.protocols) {
    const reserves = p.reserves.map((r, i) => {
      const price = pending.get(p.assets[i] ?? "");
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
