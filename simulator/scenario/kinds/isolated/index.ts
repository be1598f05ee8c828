/** The isolated kind in the scenario layer: Morpho-like markets, one position per borrower and market. */
import type { ProtocolSpec } from "../../types";
import type { FeedReader, ScenarioKind } from "../types";
import { marketKey, normalizeIsolated } from "./normalize";

export { marketKey };

/** Every market reads its collateral and loan feeds with its own maximum age and its own stale-price switch. */
function feedReaders(protocol: ProtocolSpec, index: number): FeedReader[] {
  if (protocol.type !== "isolated") return [];
  return protocol.markets.map((market, j) => {
    const path = ["protocols", index, "markets", j];
    return {
      market: marketKey(market.collateral, market.loan),
      path,
      switchPath: [...path, "liquidationsAcceptStalePrice"],
      label: `${protocol.name} ${market.collateral}/${market.loan}`,
      maxPriceAgeSeconds: market.maxPriceAgeSeconds,
      refusesStale: !market.liquidationsAcceptStalePrice,
      feeds: [market.collateralFeed, market.loanFeed],
    };
  });
}

export const isolatedKind: ScenarioKind = {
  normalize: normalizeIsolated,
  feedReaders,
  // Isolated margin: one position per collateral asset (its market collateral/debt).
  positionsPerBorrower: (_protocol, group) => group.collateral.length,
  // The real protocol of the kind: Morpho Blue 1.0.
  withImplementation: (protocol, implementation) =>
    protocol.type === "isolated" ? { ...protocol, venue: implementation === "mock" ? "isolated" : "morpho-blue-1.0" } : protocol,
  words: {
    protocol: "market",
    position: "position",
    liability: "debt",
    place: (protocol, market) => (market === null ? protocol : `${protocol} ${market}`),
    loss: { reserves: "the protocol's reserves", suppliers: "its suppliers" },
  },
};
