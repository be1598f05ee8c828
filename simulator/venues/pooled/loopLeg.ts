import { account, debtBalance, min, mulDivDown, supplyBalance, wDivDown } from "../../math";
import type { LoopLegContext, LoopLegState } from "../types";

/**
 * A looper's leg in a pool, in USD E8 at oracle prices: threshold-weighted collateral and debt, the
 * room to borrow down to the step health factor and within LTV.
 */
export function pooledLoopLeg({ looper, leg, index, protocol: p }: LoopLegContext): LoopLegState | undefined {
  if (p.kind !== "pooled") return undefined;
  const { spec } = looper;
  const shares = p.users.get(looper.vault.address);
  const c = p.assets.indexOf(spec.collateral);
  const d = p.assets.indexOf(spec.debt);
  const cr = p.reserves[c];
  const dr = p.reserves[d];
  if (!cr || !dr || cr.priceE8 === 0n || dr.priceE8 === 0n) return undefined;
  const at = cr.state.lastUpdate;
  const supplyShares = shares?.supplyShares ?? p.reserves.map(() => 0n);
  const borrowShares = shares?.borrowShares ?? p.reserves.map(() => 0n);
  const a = account(p.reserves, { supplyShares, borrowShares }, at);
  const step = spec.stepHealthFactorWad;
  const toStep = wDivDown(a.thresholdWeightedCollateralUsd, step);
  const byLtv = a.ltvWeightedCollateralUsd > a.totalDebtUsd ? a.ltvWeightedCollateralUsd - a.totalDebtUsd : 0n;
  // 0.1% under the LTV limit: a block of interest and the pool's rounding must not make the borrow fail.
  const room = min(toStep > a.totalDebtUsd ? toStep - a.totalDebtUsd : 0n, byLtv - byLtv / 1000n);
  return {
    leg,
    index,
    weighted: a.thresholdWeightedCollateralUsd,
    debt: a.totalDebtUsd,
    thresholdWad: cr.config.liquidationThresholdWad,
    healthFactorWad: a.healthFactorWad,
    room,
    toCollateral: (usd) => mulDivDown(usd, cr.unit, cr.priceE8),
    toUsd: (usd) => usd,
    fromUsd: (usd) => usd,
    toDebt: (usd) => mulDivDown(usd, dr.unit, dr.priceE8),
    collateralAmount: supplyBalance(cr, supplyShares[c] ?? 0n, at),
    debtAmount: debtBalance(dr, borrowShares[d] ?? 0n, at),
  };
}
