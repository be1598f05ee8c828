/**
 * Morpho Blue's `Liquidate(id, caller, borrower, repaidAssets, repaidShares, seizedAssets, badDebtAssets,
 * badDebtShares)`: the same records as liqsim's market's (`liquidateEvents`), its market found by
 * Morpho's bytes32 id. Bad debt is taken from the market's suppliers in the same call.
 */
import type { Address, Hex } from "viem";
import { decodeLiquidate, liquidateEvents } from "../isolated/events";
import type { EventContext, VenueEvent } from "../types";

export function morphoBlueEvents({ protocol, deployed }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "isolated") return [];
  const a = decodeLiquidate(deployed, log);
  const id = a ? (a.id as Hex).toLowerCase() : undefined;
  const m = deployed.markets.find((x) => x.morpho !== null && x.morpho.id.toLowerCase() === id);
  if (!a || !m) return [];
  return liquidateEvents(protocol, m, { borrower: a.borrower as Address, repaidAssets: a.repaidAssets as bigint, seizedAssets: a.seizedAssets as bigint, badDebtAssets: a.badDebtAssets as bigint });
}
