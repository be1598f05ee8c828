import type { Address } from "viem";
import { AaveV3Math } from "../../math";
import type { MarketView, ProtocolView } from "../../state";

/** The pool's reserves at the pending push-feed prices, and every account revalued at them (at the view's block). */
export function aaveWithPendingPrices(view: ProtocolView, pending: ReadonlyMap<string, bigint>, _market: MarketView): ProtocolView {
  if (view.kind !== "aave-v3.6") return view;
  const reserves = view.reserves.map((r, i) => {
    const price = pending.get(view.feeds[i] ?? "");
    return price === undefined ? r : { ...r, priceE8: price };
  });
  const accounts = new Map<Address, AaveV3Math.AaveAccountData>();
  for (const [user, position] of view.users) {
    const data = AaveV3Math.userAccountData(reserves, position, view.timestamp);
    if (data) accounts.set(user, data);
  }
  return { ...view, reserves, accounts };
}
