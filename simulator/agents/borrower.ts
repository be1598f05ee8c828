/**
 * Defensive borrowers: once a position's health factor (at oracle prices) has been below
 * `belowHealthFactorWad` for `delayBlocks` blocks, the borrower repays debt or supplies more
 * collateral, from its wallet, up to `targetHealthFactorWad`:
 *   repay:  debtUsd' = thresholdWeightedCollateralUsd / target;          repay (debtUsd - debtUsd') of debt
 *   topUp:  threshold-weighted collateral needed N = target x debtUsd - thresholdWeighted, supplied in the
 *           group's collateral mix: asset k gets value share_k x N / Σ share_j x threshold_j
 * In an isolated protocol each of the borrower's markets (one per collateral asset) is defended on its own.
 */
import { IsolatedLendingMarketMath as IM, WAD, account, mulDivUp, wDivDown, wDivUp, wMulDown, min } from "../math";
import type { BorrowerAccount, ContractHandle, World, WorldIsolatedProtocol } from "../world";
import { GAS } from "../world";
import { balanceKey, type IsolatedProtocolView, type MarketView, type PooledProtocolView } from "../state";
import type { TxIntent } from "./types";

export const BORROWER_PRIORITY_FEE_WEI = 1_500_000_000n;

/** Consecutive blocks each defensive borrower has seen its HF below its trigger, per position. */
export type DefenseCounters = Map<string, number>;

type Defense = NonNullable<BorrowerAccount["group"]["defensive"]>;

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
  // The wallet this block's transactions draw on: one market's defense leaves less for the next.
  const wallet = new Map<string, bigint>();
  const take = (symbol: string, wanted: bigint): bigint => {
    const left = wallet.get(symbol) ?? view.balances.get(balanceKey(borrower.address, symbol)) ?? 0n;
    const amount = min(wanted, left);
    wallet.set(symbol, left - amount);
    return amount;
  };
  if (protocol.kind === "isolated") {
    if (wp.kind !== "isolated") return [];
    return borrower.group.collateral.flatMap((c) => isolatedDefense(borrower, c.asset, defense, protocol, wp, counters, take));
  }
  if (wp.kind !== "pooled") return [];
  return pooledDefense(world, borrower, defense, view, protocol, wp.pool, counters, take);
}

function pooledDefense(
  world: World,
  borrower: BorrowerAccount,
  defense: Defense,
  view: MarketView,
  protocol: PooledProtocolView,
  pool: ContractHandle,
  counters: DefenseCounters,
  take: (symbol: string, wanted: bigint) => bigint,
): TxIntent[] {
  const shares = protocol.users.get(borrower.address);
  if (!shares) return [];
  const a = account(protocol.reserves, shares, protocol.reserves[0]?.state.lastUpdate ?? view.timestamp);
  const below = a.totalDebtUsd > 0n && a.healthFactorWad < defense.belowHealthFactorWad;
  if (!triggered(counters, borrower.address.toLowerCase(), below, defense.delayBlocks)) return [];
  const reserveOf = (symbol: string) => {
    const reserve = protocol.reserves[protocol.assets.indexOf(symbol)];
    const asset = world.assets.get(symbol);
    return reserve && asset && reserve.priceE8 > 0n ? { reserve, asset } : undefined;
  };
  const intent = (fn: "repay" | "supply", symbol: string, amount: bigint, token: `0x${string}`): TxIntent => ({
    agent: `borrower:${borrower.address}`,
    action: `${defense.action} ${amount} ${symbol}`,
    from: borrower.address,
    to: pool.address,
    data: pool.encode(fn, [token, amount, borrower.address]),
    gas: GAS.poolAction,
    priorityFeeWei: BORROWER_PRIORITY_FEE_WEI,
  });
  if (defense.action === "repay") {
    const debt = reserveOf(borrower.group.debt);
    if (!debt) return [];
    const targetDebtUsd = wDivDown(a.thresholdWeightedCollateralUsd, defense.targetHealthFactorWad);
    const amount = take(borrower.group.debt, mulDivUp(a.totalDebtUsd - min(targetDebtUsd, a.totalDebtUsd), debt.reserve.unit, debt.reserve.priceE8));
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
    const amount = take(share.asset, mulDivUp(mulDivUp(share.shareWad, perShareUsd, WAD), priced.reserve.unit, priced.reserve.priceE8));
    if (amount > 0n) out.push(intent("supply", share.asset, amount, priced.asset.token.address));
  }
  return out;
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
 * The same defense in the isolated market `collateral/debt`, with HF = maxBorrow / borrowed:
 *   repay:  repay borrowed - maxBorrow / target (loan units);
 *   topUp:  add collateral so that maxBorrow reaches target x borrowed: (target x borrowed - maxBorrow) / (price x LLTV).
 */
function isolatedDefense(
  borrower: BorrowerAccount,
  collateral: string,
  defense: Defense,
  protocol: IsolatedProtocolView,
  wp: WorldIsolatedProtocol,
  counters: DefenseCounters,
  take: (symbol: string, wanted: bigint) => bigint,
): TxIntent[] {
  const m = protocol.markets.find((x) => x.collateral === collateral && x.loan === borrower.group.debt);
  const position = m?.positions.get(borrower.address);
  if (!m || !position || m.priceE36 === 0n) return [];
  const h = IM.positionHealth(m, m.state, position, m.priceE36);
  const key = `${borrower.address.toLowerCase()}/${m.key}`;
  if (!triggered(counters, key, h.borrowed > 0n && h.healthFactorWad < defense.belowHealthFactorWad, defense.delayBlocks)) return [];
  const symbol = defense.action === "repay" ? m.loan : m.collateral;
  let wanted: bigint;
  if (defense.action === "repay") {
    wanted = h.borrowed - min(wDivDown(h.maxBorrow, defense.targetHealthFactorWad), h.borrowed);
  } else {
    const neededLoanUnits = wMulDown(defense.targetHealthFactorWad, h.borrowed) - min(wMulDown(defense.targetHealthFactorWad, h.borrowed), h.maxBorrow);
    wanted = mulDivUp(wDivUp(neededLoanUnits, m.lltvWad), IM.ORACLE_PRICE_SCALE, m.priceE36);
  }
  const amount = take(symbol, wanted);
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
