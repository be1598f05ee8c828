/**
 * Aave V3.6's pool logs the records use: `LiquidationCall` (no health factor: the observer supplies the
 * position's; `liquidatedCollateralAmount` is what the liquidator received, so the seizure adds back the
 * protocol fee, recovered with the reserve's bonus and fee share) and `DeficitCreated` (debt left without
 * collateral, burned into the reserve's deficit: suppliers' aTokens untouched, outstanding until covered).
 */
import type { Address, Hex } from "viem";
import { AaveV3Math } from "../../math";
import { decodeLog, type AavePoolAbi, type DecodedLog } from "../../world";
import type { EventContext, VenueEvent } from "../types";
import { wadToBps } from "./rates";

export function aaveEvents({ protocol, deployed, symbolOf }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "aave-v3.6") return [];
  // The typed pool ABI declares the two events the records use: any other log of the pool does not decode.
  let event: DecodedLog<AavePoolAbi>;
  try {
    event = decodeLog(deployed.pool.abi, log);
  } catch {
    return [];
  }
  switch (event.eventName) {
    case "LiquidationCall": {
      const a = event.args;
      const collateral = symbolOf(a.collateralAsset);
      const received = a.liquidatedCollateralAmount;
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
            borrower: a.user.toLowerCase() as Address,
            collateral,
            debt: symbolOf(a.debtAsset),
            debtRepaid: a.debtToCover,
            collateralSeized: received + fee,
            protocolFee: fee,
            healthFactorWad: 0n,
          },
          healthFromObserver: true,
        },
      ];
    }
    case "DeficitCreated": {
      const a = event.args;
      const amount = a.amountCreated;
      return [
        {
          type: "loss",
          loss: {
            protocol,
            market: null,
            asset: symbolOf(a.debtAsset),
            borrower: a.user.toLowerCase() as Address,
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
