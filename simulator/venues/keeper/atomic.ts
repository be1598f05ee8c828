import type { Address } from "viem";
import { getAmountIn, getAmountInReturning, mulDivDown } from "../../math";
import type { MarketView } from "../../state";
import type { LiquidatorAccount, World } from "../../world";
import { ATOMIC_LIQUIDATION_GAS_ESTIMATE, gasCostUsdE8 } from "./gas";

/** Whether an atomic liquidator's pair (`atomicVia`) trades `collateral` for `debt`: all it can liquidate; every pair for a direct keeper. */
export function atomicAccepts(world: World, liquidator: LiquidatorAccount): (collateral: string, debt: string) => boolean {
  const pair = liquidator.spec.atomicVia === null ? undefined : world.amms.get(liquidator.spec.atomicVia);
  return (collateral, debt) => !pair || ([pair.token0, pair.token1].includes(collateral) && [pair.token0, pair.token1].includes(debt));
}

/**
 * An atomic liquidation's expected profit: the collateral received less what the pair takes for
 * flash-lending `debtBorrowed` (by default `debtRepaid`) of which the liquidation uses `debtRepaid` and
 * returns the rest, at last block's reserves: Uniswap's `getAmountIn(debtRepaid)` when nothing comes back
 * (`AtomicLiquidator`), `getAmountInReturning` otherwise (`AaveAtomicLiquidator`, which offers Aave more
 * than it expects taken); at market prices, less gas. Null when the pair does not trade this collateral
 * for this debt or cannot lend that much.
 */
export function atomicPlan(
  world: World,
  liquidator: LiquidatorAccount,
  view: MarketView,
  collateral: string,
  debt: string,
  debtRepaid: bigint,
  collateralReceived: bigint,
  debtBorrowed: bigint = debtRepaid,
): { amm: string; pair: Address; profitUsdE8: bigint; commit: () => void } | null {
  const name = liquidator.spec.atomicVia;
  const amm = name ? world.amms.get(name) : undefined;
  const reserves = name ? view.amms.get(name) : undefined;
  const c = world.assets.get(collateral);
  const pc = view.marketPriceE8.get(collateral);
  if (!name || !amm || !reserves || !c || pc === undefined) return null;
  if (!((amm.token0 === collateral && amm.token1 === debt) || (amm.token0 === debt && amm.token1 === collateral))) return null;
  const [reserveCollateral, reserveDebt] = amm.token0 === collateral ? [reserves.reserve0, reserves.reserve1] : [reserves.reserve1, reserves.reserve0];
  if (debtRepaid === 0n || debtBorrowed < debtRepaid || debtBorrowed >= reserveDebt) return null;
  const returned = debtBorrowed - debtRepaid;
  const owed = returned === 0n ? getAmountIn(debtRepaid, reserveCollateral, reserveDebt) : getAmountInReturning(debtBorrowed, returned, reserveCollateral, reserveDebt);
  const profitUsdE8 =
    mulDivDown(collateralReceived, pc, c.unit) - mulDivDown(owed, pc, c.unit) - gasCostUsdE8(view, ATOMIC_LIQUIDATION_GAS_ESTIMATE, liquidator.spec.priorityFeeWei);
  if (owed > collateralReceived) return null;
  // The flash swap takes `debtBorrowed` out of the pair, gets `returned` back and `owed` collateral in.
  const [newCollateral, newDebt] = [reserveCollateral + owed, reserveDebt - debtRepaid];
  const after = amm.token0 === collateral ? { reserve0: newCollateral, reserve1: newDebt } : { reserve0: newDebt, reserve1: newCollateral };
  return { amm: name, pair: amm.pair.address, profitUsdE8, commit: () => view.amms.set(name, after) };
}
