/**
 * Views of the market as a particular agent sees it.
 */
import type { MarketView, ProtocolView } from "../state";
import { venueOf } from "../venues";

/**
 * `view` with the push-feed prices pending in this block's mempool applied to every protocol that reads
 * those feeds, and positions revalued at them (each venue's `withPendingPrices`): what a bot that
 * backruns oracle updates sees. AMM-read feeds are left as they are: their next value depends on the
 * block's swaps.
 */
export function withPendingOraclePrices(view: MarketView, pending: ReadonlyMap<string, bigint>): MarketView {
  if (pending.size === 0) return view;
  const protocols = new Map<string, ProtocolView>();
  for (const [name, p] of view.protocols) protocols.set(name, venueOf(p.venue).withPendingPrices(p, pending, view));
  return { ...view, protocols };
}
