/**
 * Morpho Blue's `Liquidate(id, caller, borrower, repaidAssets, repaidShares, seizedAssets, badDebtAssets,
 * badDebtShares)`: the same records as liqsim's market's (`liquidateEvents`), its market found by
 * Morpho's bytes32 id. Bad debt is taken from the market's suppliers in the same call. Morpho's ABI is
 * compiled from npm (untyped), so the event's fields are checked here.
 */
import type { Hex } from "viem";
import { decodeLog } from "../../world";
import { liquidateEvents } from "../isolated/events";
import type { EventContext, VenueEvent } from "../types";

export function morphoBlueEvents({ protocol, deployed }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "morpho-blue-1.0") return [];
  let event: { eventName: string; args: unknown };
  try {
    event = decodeLog(deployed.market.abi, log);
  } catch {
    return [];
  }
  const a = event.args as Record<string, unknown> | undefined;
  if (event.eventName !== "Liquidate" || !a || typeof a.id !== "string" || typeof a.borrower !== "string") return [];
  const [repaidAssets, seizedAssets, badDebtAssets] = [a.repaidAssets, a.seizedAssets, a.badDebtAssets];
  if (typeof repaidAssets !== "bigint" || typeof seizedAssets !== "bigint" || typeof badDebtAssets !== "bigint") return [];
  const id = a.id.toLowerCase();
  const m = deployed.markets.find((x) => x.morpho?.id.toLowerCase() === id);
  return m ? liquidateEvents(protocol, m, { borrower: a.borrower as Hex, repaidAssets, seizedAssets, badDebtAssets }) : [];
}
