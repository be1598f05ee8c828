/**
 * Aave V3.6's pool logs the records use: `LiquidationCall` (no health factor: the observer supplies the
 * position's; `liquidatedCollateralAmount` is what the liquidator received, so the seizure adds back the
 * protocol fee, recovered with the reserve's bonus and fee share) and `DeficitCreated` (debt left without
 * collateral, burned into the reserve's deficit: suppliers' aTokens untouched, outstanding until covered).
 */
import type { Address, Hex } from "viem";
import { AaveV3Math } from "../../math";
import { decodeLog } from "../../world";
import type { EventContext, VenueEvent } from "../types";
import { wadToBps } from "./rates";

export function aaveEvents({ protocol, deployed, symbolOf }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "aave-v3.6") return [];
  let event: { eventName: string; args: Record<string, unknown> };
  try {
    event = decodeLog(deployed.pool.abi, log);
  } catch {
    return [];
  }
  const a = event.args;
  switch (event.eventName) {
    case "LiquidationCall": {
      const collateral = symbolOf(String(a.collateralAsset));
      const received = a.liquidatedCollateralAmount as bigint;
      const reserve = deployed.spec.reserves.find((r) => r.asset === collateral);
      const fee = reserve
        ? AaveV3Math.protocolFeeFromReceived(received, {
            liquidationBonusBps: wadToBps(reserve.liquidationBonusWad, "liquidationBonusWad"),
            liquidationProtocolFeeBps: wadToBps(reserve.liquidationProtocolFeeWad, "liquidationProtocolFeeWad"),
          })
        : 0n;
      return [
        {
          type: "liquidation",
          liquidation: {
            protocol,
            market: null,
            borrower: (a.user as Address).toLowerCase() as Address,
            collateral,
            debt: symbolOf(String(a.debtAsset)),
            debtRepaid: a.debtToCover as bigint,
            collateralSeized: received + fee,
            protocolFee: fee,
            healthFactorWad: 0n,
          },
          healthFromObserver: true,
        },
      ];
    }
    case "DeficitCreated": {
      const amount = a.amountCreated as bigint;
      return [
        {
          type: "loss",
          loss: {
            protocol,
            market: null,
            asset: symbolOf(String(a.debtAsset)),
            borrower: (a.user as Address).toLowerCase() as Address,
            amount,
            absorbed: { deficit: amount },
          },
        },
      ];
    }
    default:
      return [];
  }
}
