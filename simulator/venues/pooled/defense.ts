/**
 * A defensive borrower in a pool (one cross-margin position), once its health factor has been below the
 * trigger long enough, repays or supplies up to the target health factor:
 *   repay:  debtUsd' = thresholdWeightedCollateralUsd / target;          repay (debtUsd - debtUsd') of debt
 *   topUp:  threshold-weighted collateral needed N = target x debtUsd - thresholdWeighted, supplied in the
 *           group's collateral mix: asset k gets value share_k x N / Σ share_j x threshold_j
 */
import { WAD, account, mulDivUp, wDivDown, wDivUp, wMulDown, min } from "../../math";
import type { TxIntent } from "../../state";
import { GAS, type ProjectHandle } from "../../world";
import type { DefenseContext } from "../types";

export function pooledDefense(context: DefenseContext): TxIntent[] {
  const { protocol, deployed } = context;
  if (protocol.kind !== "pooled" || deployed.kind !== "pooled") return [];
  const { borrower, defense, view } = context;
  const shares = protocol.users.get(borrower.address);
  if (!shares) return [];
  const a = account(protocol.reserves, shares, protocol.reserves[0]?.state.lastUpdate ?? view.timestamp);
  const below = a.totalDebtUsd > 0n && a.healthFactorWad < defense.belowHealthFactorWad;
  if (!context.triggered(borrower.address.toLowerCase(), below)) return [];
  const reserveOf = (symbol: string) => {
    const reserve = protocol.reserves[protocol.assets.indexOf(symbol)];
    const asset = context.world.assets.get(symbol);
    return reserve && asset && reserve.priceE8 > 0n ? { reserve, asset } : undefined;
  };
  const intent = (fn: "repay" | "supply", symbol: string, amount: bigint, token: `0x${string}`): TxIntent =>
    defenseIntent(context, deployed.pool, `${defense.action} ${amount} ${symbol}`, deployed.pool.encode(fn, [token, amount, borrower.address]));
  if (defense.action === "repay") {
    const debt = reserveOf(borrower.group.debt);
    if (!debt) return [];
    const targetDebtUsd = wDivDown(a.thresholdWeightedCollateralUsd, defense.targetHealthFactorWad);
    const amount = context.take(borrower.group.debt, mulDivUp(a.totalDebtUsd - min(targetDebtUsd, a.totalDebtUsd), debt.reserve.unit, debt.reserve.priceE8));
    return amount === 0n ? [] : [intent("repay", borrower.group.debt, amount, debt.asset.token.address)];
  }
  const collateral = borrower.group.collateral.map((c) => ({ share: c, priced: reserveOf(c.asset) }));
  // Σ share x threshold (one asset: its threshold).
  const weightedShare = collateral.reduce((sum, c) => sum + (c.priced ? wMulDown(c.share.shareWad, c.priced.reserve.config.liquidationThresholdWad) : 0n), 0n);
  if (weightedShare === 0n) return [];
  const neededUsd = wMulDown(defense.targetHealthFactorWad, a.totalDebtUsd) - min(wMulDown(defense.targetHealthFactorWad, a.totalDebtUsd), a.thresholdWeightedCollateralUsd);
  const perShareUsd = wDivUp(neededUsd, weightedShare);
  const out: TxIntent[] = [];
  for (const { share, priced } of collateral) {
    if (!priced) continue;
    const amount = context.take(share.asset, mulDivUp(mulDivUp(share.shareWad, perShareUsd, WAD), priced.reserve.unit, priced.reserve.priceE8));
    if (amount > 0n) out.push(intent("supply", share.asset, amount, priced.asset.token.address));
  }
  return out;
}

function defenseIntent(context: DefenseContext, pool: ProjectHandle<"PooledLendingPool">, action: string, data: `0x${string}`): TxIntent {
  return { agent: context.agent, action, from: context.borrower.address, to: pool.address, data, gas: GAS.poolAction, priorityFeeWei: context.priorityFeeWei };
}
