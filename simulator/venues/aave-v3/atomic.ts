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
 * The profit is estimated on what the model says Aave takes and sends when the call runs, less what the
 * contract pays the pair for the offer: `getAmountInReturning` with the 2 wei back (math/UniswapV2Lib).
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

/** What the keeper offers Aave, and expects of the call when it runs. */
export interface AaveAtomicOffer {
  /** The debt asset flash-borrowed from the pair and offered to Aave. */
  debtToCover: bigint;
  /** What Aave takes of it (the rest goes back to the pair). */
  debtRepaid: bigint;
  /** The collateral Aave sends (its seizure less its protocol fee). */
  collateralReceived: bigint;
}

/** The model's repayment and collateral when the call runs (the next block; the view's preview if the model refuses), and the offer: that repayment plus 2 wei. */
export function atomicOffer(protocol: AaveProtocolView, target: AaveLiquidationTarget, blockTimeSeconds: number): AaveAtomicOffer {
  const position = protocol.users.get(target.borrower);
  const next = position && AaveV3Math.previewLiquidation(protocol.reserves, position, target.collateralIndex, target.debtIndex, MAX_UINT256, protocol.timestamp + BigInt(blockTimeSeconds));
  const expected = next === undefined || typeof next === "string" ? target.preview : next;
  return { debtToCover: expected.debtRepaid + 2n, debtRepaid: expected.debtRepaid, collateralReceived: expected.collateralToLiquidator };
}

/** The atomic liquidation of `target`, or none when the pair cannot fund it at a profit, or "budget spent". */
export function aaveAtomicIntents(context: KeeperContext, pool: ContractHandle, target: AaveLiquidationTarget): TxIntent[] | "budget spent" {
  const { world, liquidator, view, protocol, budget } = context;
  const { spec } = liquidator;
  const c = world.assets.get(target.collateral);
  const d = world.assets.get(target.debt);
  if (liquidator.aaveAtomic === null || protocol.kind !== "aave-v3.6" || !c || !d) return [];
  const { debtRepaid } = target.preview;
  const offer = atomicOffer(protocol, target, world.scenario.blockTimeSeconds);
  // The pair is paid AaveAtomicLiquidator's getAmountInReturning for the offer, of which the 2 wei Aave does not take come back.
  const atomic = atomicPlan(world, liquidator, view, target.collateral, target.debt, offer.debtRepaid, offer.collateralReceived, offer.debtToCover);
  if (!atomic || (atomic.profitUsdE8 < spec.minProfitUsdE8 && !spec.backstop)) return [];
  if (!budget.take(ATOMIC_LIQUIDATION_GAS_ESTIMATE)) return "budget spent";
  atomic.commit();
  return [
    {
      agent: liquidator.name,
      action: `liquidate ${target.borrower} in ${protocol.name} atomically via ${atomic.amm}: repay ${debtRepaid} ${target.debt} for ${target.collateral}`,
      from: liquidator.address,
      to: liquidator.aaveAtomic.address,
      data: liquidator.aaveAtomic.encode("liquidate", [pool.address, c.token.address, d.token.address, target.borrower, offer.debtToCover, atomic.pair, 0n]),
      gas: GAS.atomicLiquidation,
      priorityFeeWei: spec.priorityFeeWei,
    },
  ];
}
