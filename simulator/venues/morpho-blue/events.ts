/**
 * Morpho Blue's `Liquidate(id, caller, borrower, repaidAssets, repaidShares, seizedAssets, badDebtAssets,
 * badDebtShares)`: the same records as liqsim's market's (`liquidateEvents`), its market found by
 * Morpho's bytes32 id. Bad debt is taken from the market's suppliers in the same call. The event is
 * declared in our interface of Morpho (`IMorphoBlueCalls`), so its fields are typed.
 */
import type { Hex } from "viem";
import { decodeLog, type DecodedLog, type MorphoBlueCallsAbi } from "../../world";
import { liquidateEvents } from "../isolated/events";
import type { EventContext, VenueEvent } from "../types";

export function morphoBlueEvents({ protocol, deployed }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "morpho-blue-1.0") return [];
  // Any other log of Morpho does not decode against the typed ABI (its one event).
  let event: DecodedLog<MorphoBlueCallsAbi>;
  try {
    event = decodeLog(deployed.market.abi, log);
  } catch {
    return [];
  }
  const { id, borrower, repaidAssets, seizedAssets, badDebtAssets } = event.args;
  const m = deployed.markets.find((x) => x.morpho?.id.toLowerCase() === id.toLowerCase());
  return m ? liquidateEvents(protocol, m, { borrower, repaidAssets, seizedAssets, badDebtAssets }) : [];
}
