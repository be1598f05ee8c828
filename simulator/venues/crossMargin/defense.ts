/**
 * A defensive borrower in a cross-margin pool (liqsim's or Aave's: one account), once its health factor
 * has been below the trigger long enough, repays or supplies up to the target health factor:
 *   repay:  debtUsd' = thresholdWeightedCollateralUsd / target;          repay (debtUsd - debtUsd') of debt
 *   topUp:  threshold-weighted collateral needed N = target x debtUsd - thresholdWeighted, supplied in the
 *           group's collateral mix: asset k gets value share_k x N / Σ share_j x threshold_j
 * The venue supplies the account's sums, its reserves' prices and thresholds, and the calls.
 */
import type { Hex } from "viem";
import { WAD, mulDivUp, wDivDown, wDivUp, wMulDown, min } from "../../math";
import type { TxIntent } from "../../state";
import { GAS } from "../../world";
import type { DefenseContext } from "../types";

/** An account's sums at oracle prices, USD E8 (threshold-weighted: Σ collateral_i × threshold_i). */
export interface DefendedAccount {
  thresholdWeightedCollateralUsd: bigint;
  totalDebtUsd: bigint;
  healthFactorWad: bigint;
}

/** What the defense needs of one of the pool's reserves. */
export interface DefendedReserve {
  priceE8: bigint;
  unit: bigint;
  liquidationThresholdWad: bigint;
}

export interface CrossMarginDefense {
  account: DefendedAccount;
  /** A priced reserve of the pool by asset symbol; undefined when unlisted or without a price. */
  reserve(symbol: string): DefendedReserve | undefined;
  /** The calldata of a repayment or a supply of `amount` of `symbol` for the borrower, and where it goes. */
  call(action: "repay" | "supply", symbol: string, amount: bigint): { to: `0x${string}`; data: Hex } | undefined;
}

export function crossMarginDefense(context: DefenseContext, pool: CrossMarginDefense): TxIntent[] {
  const { borrower, defense } = context;
  const a = pool.account;
  const below = a.totalDebtUsd > 0n && a.healthFactorWad < defense.belowHealthFactorWad;
  if (!context.triggered(borrower.address.toLowerCase(), below)) return [];
  const intent = (action: "repay" | "supply", symbol: string, amount: bigint): TxIntent[] => {
    const call = pool.call(action, symbol, amount);
    if (!call) return [];
    return [{ agent: context.agent, action: `${defense.action} ${amount} ${symbol}`, from: borrower.address, to: call.to, data: call.data, gas: GAS.poolAction, priorityFeeWei: context.priorityFeeWei }];
  };
  if (defense.action === "repay") {
    const debt = pool.reserve(borrower.group.debt);
    if (!debt) return [];
    const targetDebtUsd = wDivDown(a.thresholdWeightedCollateralUsd, defense.targetHealthFactorWad);
    const amount = context.take(borrower.group.debt, mulDivUp(a.totalDebtUsd - min(targetDebtUsd, a.totalDebtUsd), debt.unit, debt.priceE8));
    return amount === 0n ? [] : intent("repay", borrower.group.debt, amount);
  }
  const collateral = borrower.group.collateral.map((c) => ({ share: c, priced: pool.reserve(c.asset) }));
  // Σ share x threshold (one asset: its threshold).
  const weightedShare = collateral.reduce((sum, c) => sum + (c.priced ? wMulDown(c.share.shareWad, c.priced.liquidationThresholdWad) : 0n), 0n);
  if (weightedShare === 0n) return [];
  const neededUsd = wMulDown(defense.targetHealthFactorWad, a.totalDebtUsd) - min(wMulDown(defense.targetHealthFactorWad, a.totalDebtUsd), a.thresholdWeightedCollateralUsd);
  const perShareUsd = wDivUp(neededUsd, weightedShare);
  const out: TxIntent[] = [];
  for (const { share, priced } of collateral) {
    if (!priced) continue;
    const amount = context.take(share.asset, mulDivUp(mulDivUp(share.shareWad, perShareUsd, WAD), priced.unit, priced.priceE8));
    if (amount > 0n) out.push(...intent("supply", share.asset, amount));
  }
  return out;
}
