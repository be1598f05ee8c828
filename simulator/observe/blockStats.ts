/**
 * A protocol's statistics for one block (`ProtocolBlockStats`) from its positions valued at the block's
 * end, its liquidations of the block and its bad debt so far.
 */
import type Decimal from "decimal.js";
import { byAbsorber, Dec, type PositionValues, type UsdScale } from "../state";
import type { LossTotal } from "./badDebt";
import { HEALTH_FACTOR_BUCKET_EDGES_WAD, type ProtocolBlockStats } from "./types";

/** What the block's events say of one protocol. */
export interface ProtocolBlockEvents {
  /** Keys of the positions liquidated in the block (each was liquidatable before the block's liquidations). */
  liquidated: readonly string[];
  liquidations: { count: number; repaidUsd: Decimal } | undefined;
  badDebt: LossTotal | undefined;
}

/** The index of the histogram bucket of a health factor (HEALTH_FACTOR_BUCKET_EDGES_WAD; the last: at or above every edge). */
function bucketOf(healthFactorWad: bigint): number {
  const bucket = HEALTH_FACTOR_BUCKET_EDGES_WAD.findIndex((edge) => healthFactorWad < edge);
  return bucket < 0 ? HEALTH_FACTOR_BUCKET_EDGES_WAD.length : bucket;
}

export function protocolBlockStats(values: readonly PositionValues[], events: ProtocolBlockEvents, usd: UsdScale): ProtocolBlockStats {
  const liquidatableBefore = new Set(events.liquidated);
  let positions = 0;
  let liquidatable = 0;
  let underwater = 0;
  let totalDebt = 0n;
  let totalCollateral = 0n;
  let latentOracle = 0n;
  let latentMarket = 0n;
  const histogram = HEALTH_FACTOR_BUCKET_EDGES_WAD.map(() => 0).concat([0]);
  for (const v of values) {
    if (!v.hasDebt) continue;
    positions++;
    const index = bucketOf(v.healthFactorWad);
    histogram[index] = (histogram[index] ?? 0) + 1;
    if (v.liquidatable) {
      liquidatable++;
      liquidatableBefore.add(v.key);
    }
    if (v.underwaterAtMarket) underwater++;
    totalDebt += v.debtScaled;
    totalCollateral += v.collateralScaled;
    latentOracle += v.latentOracleScaled;
    latentMarket += v.latentMarketScaled;
  }
  return {
    positions,
    liquidatable,
    underwaterAtMarket: underwater,
    liquidatableBeforeLiquidations: liquidatableBefore.size,
    liquidations: events.liquidations?.count ?? 0,
    debtRepaidUsd: events.liquidations?.repaidUsd ?? new Dec(0),
    totalDebtUsd: usd.toDecimal(totalDebt),
    totalCollateralUsd: usd.toDecimal(totalCollateral),
    recordedBadDebtUsd: events.badDebt?.recorded ?? new Dec(0),
    absorbedUsd: byAbsorber((by) => events.badDebt?.absorbedBy[by] ?? new Dec(0)),
    unabsorbedUsd: events.badDebt?.unabsorbed ?? new Dec(0),
    latentBadDebtOracleUsd: usd.toDecimal(latentOracle),
    latentBadDebtMarketUsd: usd.toDecimal(latentMarket),
    healthFactorHistogram: histogram,
  };
}
