/**
 * liqsim's WAD ratios and kinked rate curve as Aave V3.6's configuration takes them: basis points
 * (10,000 = 100%), and the liquidation bonus as 10,000 + bonus (a 5% bonus is 10,500).
 */
import type { ReserveRiskConfig } from "../../math";

const WAD_PER_BPS = 10n ** 14n;

/** `valueWad` in basis points; a value between two whole basis points cannot be set on Aave and throws. */
export function wadToBps(valueWad: bigint, field: string): bigint {
  if (valueWad < 0n || valueWad % WAD_PER_BPS !== 0n) {
    throw new Error(`${field}: ${valueWad} (WAD) is not a whole number of basis points, which Aave's configuration needs`);
  }
  return valueWad / WAD_PER_BPS;
}

/** Aave's `IDefaultInterestRateStrategyV2.InterestRateData` for a reserve: all in basis points. */
export interface AaveInterestRateData {
  optimalUsageRatio: number;
  baseVariableBorrowRate: number;
  variableRateSlope1: number;
  variableRateSlope2: number;
}

/**
 * Aave's rate data for liqsim's kinked curve (base + slope1 up to the kink, + slope2 above it: the same
 * shape as Aave's strategy), each figure converted to basis points exactly.
 */
export function aaveRateData(curve: Pick<ReserveRiskConfig, "baseRateWad" | "slope1Wad" | "slope2Wad" | "optimalUtilizationWad">): AaveInterestRateData {
  return {
    optimalUsageRatio: Number(wadToBps(curve.optimalUtilizationWad, "optimalUtilizationWad")),
    baseVariableBorrowRate: Number(wadToBps(curve.baseRateWad, "baseRateWad")),
    variableRateSlope1: Number(wadToBps(curve.slope1Wad, "slope1Wad")),
    variableRateSlope2: Number(wadToBps(curve.slope2Wad, "slope2Wad")),
  };
}
