import type { ProtocolView } from "../../state";

/** Each market whose mark feed has a push pending in the block's mempool, marked at that price (health follows from the mark). */
export function perpWithPendingPrices(view: ProtocolView, pending: ReadonlyMap<string, bigint>): ProtocolView {
  if (view.kind !== "perp") return view;
  return { ...view, markets: view.markets.map((m) => (pending.has(m.feed) ? { ...m, markPriceE8: pending.get(m.feed) ?? m.markPriceE8 } : m)) };
}
