/** A reserve's scenario settings in Aave V3.6's units (basis points, 10,000 + bonus), as the model takes them. */
import type { AaveV3Math } from "../../math";
import type { World, WorldAaveProtocol } from "../../world";
import { wadToBps } from "./rates";

export function aaveReserveConfig(world: World, p: WorldAaveProtocol, index: number): AaveV3Math.AaveReserveConfig {
  const spec = p.spec.reserves[index];
  const asset = world.assets.get(spec?.asset ?? "");
  if (!spec || !asset) throw new Error(`internal: reserve ${index} of ${p.spec.name} unknown`);
  return {
    ltvBps: wadToBps(spec.ltvWad, "ltvWad"),
    liquidationThresholdBps: wadToBps(spec.liquidationThresholdWad, "liquidationThresholdWad"),
    liquidationBonusBps: wadToBps(spec.liquidationBonusWad, "liquidationBonusWad"),
    liquidationProtocolFeeBps: wadToBps(spec.liquidationProtocolFeeWad, "liquidationProtocolFeeWad"),
    unit: asset.unit,
  };
}
