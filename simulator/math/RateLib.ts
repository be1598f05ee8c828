/**
 * The kinked interest-rate curve both protocols use, mirroring `contracts/libraries/RateLib.sol`:
 * same names, same rounding. Rates are annual, WAD.
 */
import { WAD, min, mulDivDown, wDivDown } from "./MathLib";

/** The curve's parameters, WAD. */
export interface RateCurve {
  baseRateWad: bigint;
  slope1Wad: bigint;
  slope2Wad: bigint;
  optimalUtilizationWad: bigint;
}

/** Utilization `borrowed / funds`, WAD, rounded down and capped at 100%; 0 without funds. */
export function utilization(borrowed: bigint, funds: bigint): bigint {
  return funds === 0n ? 0n : min(wDivDown(borrowed, funds), WAD);
}

/**
 * The borrow rate at `utilizationWad` on the curve with kink U*:
 * U <= U*: base + slope1 * U / U*;  U > U*: base + slope1 + slope2 * (U - U*) / (1 - U*).
 */
export function kinkedRate(utilizationWad: bigint, curve: RateCurve): bigint {
  const optimal = curve.optimalUtilizationWad;
  if (utilizationWad <= optimal) return curve.baseRateWad + mulDivDown(curve.slope1Wad, utilizationWad, optimal);
  return curve.baseRateWad + curve.slope1Wad + mulDivDown(curve.slope2Wad, utilizationWad - optimal, WAD - optimal);
}
