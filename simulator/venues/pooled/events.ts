/**
 * The pool's logs the records use: `LiquidationCall` (its own health factor before the liquidation),
 * `BadDebtRecorded` (a write-off), then `BadDebtCoveredByReserves` / `BadDebtSocialized` (how much of
 * that write-off the reserves took and how much the suppliers lost) or, under the `deficit` bad-debt
 * model, `DeficitCreated` (all of it left as the reserve's outstanding deficit).
 */
import type { Address, Hex } from "viem";
import { decodeLog } from "../../world";
import type { EventContext, VenueEvent } from "../types";

export function pooledEvents({ protocol, deployed, symbolOf }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "pooled") return [];
  let event: { eventName: string; args: Record<string, unknown> };
  try {
    event = decodeLog(deployed.pool.abi, log);
  } catch {
    return [];
  }
  const a = event.args;
  switch (event.eventName) {
    case "LiquidationCall":
      return [
        {
          type: "liquidation",
          liquidation: {
            protocol,
            market: null,
            borrower: (a.user as Address).toLowerCase() as Address,
            collateral: symbolOf(String(a.collateralAsset)),
            debt: symbolOf(String(a.debtAsset)),
            debtRepaid: a.debtRepaid as bigint,
            collateralSeized: a.collateralSeized as bigint,
            protocolFee: a.protocolFee as bigint,
            healthFactorWad: a.healthFactorWad as bigint,
          },
          healthFromObserver: false,
        },
      ];
    case "BadDebtRecorded":
      return [
        {
          type: "loss",
          loss: {
            protocol,
            market: null,
            asset: symbolOf(String(a.asset)),
            borrower: (a.user as Address).toLowerCase() as Address,
            amount: a.assets as bigint,
            absorbed: {},
          },
        },
      ];
    case "BadDebtCoveredByReserves":
      return [{ type: "lossAbsorbed", by: "reserves", amount: a.assets as bigint }];
    case "BadDebtSocialized":
      return [{ type: "lossAbsorbed", by: "suppliers", amount: a.assets as bigint }];
    case "DeficitCreated":
      return [{ type: "lossAbsorbed", by: "deficit", amount: a.assets as bigint }];
    default:
      return [];
  }
}
