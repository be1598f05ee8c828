/** The perp kind in the scenario layer: a perpetual futures exchange, its positions opened by named traders. */
import type { ProtocolSpec } from "../../types";
import type { FeedReader, ScenarioKind } from "../types";
import { normalizePerp } from "./normalize";

/** Every market reads its mark with its maximum age, and every action refuses an older one, liquidations included. */
function feedReaders(protocol: ProtocolSpec, index: number): FeedReader[] {
  if (protocol.type !== "perp") return [];
  return protocol.markets.map((market, j) => {
    const path = ["protocols", index, "markets", j];
    return {
      market: `${market.base}-USD`,
      path,
      switchPath: [...path, "maxPriceAgeSeconds"],
      label: `${protocol.name} ${market.base}-USD`,
      maxPriceAgeSeconds: market.maxPriceAgeSeconds,
      refusesStale: true,
      feeds: [market.feed],
    };
  });
}

export const perpKind: ScenarioKind = {
  normalize: normalizePerp,
  feedReaders,
  // Borrowers cannot name a perp exchange (its positions are its traders').
  positionsPerBorrower: () => 0,
  // No real implementation of the kind: every run is on liqsim's exchange.
  withImplementation: (protocol) => protocol,
  words: {
    protocol: "exchange",
    position: "position",
    liability: "loss beyond the margin",
    place: (protocol, market) => (market === null ? protocol : `${protocol} ${market}`),
    loss: { reserves: "the insurance fund", suppliers: "the traders on the other side" },
  },
};
