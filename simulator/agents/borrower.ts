/**
 * Defensive borrowers: once a position's health factor (at oracle prices) has been below
 * `belowHealthFactorWad` for `delayBlocks` blocks, the borrower repays debt or supplies more
 * collateral, from its wallet, up to `targetHealthFactorWad`:
 *   repay:  debtUsd' = thresholdWeightedCollateralUsd / target;          repay (debtUsd - debtUsd') of debt
 *   topUp:  collateral needed = (target x debtUsd - thresholdWeighted) / threshold of the collateral
 */
import { IsolatedLendingMarketMath as IM, WAD, account, mulDivUp, wDivDown, wDivUp, wMulDown, min } from "../math";
import type { BorrowerAccount, World, WorldIsolatedProtocol } from "../world";
import { GAS } from "../world";
import { balanceKey, type IsolatedProtocolView, type MarketView, type TxIntent } from "./types";

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
  const wp = world.protocols.get(borrower.group.protocol);
  if (!protocol || !wp) return [];
  if (protocol.kind === "isolated") {
    return wp.kind === "isolated" ? isolatedDefense(world, borrower, defense, view, protocol, wp, counters) : [];
  }
  const shares = protocol.users.get(borrower.address);
  if (!shares || wp.kind !== "pooled") return [];
  const pool = wp;
  const a = account(protocol.reserves, shares, protocol.reserves[0]?.state.lastUpdate ?? view.timestamp);
  const below = a.totalDebtUsd > 0n && a.healthFactorWad < defense.belowHealthFactorWad;
  if (!triggered(counters, borrower.address.toLowerCase(), below, defense.delayBlocks)) return [];

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

/** Consecutive blocks below the trigger; true once the borrower acts (and the count restarts). */
function triggered(counters: DefenseCounters, key: string, below: boolean, delayBlocks: number): boolean {
  if (!below) {
    counters.set(key, 0);
    return false;
  }
  const seen = (counters.get(key) ?? 0) + 1;
  counters.set(key, seen);
  if (seen <= delayBlocks) return false;
  counters.set(key, 0);
  return true;
}

/**
 * The same defense in an isolated market, with HF = maxBorrow / borrowed:
 *   repay:  repay borrowed - maxBorrow / target (loan units);
 *   topUp:  add collateral so that maxBorrow reaches target x borrowed: (target x borrowed - maxBorrow) / (price x LLTV).
 */
function isolatedDefense(
  world: World,
  borrower: BorrowerAccount,
  defense: NonNullable<BorrowerAccount["group"]["defensive"]>,
  view: MarketView,
  protocol: IsolatedProtocolView,
  wp: WorldIsolatedProtocol,
  counters: DefenseCounters,
): TxIntent[] {
  const m = protocol.markets.find((x) => x.collateral === borrower.group.collateral && x.loan === borrower.group.debt);
  const position = m?.positions.get(borrower.address);
  if (!m || !position || m.priceE36 === 0n) return [];
  const h = IM.positionHealth(m, m.state, position, m.priceE36);
  const key = borrower.address.toLowerCase();
  if (!triggered(counters, key, h.borrowed > 0n && h.healthFactorWad < defense.belowHealthFactorWad, defense.delayBlocks)) return [];
  const symbol = defense.action === "repay" ? m.loan : m.collateral;
  let amount: bigint;
  if (defense.action === "repay") {
    amount = h.borrowed - min(wDivDown(h.maxBorrow, defense.targetHealthFactorWad), h.borrowed);
  } else {
    const neededLoanUnits = wMulDown(defense.targetHealthFactorWad, h.borrowed) - min(wMulDown(defense.targetHealthFactorWad, h.borrowed), h.maxBorrow);
    amount = mulDivUp(wDivUp(neededLoanUnits, m.lltvWad), IM.ORACLE_PRICE_SCALE, m.priceE36);
  }
  amount = min(amount, view.balances.get(balanceKey(borrower.address, symbol)) ?? 0n);
  if (amount === 0n) return [];
  const data =
    defense.action === "repay"
      ? wp.market.encode("repay", [m.id, amount, borrower.address])
      : wp.market.encode("supplyCollateral", [m.id, amount, borrower.address]);
  return [
    {
      agent: `borrower:${borrower.address}`,
      action: `${defense.action} ${amount} ${symbol} in ${m.key}`,
      from: borrower.address,
      to: wp.market.address,
      data,
      gas: GAS.poolAction,
      priorityFeeWei: BORROWER_PRIORITY_FEE_WEI,
    },
  ];
}
