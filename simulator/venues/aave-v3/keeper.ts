/**
 * A keeper on Aave V3.6, as on liqsim's pool: each account below HF 1 (largest debt first, once its
 * episode is `ready`), the borrower's largest debt and the collateral whose liquidation pays most at
 * market prices after gas, sized with Aave's own rules (AaveV3Math.previewLiquidation: close factor,
 * dust, seizure cap, the keeper's inventory), sent as `liquidationCall(collateral, debt, user,
 * debtToCover, false)` when the expected profit reaches `minProfitUsdE8`, within the block budget.
 * An atomic keeper (`atomicVia`) liquidates through its `AaveAtomicLiquidator` (`./atomic.ts`), only
 * against collateral its pair trades for the debt, when the profit after the pair's price reaches it.
 */
import type { Address } from "viem";
import { AaveV3Math, MAX_UINT256, WAD, mulDivDown } from "../../math";
import { positionKey, type AaveProtocolView, type MarketView, type TxIntent } from "../../state";
import { GAS, type AavePoolHandle } from "../../world";
import { LIQUIDATION_GAS_ESTIMATE, atomicAccepts, byLargestDebt, gasCostUsdE8, saleGasEstimate, saleIntents } from "../keeper";
import type { KeeperContext } from "../types";
import { aaveAtomicIntents, type AaveLiquidationTarget } from "./atomic";

interface AavePlan extends AaveLiquidationTarget {
  expectedProfitUsdE8: bigint;
}

/**
 * The best liquidation of `borrower` for a keeper holding `held` of the debt asset, or null, among the
 * collateral assets `accepts` allows.
 */
function planLiquidation(
  view: MarketView,
  protocol: AaveProtocolView,
  borrower: Address,
  inventory: (symbol: string) => bigint,
  priorityFeeWei: bigint,
  accepts: (collateral: string, debt: string) => boolean,
): AavePlan | null {
  const position = protocol.users.get(borrower);
  if (!position) return null;
  const at = protocol.timestamp;
  const debtValues = protocol.reserves.map((r, i) => mulDivDown(AaveV3Math.vTokenBalance(position.scaledDebt[i] ?? 0n, AaveV3Math.normalizedDebt(r.state, at)), r.priceE8, r.config.unit));
  let d = -1;
  debtValues.forEach((v, i) => {
    if (v > 0n && (d < 0 || v > (debtValues[d] ?? 0n))) d = i;
  });
  const debt = protocol.assets[d] ?? "";
  const dr = protocol.reserves[d];
  const pd = view.marketPriceE8.get(debt);
  const held = inventory(debt);
  if (d < 0 || !dr || pd === undefined || held === 0n) return null;
  const gasUsd = gasCostUsdE8(view, LIQUIDATION_GAS_ESTIMATE, priorityFeeWei);
  let best: AavePlan | null = null;
  for (const [c, cr] of protocol.reserves.entries()) {
    const collateral = protocol.assets[c] ?? "";
    const pc = view.marketPriceE8.get(collateral);
    if (!(position.collateralEnabled[c] ?? false) || (position.scaledSupply[c] ?? 0n) === 0n || pc === undefined || !accepts(collateral, debt)) continue;
    const preview = AaveV3Math.previewLiquidation(protocol.reserves, position, c, d, held, at);
    if (typeof preview === "string") continue;
    const profit = mulDivDown(preview.collateralToLiquidator, pc, cr.config.unit) - mulDivDown(preview.debtRepaid, pd, dr.config.unit) - gasUsd;
    if (best === null || profit > best.expectedProfitUsdE8) best = { borrower, collateral, debt, collateralIndex: c, debtIndex: d, preview, expectedProfitUsdE8: profit };
  }
  return best;
}

/** Unhealthy accounts per view, largest debt first: every bot of a block sees the same view. */
const unhealthyByView = new WeakMap<AaveProtocolView, Address[]>();

function unhealthyAccounts(protocol: AaveProtocolView): Address[] {
  let list = unhealthyByView.get(protocol);
  if (!list) {
    list = [...protocol.accounts.entries()]
      .filter(([, a]) => a.healthFactor < WAD)
      .map(([borrower, a]) => ({ borrower, debt: a.totalDebtBase }))
      .sort(byLargestDebt)
      .map((c) => c.borrower);
    unhealthyByView.set(protocol, list);
  }
  return list;
}

export function aaveLiquidations(context: KeeperContext): TxIntent[] {
  const { protocol, deployed, liquidator, ready, world } = context;
  if (protocol.kind !== "aave-v3.6" || deployed.kind !== "aave-v3.6") return [];
  // An atomic liquidator can only take collateral that its pair trades for the debt.
  const accepts = atomicAccepts(world, liquidator);
  const out: TxIntent[] = [];
  for (const borrower of unhealthyAccounts(protocol).filter((b) => ready(positionKey(protocol.name, b)))) {
    const plan = planLiquidation(context.view, protocol, borrower, context.held, liquidator.spec.priorityFeeWei, accepts);
    if (plan && liquidator.atomic !== null) {
      const intents = aaveAtomicIntents(context, deployed.pool, plan);
      if (intents === "budget spent") break;
      out.push(...intents);
      continue;
    }
    if (!plan || plan.expectedProfitUsdE8 < liquidator.spec.minProfitUsdE8) continue;
    if (!context.budget.take(LIQUIDATION_GAS_ESTIMATE + saleGasEstimate(liquidator))) break;
    out.push(...liquidationIntents(context, deployed.pool, protocol.name, plan));
  }
  return out;
}

/** The liquidation and the sale of what it brings. */
function liquidationIntents(context: KeeperContext, pool: AavePoolHandle, name: string, plan: AavePlan): TxIntent[] {
  const { world, liquidator, held, spend } = context;
  const c = world.assets.get(plan.collateral);
  const d = world.assets.get(plan.debt);
  if (!c || !d) return [];
  const { debtRepaid } = plan.preview;
  // A block of interest grows the debt before the call runs: with a margin in stock, ask for "as much as
  // allowed" (Aave caps it), as real bots do; otherwise exactly the preview.
  const withMargin = debtRepaid + debtRepaid / 1000n + 1n;
  const debtToCover = held(plan.debt) >= withMargin ? MAX_UINT256 : debtRepaid;
  spend(plan.debt, debtToCover === MAX_UINT256 ? withMargin : debtRepaid);
  return [
    {
      agent: liquidator.name,
      action: `liquidate ${plan.borrower} in ${name}: repay ${debtRepaid} ${plan.debt} for ${plan.collateral}`,
      from: liquidator.address,
      to: pool.address,
      data: pool.encode("liquidationCall", [c.token.address, d.token.address, plan.borrower, debtToCover, false]),
      gas: GAS.liquidation,
      priorityFeeWei: liquidator.spec.priorityFeeWei,
    },
    ...saleIntents(world, liquidator, name, plan.borrower, plan.collateral, plan.debt, plan.preview.collateralToLiquidator),
  ];
}
