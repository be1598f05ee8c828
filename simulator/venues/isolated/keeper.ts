/**
 * A keeper in isolated markets: every unhealthy position (largest debt first, once its episode is
 * `ready`), as much as Morpho's rules allow (all the debt, or all the collateral when that is worth less
 * than the debt times the incentive), within the keeper's inventory of the loan asset, sent only if the
 * expected profit at market prices after gas reaches `minProfitUsdE8`, within the block budget.
 */
import type { Address } from "viem";
import { IsolatedLendingMarketMath as IM, mulDivDown, toSharesDown } from "../../math";
import { positionKey, type IsolatedMarketView, type TxIntent } from "../../state";
import { GAS, type WorldMarketsProtocol } from "../../world";
import { ATOMIC_LIQUIDATION_GAS_ESTIMATE, LIQUIDATION_GAS_ESTIMATE, atomicPlan, byLargestDebt, gasCostUsdE8, saleGasEstimate, saleIntents } from "../keeper";
import type { KeeperContext } from "../types";
import { marketsProtocol, worldMarketOf, type IsolatedImplementation } from "./implementation";
import { liquidatablePositions } from "./riskIndex";

/**
 * Unhealthy positions per market view, largest debt first: every bot of a block sees the same view. Found
 * through the market's liquidation-price index (./riskIndex.ts): the positions a fall of the price did
 * not reach are not valued.
 */
const unhealthyByMarket = new WeakMap<IsolatedMarketView, { borrower: Address; position: IM.Position }[]>();

function unhealthyPositions(m: IsolatedMarketView): { borrower: Address; position: IM.Position }[] {
  let list = unhealthyByMarket.get(m);
  if (!list) {
    list = liquidatablePositions(m)
      .unhealthy.map(({ borrower, position, health }) => ({ borrower, position, debt: health.borrowed }))
      .sort(byLargestDebt)
      .map(({ borrower, position }) => ({ borrower, position }));
    unhealthyByMarket.set(m, list);
  }
  return list;
}

/** A liquidator's intents in an isolated protocol run by `implementation`. */
export function isolatedLiquidations(implementation: IsolatedImplementation): (context: KeeperContext) => TxIntent[] {
  return (context) => {
    const { protocol, deployed, view, ready } = context;
    const wp = marketsProtocol(deployed);
    if (protocol.kind !== "isolated" || !wp) return [];
    const out: TxIntent[] = [];
    for (const m of protocol.markets) {
      if (m.priceE36 === 0n) continue;
      const pc = view.marketPriceE8.get(m.collateral);
      const pl = view.marketPriceE8.get(m.loan);
      if (pc === undefined || pl === undefined) continue;
      const candidates = unhealthyPositions(m).filter((c) => ready(positionKey(protocol.name, c.borrower, m.key)));
      for (const { borrower, position } of candidates) {
        const size = liquidationSize(m, position, context.held(m.loan));
        if (!size) continue;
        const intents = liquidationIntents(context, { implementation, wp }, m, borrower, size, { pc, pl });
        if (intents === "budget spent") return out;
        out.push(...intents);
      }
    }
    return out;
  };
}

interface LiquidationSize {
  input: IM.LiquidationInput;
  amounts: IM.LiquidationAmounts;
}

/** The call's input and its amounts, within `cash` of the loan asset; undefined when nothing can be liquidated. */
function liquidationSize(m: IsolatedMarketView, position: IM.Position, cash: bigint): LiquidationSize | undefined {
  let input = IM.maxLiquidation(m.state, position, m.priceE36, m.lifWad);
  if (input === undefined) return undefined;
  try {
    let amounts = IM.liquidationAmounts(m.state, position, m.priceE36, m.lifWad, input);
    // Interest of one more block raises the debt: when burning every share would seize nearly all
    // the collateral, seize all of it instead, so the call cannot ask for more than there is.
    if (input.repaidShares !== undefined && amounts.seizedAssets > position.collateral - position.collateral / 1000n) {
      input = { seizedAssets: position.collateral };
      amounts = IM.liquidationAmounts(m.state, position, m.priceE36, m.lifWad, input);
    }
    if (amounts.repaidAssets > cash) {
      // Within the inventory: burn the shares `cash` repays (rounded down, so the call needs at most `cash`).
      const shares = (cash * 999n) / 1000n === 0n ? 0n : toSharesDown((cash * 999n) / 1000n, m.state.totalBorrowAssets, m.state.totalBorrowShares);
      if (shares === 0n) return undefined;
      input = { repaidShares: shares };
      amounts = IM.liquidationAmounts(m.state, position, m.priceE36, m.lifWad, input);
    }
    return { input, amounts };
  } catch (e) {
    if (e instanceof IM.IsolatedMarketMathError) return undefined;
    throw e;
  }
}

/** The liquidation (and sale) of one position, or none when not worth it, or "budget spent" when the block cannot hold it. */
function liquidationIntents(
  context: KeeperContext,
  { implementation, wp }: { implementation: IsolatedImplementation; wp: WorldMarketsProtocol },
  m: IsolatedMarketView,
  borrower: Address,
  { input, amounts }: LiquidationSize,
  prices: { pc: bigint; pl: bigint },
): TxIntent[] | "budget spent" {
  const { world, liquidator, view, budget } = context;
  const { spec } = liquidator;
  const name = context.protocol.name;
  const seized = input.seizedAssets ?? 0n;
  const shares = input.repaidShares ?? 0n;
  const market = worldMarketOf(wp, m.id);
  if (liquidator.atomic !== null) {
    const atomic = atomicPlan(world, liquidator, view, m.collateral, m.loan, amounts.repaidAssets, amounts.seizedAssets);
    const call = atomic && implementation.atomicLiquidate(liquidator, wp, market, { borrower, seizedAssets: seized, repaidShares: shares, pair: atomic.pair });
    if (!atomic || !call || (atomic.profitUsdE8 < spec.minProfitUsdE8 && !spec.backstop)) return [];
    if (!budget.take(ATOMIC_LIQUIDATION_GAS_ESTIMATE)) return "budget spent";
    atomic.commit();
    return [
      {
        agent: liquidator.name,
        action: `liquidate ${borrower} in ${name} ${m.key} atomically via ${atomic.amm}: repay ${amounts.repaidAssets} ${m.loan} for ${amounts.seizedAssets} ${m.collateral}`,
        from: liquidator.address,
        ...call,
        gas: GAS.atomicLiquidation,
        priorityFeeWei: spec.priorityFeeWei,
      },
    ];
  }
  const profitUsdE8 =
    mulDivDown(amounts.seizedAssets, prices.pc, m.collateralUnit) -
    mulDivDown(amounts.repaidAssets, prices.pl, m.loanUnit) -
    gasCostUsdE8(view, LIQUIDATION_GAS_ESTIMATE, spec.priorityFeeWei);
  if (profitUsdE8 < spec.minProfitUsdE8 && !spec.backstop) return [];
  if (!budget.take(LIQUIDATION_GAS_ESTIMATE + saleGasEstimate(liquidator))) return "budget spent";
  // One more block of interest before the call: keep a margin of the inventory for it.
  context.spend(m.loan, amounts.repaidAssets + amounts.repaidAssets / 1000n + 1n);
  return [
    {
      agent: liquidator.name,
      action: `liquidate ${borrower} in ${name} ${m.key}: repay ${amounts.repaidAssets} ${m.loan} for ${amounts.seizedAssets} ${m.collateral}`,
      from: liquidator.address,
      to: wp.market.address,
      data: implementation.liquidate(wp, market, borrower, seized, shares),
      gas: GAS.liquidation,
      priorityFeeWei: spec.priorityFeeWei,
    },
    ...saleIntents(world, liquidator, name, borrower, m.collateral, m.loan, amounts.seizedAssets),
  ];
}
