import type { Address } from "viem";
import { userAccountDataIfPriced, type UserAccountData } from "../../math";
import type { MarketView, ProtocolView } from "../../state";

/** The pool's reserves at the pending push-feed prices, and every account revalued at them. */
export function pooledWithPendingPrices(view: ProtocolView, pending: ReadonlyMap<string, bigint>, market: MarketView): ProtocolView {
  if (view.kind !== "pooled") return view;
  const reserves = view.reserves.map((r, i) => {
    const price = pending.get(view.feeds[i] ?? "");
    return price === undefined ? r : { ...r, priceE8: price };
  });
  const accounts = new Map<Address, UserAccountData>();
  for (const [user, shares] of view.users) {
    const data = userAccountDataIfPriced(reserves, shares, reserves[0]?.state.lastUpdate ?? market.timestamp);
    if (data) accounts.set(user, data);
  }
  return { ...view, reserves, accounts };
}
