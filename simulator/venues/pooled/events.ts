/**
 * The pool's logs the records use: `LiquidationCall` (its own health factor before the liquidation),
 * `BadDebtRecorded` (a write-off), then `BadDebtCoveredByReserves` / `BadDebtSocialized` (how much of
 * that write-off the reserves took and how much the suppliers lost) or, under the `deficit` bad-debt
 * model, `DeficitCreated` (all of it left as the reserve's outstanding deficit).
 */
import type { Address, Hex } from "viem";
import { decodeLog, projectArtifact, type DecodedLog, type ProjectAbi } from "../../world";
import type { EventContext, VenueEvent } from "../types";

export function pooledEvents({ protocol, deployed, symbolOf }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "pooled") return [];
  // The deficit pool's ABI: the haircut pool's events and DeficitCreated / DeficitCovered.
  let event: DecodedLog<ProjectAbi<"PooledLendingPoolDeficit">>;
  try {
    event = decodeLog(projectArtifact("PooledLendingPoolDeficit").abi, log);
  } catch {
    return [];
  }
  switch (event.eventName) {
    case "LiquidationCall": {
      const a = event.args;
      return [
        {
          type: "liquidation",
          liquidation: {
            protocol,
            market: null,
            borrower: lower(a.user),
            collateral: symbolOf(a.collateralAsset),
            debt: symbolOf(a.debtAsset),
            debtRepaid: a.debtRepaid,
            collateralSeized: a.collateralSeized,
            protocolFee: a.protocolFee,
            healthFactorWad: a.healthFactorWad,
          },
          healthFromObserver: false,
        },
      ];
    }
    case "BadDebtRecorded":
      return [
        {
          type: "loss",
          loss: {
            protocol,
            market: null,
            asset: symbolOf(event.args.asset),
            borrower: lower(event.args.user),
            amount: event.args.assets,
            absorbed: {},
          },
        },
      ];
    case "BadDebtCoveredByReserves":
      return [{ type: "lossAbsorbed", by: "reserves", amount: event.args.assets }];
    case "BadDebtSocialized":
      return [{ type: "lossAbsorbed", by: "suppliers", amount: event.args.assets }];
    case "DeficitCreated":
      return [{ type: "lossAbsorbed", by: "deficit", amount: event.args.assets }];
    default:
      return [];
  }
}

/** The records keep addresses lowercase. */
function lower(address: Address): Address {
  return address.toLowerCase() as Address;
}
