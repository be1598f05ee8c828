/**
 * An atomic keeper's liquidation on Aave V3.6, through its `AaveAtomicLiquidator`: the debt asset
 * flash-borrowed from the keeper's `atomicVia` pair, `liquidationCall(collateral, debt, user, debtToCover,
 * false)`, the pair paid back in collateral and in the debt asset Aave did not take, the rest kept. Aave
 * has no preview on-chain, so the call offers what Aave's model (`AaveV3Math.previewLiquidation`, held
 * to the pool's own figures by `--check`) says Aave will take when the transaction runs, with interest
 * accrued to the next block, plus 2 wei for its half-up rounding; Aave takes as much as it allows, as the
 * mock's `AtomicLiquidator` asks of the pool, and the unused wei go back to the pair. A larger margin
 * would cost the pair's fee on it and move the pair's price (and an AMM oracle reading it) off the
 * mock's: with 2 wei, amm-oracle-cascade's later Morpho liquidations equal the mock's to the wei.
 * A price the bot did not see moving in the block can make Aave want more than offered and refuse the
 * dust left (`MustNotLeaveDust`): the call reverts and the position is tried again the next block.
 */
import type { Address } from "viem";
import { AaveV3Math, MAX_UINT256 } from "../../math";
import type { AaveProtocolView, TxIntent } from "../../state";
import { GAS, type ContractHandle } from "../../world";
import { ATOMIC_LIQUIDATION_GAS_ESTIMATE, atomicPlan } from "../keeper";
import type { KeeperContext } from "../types";

/** A liquidation the keeper planned on the view: the borrower, the reserves by symbol and index, Aave's amounts. */
export interface AaveLiquidationTarget {
  borrower: Address;
  collateral: string;
  debt: string;
  collateralIndex: number;
  debtIndex: number;
  preview: AaveV3Math.AaveLiquidationPreview;
}

/** The debt asset offered to Aave: the model's repayment when the call runs (the next block), plus 2 wei. */
export function atomicDebtToCover(protocol: AaveProtocolView, target: AaveLiquidationTarget, blockTimeSeconds: number): bigint {
  const position = protocol.users.get(target.borrower);
  const next = position && AaveV3Math.previewLiquidation(protocol.reserves, position, target.collateralIndex, target.debtIndex, MAX_UINT256, protocol.timestamp + BigInt(blockTimeSeconds));
  const expected = next === undefined || typeof next === "string" ? target.preview.debtRepaid : next.debtRepaid;
  return expected + 2n;
}

/** The atomic liquidation of `target`, or none when the pair cannot fund it at a profit, or "budget spent". */
export function aaveAtomicIntents(context: KeeperContext, pool: ContractHandle, target: AaveLiquidationTarget): TxIntent[] | "budget spent" {
  const { world, liquidator, view, protocol, budget } = context;
  const { spec } = liquidator;
  const c = world.assets.get(target.collateral);
  const d = world.assets.get(target.debt);
  if (liquidator.aaveAtomic === null || protocol.kind !== "aave-v3.6" || !c || !d) return [];
  const { debtRepaid, collateralToLiquidator } = target.preview;
  const atomic = atomicPlan(world, liquidator, view, target.collateral, target.debt, debtRepaid, collateralToLiquidator);
  if (!atomic || (atomic.profitUsdE8 < spec.minProfitUsdE8 && !spec.backstop)) return [];
  if (!budget.take(ATOMIC_LIQUIDATION_GAS_ESTIMATE)) return "budget spent";
  atomic.commit();
  const debtToCover = atomicDebtToCover(protocol, target, world.scenario.blockTimeSeconds);
  return [
    {
      agent: liquidator.name,
      action: `liquidate ${target.borrower} in ${protocol.name} atomically via ${atomic.amm}: repay ${debtRepaid} ${target.debt} for ${target.collateral}`,
      from: liquidator.address,
      to: liquidator.aaveAtomic.address,
      data: liquidator.aaveAtomic.encode("liquidate", [pool.address, c.token.address, d.token.address, target.borrower, debtToCover, atomic.pair, 0n]),
      gas: GAS.atomicLiquidation,
      priorityFeeWei: spec.priorityFeeWei,
    },
  ];
}
