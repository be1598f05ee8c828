/** The pooled kind in the scenario layer: an Aave-like pool, one cross-margin position per borrower. */
import type { ProtocolSpec } from "../../types";
import type { FeedReader, ScenarioKind } from "../types";
import { normalizePooled } from "./normalize";

/** Every reserve reads its feed with its maximum age; liquidations refuse stale prices pool-wide by one switch. */
function feedReaders(protocol: ProtocolSpec, index: number): FeedReader[] {
  if (protocol.type !== "pooled") return [];
  return protocol.reserves.map((reserve, j) => ({
    market: null,
    path: ["protocols", index, "reserves", j],
    switchPath: ["protocols", index, "liquidation", "liquidationsAcceptStalePrice"],
    label: `${protocol.name} that use its ${reserve.asset} reserve`,
    maxPriceAgeSeconds: reserve.maxPriceAgeSeconds,
    refusesStale: !protocol.liquidation.liquidationsAcceptStalePrice,
    feeds: [reserve.feed],
  }));
}

export const pooledKind: ScenarioKind = {
  normalize: normalizePooled,
  feedReaders,
  // Cross margin: one account holds all of a borrower's collateral.
  positionsPerBorrower: () => 1,
  // The real protocol of the kind: Aave V3.6.
  withImplementation: (protocol, implementation) =>
    protocol.type === "pooled" ? { ...protocol, venue: implementation === "mock" ? "pooled" : "aave-v3.6" } : protocol,
  words: {
    protocol: "pool",
    position: "position",
    liability: "debt",
    place: (protocol) => protocol,
    loss: { reserves: "the protocol's reserves", suppliers: "its suppliers" },
  },
};
