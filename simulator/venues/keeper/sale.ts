import type { Address } from "viem";
import type { TxIntent } from "../../state";
import { GAS, type LiquidatorAccount, type World } from "../../world";
import { SALE_GAS_ESTIMATE } from "./gas";

/** Expected gas of the sale that follows each of this bot's liquidations (0 when it keeps the collateral). */
export function saleGasEstimate(liquidator: LiquidatorAccount): bigint {
  return liquidator.spec.sellOnAmm ? SALE_GAS_ESTIMATE : 0n;
}

/** Selling just-seized collateral through `sellOnAmm`, tagged with the position it came from. */
export function saleIntents(
  world: World,
  liquidator: LiquidatorAccount,
  protocol: string,
  borrower: Address,
  collateral: string,
  debt: string,
  amount: bigint,
): TxIntent[] {
  const amm = liquidator.spec.sellOnAmm ? world.amms.get(liquidator.spec.sellOnAmm) : undefined;
  const c = world.assets.get(collateral);
  if (!amm || !c || amount === 0n) return [];
  if (![amm.token0, amm.token1].includes(collateral) || ![amm.token0, amm.token1].includes(debt)) return [];
  return [
    {
      agent: liquidator.name,
      action: `sell ${amount} ${collateral} on ${amm.spec.name}`,
      from: liquidator.address,
      to: world.swapHelper.address,
      data: world.swapHelper.encode("swapExactIn", [amm.pair.address, c.token.address, amount, 0n, liquidator.address]),
      gas: GAS.swap,
      priorityFeeWei: liquidator.spec.priorityFeeWei,
      saleOf: { protocol, borrower },
    },
  ];
}
