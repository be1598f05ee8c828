/**
 * A keeper in a pool. Each candidate (an account below HF 1, largest debt first, once its episode is
 * `ready`): the borrower's largest debt and the collateral whose liquidation pays most
 * (`planLiquidation`), sized with the model's preview (close factor, dust rules, seizure cap, the
 * keeper's inventory of the debt asset), sent only if the expected profit at market prices after gas
 * reaches `minProfitUsdE8`, within the block budget.
 */
import type { Address } from "viem";
import { MAX_UINT256, WAD, PoolMathError, debtBalance, mulDivDown, previewLiquidation, supplyBalance, type LiquidationPreview } from "../../math";
import { positionKey, type MarketView, type PooledProtocolView, type TxIntent } from "../../state";
import { GAS, type ProjectHandle } from "../../world";
import { ATOMIC_LIQUIDATION_GAS_ESTIMATE, LIQUIDATION_GAS_ESTIMATE, atomicAccepts, atomicPlan, byLargestDebt, gasCostUsdE8, saleGasEstimate, saleIntents } from "../keeper";
import type { KeeperContext } from "../types";

export interface LiquidationPlan {
  protocol: string;
  borrower: Address;
  collateral: string;
  debt: string;
  preview: LiquidationPreview;
  expectedProfitUsdE8: bigint;
}

function largestIndex(values: bigint[]): number {
  let best = -1;
  values.forEach((v, i) => {
    if (v > 0n && (best < 0 || v > (values[best] ?? 0n))) best = i;
  });
  return best;
}

/**
 * The best liquidation of `borrower` for a liquidator holding `inventory` of each asset, or null:
 * against the borrower's largest debt, the collateral whose liquidation is expected to pay most at
 * market prices after gas (ties: the larger collateral, then reserve order), among the collateral
 * assets `accepts` allows. A borrower with several collateral assets (cross margin) thus loses first
 * the one that rewards the liquidator best, usually its largest.
 */
export function planLiquidation(
  view: MarketView,
  protocol: PooledProtocolView,
  borrower: Address,
  inventory: (symbol: string) => bigint,
  priorityFeeWei: bigint,
  accepts: (collateral: string, debt: string) => boolean = () => true,
): LiquidationPlan | null {
  const shares = protocol.users.get(borrower);
  if (!shares) return null;
  const collateralValues = protocol.reserves.map((r, i) =>
    r.config.liquidationThresholdWad === 0n ? 0n : mulDivDown(supplyBalance(r, shares.supplyShares[i] ?? 0n, r.state.lastUpdate), r.priceE8, r.unit),
  );
  const debtValues = protocol.reserves.map((r, i) => mulDivDown(debtBalance(r, shares.borrowShares[i] ?? 0n, r.state.lastUpdate), r.priceE8, r.unit));
  const d = largestIndex(debtValues);
  if (d < 0) return null;
  const debt = protocol.assets[d] ?? "";
  const held = inventory(debt);
  const dr = protocol.reserves[d];
  const pd = view.marketPriceE8.get(debt);
  if (held === 0n || !dr || pd === undefined) return null;
  // Reserve states in the view are accrued to the previous block: model the liquidation there.
  const at = protocol.reserves[0]?.state.lastUpdate ?? view.timestamp;
  const gasUsd = gasCostUsdE8(view, LIQUIDATION_GAS_ESTIMATE, priorityFeeWei);
  let best: LiquidationPlan | null = null;
  let bestValue = 0n;
  for (const [c, value] of collateralValues.entries()) {
    const collateral = protocol.assets[c] ?? "";
    const cr = protocol.reserves[c];
    const pc = view.marketPriceE8.get(collateral);
    if (value === 0n || !cr || pc === undefined || !accepts(collateral, debt)) continue;
    let preview: LiquidationPreview;
    try {
      preview = previewLiquidation(protocol.reserves, protocol.liquidationConfig, shares, c, d, held, at);
    } catch (e) {
      if (e instanceof PoolMathError) continue;
      throw e;
    }
    const receivedUsd = mulDivDown(preview.collateralSeized - preview.protocolFee, pc, cr.unit);
    const paidUsd = mulDivDown(preview.debtRepaid, pd, dr.unit);
    const profit = receivedUsd - paidUsd - gasUsd;
    if (best === null || profit > best.expectedProfitUsdE8 || (profit === best.expectedProfitUsdE8 && value > bestValue)) {
      best = { protocol: protocol.name, borrower, collateral, debt, preview, expectedProfitUsdE8: profit };
      bestValue = value;
    }
  }
  return best;
}

/** Unhealthy accounts per pooled protocol view, largest debt first: every bot of a block sees the same view. */
const unhealthyByPool = new WeakMap<PooledProtocolView, Address[]>();

function unhealthyAccounts(protocol: PooledProtocolView): Address[] {
  let list = unhealthyByPool.get(protocol);
  if (!list) {
    list = [...protocol.accounts.entries()]
      .filter(([, a]) => a.healthFactor < WAD)
      .map(([borrower, a]) => ({ borrower, debt: a.totalDebtUsd }))
      .sort(byLargestDebt)
      .map((c) => c.borrower);
    unhealthyByPool.set(protocol, list);
  }
  return list;
}

export function pooledLiquidations(context: KeeperContext): TxIntent[] {
  const { protocol, deployed, ready } = context;
  if (protocol.kind !== "pooled" || deployed.kind !== "pooled") return [];
  const out: TxIntent[] = [];
  // A position liquidatable only at the pending oracle price starts its episode in this block.
  const candidates = unhealthyAccounts(protocol).filter((borrower) => ready(positionKey(protocol.name, borrower)));
  for (const borrower of candidates) {
    const plan = candidatePlan(context, protocol, borrower);
    if (!plan) continue;
    const intents = liquidationIntents(context, deployed.pool, plan);
    if (intents === "budget spent") break;
    out.push(...intents);
  }
  return out;
}

function candidatePlan(context: KeeperContext, protocol: PooledProtocolView, borrower: Address): LiquidationPlan | null {
  const { world, liquidator } = context;
  // An atomic liquidator can only take collateral that its pair trades for the debt.
  return planLiquidation(context.view, protocol, borrower, context.held, liquidator.spec.priorityFeeWei, atomicAccepts(world, liquidator));
}

/** The liquidation (and sale) a plan makes, or none when not worth it, or "budget spent" when the block cannot hold it. */
function liquidationIntents(context: KeeperContext, pool: ProjectHandle<"PooledLendingPool">, plan: LiquidationPlan): TxIntent[] | "budget spent" {
  const { world, liquidator, budget, held, spend } = context;
  const { spec } = liquidator;
  const { borrower, protocol: name } = plan;
  const c = world.assets.get(plan.collateral);
  const d = world.assets.get(plan.debt);
  if (!c || !d) return [];
  const received = plan.preview.collateralSeized - plan.preview.protocolFee;
  if (liquidator.atomic !== null) {
    const atomic = atomicPlan(world, liquidator, context.view, plan.collateral, plan.debt, plan.preview.debtRepaid, received);
    if (!atomic || (atomic.profitUsdE8 < spec.minProfitUsdE8 && !spec.backstop)) return [];
    if (!budget.take(ATOMIC_LIQUIDATION_GAS_ESTIMATE)) return "budget spent";
    atomic.commit();
    return [
      {
        agent: liquidator.name,
        action: `liquidate ${borrower} in ${name} atomically via ${atomic.amm}: repay ${plan.preview.debtRepaid} ${plan.debt} for ${plan.collateral}`,
        from: liquidator.address,
        to: liquidator.atomic.address,
        data: liquidator.atomic.encode("liquidatePooled", [pool.address, c.token.address, d.token.address, borrower, MAX_UINT256, atomic.pair, 0n]),
        gas: GAS.atomicLiquidation,
        priorityFeeWei: spec.priorityFeeWei,
      },
    ];
  }
  if (plan.expectedProfitUsdE8 < spec.minProfitUsdE8 && !spec.backstop) return [];
  if (!budget.take(LIQUIDATION_GAS_ESTIMATE + saleGasEstimate(liquidator))) return "budget spent";
  // Debt grows by a block of interest before the transaction runs: repaying exactly the amount
  // previewed would leave a few wei, which the pool's dust rule rejects. Like real bots, ask for
  // "as much as allowed" when the inventory covers the preview with a margin for that interest.
  const withMargin = plan.preview.debtRepaid + plan.preview.debtRepaid / 1000n + 1n;
  const debtToCover = held(plan.debt) >= withMargin ? MAX_UINT256 : plan.preview.debtRepaid;
  spend(plan.debt, debtToCover === MAX_UINT256 ? withMargin : plan.preview.debtRepaid);
  return [
    {
      agent: liquidator.name,
      action: `liquidate ${borrower} in ${name}: repay ${plan.preview.debtRepaid} ${plan.debt} for ${plan.collateral}`,
      from: liquidator.address,
      to: pool.address,
      data: pool.encode("liquidationCall", [c.token.address, d.token.address, borrower, debtToCover]),
      gas: GAS.liquidation,
      priorityFeeWei: spec.priorityFeeWei,
    },
    ...saleIntents(world, liquidator, name, borrower, plan.collateral, plan.debt, received),
  ];
}
