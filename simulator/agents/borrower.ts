/**
 * Defensive borrowers: once a position's health factor (at oracle prices) has been below
 * `belowHealthFactorWad` for `delayBlocks` blocks, the borrower repays debt or supplies more
 * collateral, from its wallet, up to `targetHealthFactorWad`:
 *   repay:  debtUsd' = thresholdWeightedCollateralUsd / target;          repay (debtUsd - debtUsd') of debt
 *   topUp:  collateral needed = (target x debtUsd - thresholdWeighted) / threshold of the collateral
 */
import { WAD, account, mulDivUp, wDivDown, wDivUp, wMulDown, min } from "../math";
import type { BorrowerAccount, World } from "../world";
import { GAS } from "../world";
import { balanceKey, type MarketView, type TxIntent } from "./types";

export const BORROWER_PRIORITY_FEE_WEI = 1_500_000_000n;

/** Consecutive blocks each defensive borrower has seen its HF below its trigger. */
export type DefenseCounters = Map<string, number>;

export function defensiveBorrowerIntents(
  world: World,
  borrower: BorrowerAccount,
  view: MarketView,
  counters: DefenseCounters,
): TxIntent[] {
  const defense = borrower.group.defensive;
  if (!borrower.defensive || !defense) return [];
  const protocol = view.protocols.get(borrower.group.protocol);
  const pool = world.protocols.get(borrower.group.protocol);
  const shares = protocol?.users.get(borrower.address);
  if (!protocol || !pool || !shares) return [];
  const a = account(protocol.reserves, shares, protocol.reserves[0]?.state.lastUpdate ?? view.timestamp);
  const key = borrower.address.toLowerCase();
  if (a.totalDebtUsd === 0n || a.healthFactorWad >= defense.belowHealthFactorWad) {
    counters.set(key, 0);
    return [];
  }
  const seen = (counters.get(key) ?? 0) + 1;
  counters.set(key, seen);
  if (seen <= defense.delayBlocks) return [];
  counters.set(key, 0);

  const symbol = defense.action === "repay" ? borrower.group.debt : borrower.group.collateral;
  const index = protocol.assets.indexOf(symbol);
  const reserve = protocol.reserves[index];
  const asset = world.assets.get(symbol);
  if (!reserve || !asset || reserve.priceE8 <= 0n) return [];
  let amount: bigint;
  if (defense.action === "repay") {
    const targetDebtUsd = wDivDown(a.thresholdWeightedCollateralUsd, defense.targetHealthFactorWad);
    amount = mulDivUp(a.totalDebtUsd - min(targetDebtUsd, a.totalDebtUsd), reserve.unit, reserve.priceE8);
  } else {
    const neededUsd = wMulDown(defense.targetHealthFactorWad, a.totalDebtUsd) - min(wMulDown(defense.targetHealthFactorWad, a.totalDebtUsd), a.thresholdWeightedCollateralUsd);
    amount = mulDivUp(wDivUp(neededUsd, reserve.config.liquidationThresholdWad === 0n ? WAD : reserve.config.liquidationThresholdWad), reserve.unit, reserve.priceE8);
  }
  amount = min(amount, view.balances.get(balanceKey(borrower.address, symbol)) ?? 0n);
  if (amount === 0n) return [];
  const fn = defense.action === "repay" ? "repay" : "supply";
  return [
    {
      agent: `borrower:${borrower.address}`,
      action: `${defense.action} ${amount} ${symbol}`,
      from: borrower.address,
      to: pool.pool.address,
      data: pool.pool.encode(fn, [asset.token.address, amount, borrower.address]),
      gas: GAS.poolAction,
      priorityFeeWei: BORROWER_PRIORITY_FEE_WEI,
    },
  ];
}
